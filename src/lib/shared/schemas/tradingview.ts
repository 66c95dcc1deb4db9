import { z } from 'zod';

const cookieSchema = z
	.string({ error: 'validation.required' })
	.trim()
	.min(1, { error: 'validation.required' })
	.max(4096, { error: 'validation.tooLong' });

/** The two cookies pasted in Settings → TradingView. */
export const tradingViewSessionInput = z.object({
	sessionid: cookieSchema,
	sessionidSign: cookieSchema
});
export type TradingViewSessionInput = z.infer<typeof tradingViewSessionInput>;

export const tradingViewSignInInput = z.object({
	username: z.string().trim().min(1, { error: 'validation.required' }).max(200),
	password: z.string().min(1, { error: 'validation.required' }).max(256)
});

export const tradingViewTwoFactorInput = z.object({
	code: z
		.string()
		.trim()
		.regex(/^\d{6}$/, { error: 'validation.twoFactorCode' }),
	/** The sealed temporary login the first step returned. */
	token: z.string().min(1).max(8192)
});

export interface TradingViewScript {
	pineId: string;
	name: string | null;
	version: string | null;
}

export interface TradingViewStatus {
	source: 'settings' | 'env' | 'none';
	savedAt: string | null;
	unreadable: boolean;
	/** The host calls go to (www.tradingview.com, or the fake's in tests and the demo). */
	host: string;
	/** The last session check (hourly, and before grant changes), or null before the first. */
	lastCheck: { at: string; state: 'ok' | 'expired' | 'unreachable' } | null;
}

export type TradingViewSignInResult =
	{ status: 'connected'; username: string } | { status: 'two_factor'; token: string };
