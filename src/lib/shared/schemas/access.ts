import { z } from 'zod';
import { isoTimestamp, optionalText, syncedRowColumns, uuidSchema } from './common';

export const accessTypes = ['trial', 'paid', 'complimentary'] as const;
export type AccessType = (typeof accessTypes)[number];
export const tvStates = ['pending', 'verified', 'failed', 'paused', 'not_applicable'] as const;
export type TvState = (typeof tvStates)[number];

/** A grant of one indicator to one client (DESIGN.md §3 "accesses"). `endsAt` null = lifetime. */
export const accessRowSchema = z.object({
	id: uuidSchema,
	clientId: uuidSchema,
	indicatorId: uuidSchema,
	startsAt: isoTimestamp,
	endsAt: isoTimestamp.nullable(),
	revokedAt: isoTimestamp.nullable(),
	revokeReason: z.string().nullable(),
	accessType: z.enum(accessTypes),
	tvState: z.enum(tvStates),
	tvError: z.string().nullable(),
	tvAttempts: z.number().int(),
	tvVerifiedAt: isoTimestamp.nullable(),
	createdAt: isoTimestamp,
	updatedAt: isoTimestamp,
	...syncedRowColumns
});
export type AccessRow = z.infer<typeof accessRowSchema>;

export const durationPresets = ['7d', '30d', '90d', '365d', 'lifetime'] as const;
export type DurationPreset = (typeof durationPresets)[number];

/** How long a grant or renewal runs: a preset, or until a chosen instant (a custom end date). */
export const durationSchema = z.discriminatedUnion(
	'kind',
	[
		z.object({
			kind: z.literal('preset'),
			preset: z.enum(durationPresets, { error: 'validation.durationInvalid' })
		}),
		z.object({ kind: z.literal('until'), endsAt: isoTimestamp })
	],
	{ error: 'validation.durationInvalid' }
);
export type Duration = z.infer<typeof durationSchema>;

export const accessTypeSchema = z.enum(accessTypes, { error: 'validation.accessTypeInvalid' });

export const grantNoteSchema = optionalText(2_000);

export const revokeReasonSchema = z
	.string({ error: 'validation.reasonRequired' })
	.trim()
	.min(1, { error: 'validation.reasonRequired' })
	.max(500, { error: 'validation.tooLong' });
