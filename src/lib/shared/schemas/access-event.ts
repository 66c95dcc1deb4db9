import { z } from 'zod';
import { isoTimestamp, syncedRowColumns, uuidSchema } from './common';

export const accessEventKinds = [
	'granted',
	'renewed',
	'revoked',
	'expired',
	'restored',
	'tv_verified',
	'tv_failed',
	'conflict_flagged',
	'conflict_resolved'
] as const;
export type AccessEventKind = (typeof accessEventKinds)[number];

export const conflictResolutions = ['keep_both', 'undo_second'] as const;
export type ConflictResolution = (typeof conflictResolutions)[number];

/**
 * One line of a grant's history. `preset` is the duration of a grant or renewal, or the chosen
 * resolution of a `conflict_resolved` event; `relatedEventId` links a `conflict_flagged` event to
 * the renewal it flags and a `conflict_resolved` event to the conflict it settles.
 */
export const accessEventRowSchema = z.object({
	id: uuidSchema,
	accessId: uuidSchema,
	clientId: uuidSchema,
	indicatorId: uuidSchema,
	kind: z.enum(accessEventKinds),
	at: isoTimestamp,
	actor: z.string(),
	previousEndsAt: isoTimestamp.nullable(),
	newEndsAt: isoTimestamp.nullable(),
	preset: z.string().nullable(),
	note: z.string().nullable(),
	relatedEventId: uuidSchema.nullable(),
	...syncedRowColumns
});
export type AccessEventRow = z.infer<typeof accessEventRowSchema>;
