/**
 * The shapes of TradingView's answers (TRADINGVIEW.md). Parsing them turns an API change into a
 * clear `bad_request` error instead of undefined values deep inside the queue.
 */
import { z } from 'zod';
import { TradingViewError } from './errors';

export const ORDER_BY = [
	'-created',
	'created',
	'user__username',
	'-user__username',
	'expiration,user__username',
	'-expiration,user__username'
] as const;
export type OrderBy = (typeof ORDER_BY)[number];

/** TradingView answers 400 bad_pagination_request above this page size. */
export const MAX_PAGE_SIZE = 30;

// Lenient on purpose: any date JavaScript reads (microseconds, offsets) rather than strict ISO.
const isoDate = z
	.string()
	.refine((value) => !Number.isNaN(Date.parse(value)), 'not a date')
	.transform((value) => new Date(value));

export const accessPage = z.object({
	results: z.array(
		z.object({
			id: z.number(),
			username: z.string(),
			userpic: z.string().nullish(),
			created: isoDate,
			expiration: isoDate.nullable()
		})
	),
	next: z.string().nullable()
});
export type AccessEntry = z.infer<typeof accessPage>['results'][number];

export const writeStatus = z.object({ status: z.string() });

export const usernameHints = z.array(
	z.object({ username: z.string(), id: z.number(), inactive: z.boolean().optional() })
);
export type UsernameHint = z.infer<typeof usernameHints>[number];

export const scriptIds = z.array(z.string());

export const scriptDetails = z.array(
	z.looseObject({
		scriptIdPart: z.string(),
		scriptName: z.string(),
		version: z.union([z.string(), z.number()]).transform(String),
		access: z.number()
	})
);

/** Login answers: `{user}` on success, `{error, code}` (HTTP 200) otherwise. */
export const signInAnswer = z.union([
	z.object({ user: z.looseObject({ id: z.number(), username: z.string() }) }),
	z.object({ error: z.string(), code: z.string().optional() })
]);

export function parseAnswer<T extends z.ZodType>(
	schema: T,
	value: unknown,
	path: string
): z.output<T> {
	const result = schema.safeParse(value);
	if (!result.success) {
		throw new TradingViewError(
			'bad_request',
			`TradingView answered ${path} in an unexpected shape`,
			{
				path,
				detail: result.error.issues
					.slice(0, 3)
					.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
					.join('; ')
			}
		);
	}
	return result.data;
}
