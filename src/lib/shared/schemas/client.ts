import { z } from 'zod';
import { isoTimestamp, optionalText, syncedRowColumns, uuidSchema } from './common';

export const clientStatuses = ['active', 'inactive'] as const;
export const verificationStates = ['unverified', 'valid', 'invalid'] as const;

/**
 * TradingView usernames as TradingView's own tools accept them: a leading `@` and all spaces are
 * stripped; what remains is 2+ letters, digits, `_`, `.` or `-`.
 */
export function normaliseTradingViewUsername(raw: string): string {
	return raw.replace(/\s+/g, '').replace(/^@+/, '');
}

export const tradingViewUsernameSchema = z
	.string({ error: 'validation.required' })
	.transform(normaliseTradingViewUsername)
	.pipe(
		z
			.string()
			.min(2, { error: 'validation.usernameTooShort' })
			.max(64, { error: 'validation.usernameTooLong' })
			.regex(/^[A-Za-z0-9_.-]+$/, { error: 'validation.usernameChars' })
	);

export const clientEmailSchema = z
	.string()
	.trim()
	.toLowerCase()
	.max(254, { error: 'validation.emailTooLong' })
	.transform((value) => (value === '' ? null : value))
	.pipe(z.email({ error: 'validation.emailInvalid' }).nullable())
	.nullable()
	.optional()
	.transform((value) => value ?? null);

export const clientRowSchema = z.object({
	id: uuidSchema,
	tradingviewUsername: z.string(),
	tvUsernameState: z.enum(verificationStates),
	email: z.string().nullable(),
	fullName: z.string().nullable(),
	registeredAt: isoTimestamp,
	status: z.enum(clientStatuses),
	notes: z.string().nullable(),
	createdAt: isoTimestamp,
	updatedAt: isoTimestamp,
	...syncedRowColumns
});
export type ClientRow = z.infer<typeof clientRowSchema>;

const clientStatusSchema = z.enum(clientStatuses, { error: 'validation.statusInvalid' });

/** The fields a person edits; everything else is derived by the server. */
export const clientFieldsSchema = z.object({
	tradingviewUsername: tradingViewUsernameSchema,
	email: clientEmailSchema,
	fullName: optionalText(200),
	status: clientStatusSchema.default('active'),
	notes: optionalText(10_000)
});
export type ClientFields = z.infer<typeof clientFieldsSchema>;
export type ClientFieldsInput = z.input<typeof clientFieldsSchema>;

/** An edit names only the fields it changes (a patch, never a whole record), at least one. */
export const clientPatchSchema = clientFieldsSchema
	.extend({ status: clientStatusSchema })
	.partial()
	.refine((patch) => Object.keys(patch).length > 0, { error: 'validation.emptyPatch' });
export type ClientPatch = z.infer<typeof clientPatchSchema>;
