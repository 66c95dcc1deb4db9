import { z } from 'zod';
import { isoTimestamp, syncedRowColumns, uuidSchema } from './common';

// Row schemas of the synced tables whose mutators arrive with later issues (grants, payments,
// notifications). Devices mirror them from the start so the store never needs a destructive upgrade.

export const accessTypes = ['trial', 'paid', 'complimentary'] as const;
export const tvStates = ['pending', 'verified', 'failed', 'paused', 'not_applicable'] as const;
export const accessEventKinds = [
	'granted',
	'renewed',
	'revoked',
	'expired',
	'restored',
	'tv_verified',
	'tv_failed',
	'conflict_flagged'
] as const;

export const indicatorVersionRowSchema = z.object({
	id: uuidSchema,
	indicatorId: uuidSchema,
	releaseVersion: z.string(),
	releasedAt: isoTimestamp,
	notes: z.string().nullable(),
	...syncedRowColumns
});
export type IndicatorVersionRow = z.infer<typeof indicatorVersionRowSchema>;

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
	...syncedRowColumns
});
export type AccessEventRow = z.infer<typeof accessEventRowSchema>;

export const transactionRowSchema = z.object({
	id: uuidSchema,
	clientId: uuidSchema,
	amount: z.number().int(),
	currency: z.string().length(3),
	occurredAt: isoTimestamp,
	status: z.enum(['pending', 'paid', 'failed', 'refunded']),
	paymentReference: z.string().nullable(),
	source: z.enum(['manual', 'stripe']),
	createdAt: isoTimestamp,
	updatedAt: isoTimestamp,
	...syncedRowColumns
});
export type TransactionRow = z.infer<typeof transactionRowSchema>;

export const notificationRowSchema = z.object({
	id: uuidSchema,
	kind: z.string(),
	entity: z.string(),
	entityId: z.string().nullable(),
	data: z.unknown(),
	at: isoTimestamp,
	userId: uuidSchema.nullable(),
	...syncedRowColumns
});
export type NotificationRow = z.infer<typeof notificationRowSchema>;

export const notificationReadRowSchema = z.object({
	id: uuidSchema,
	notificationId: uuidSchema,
	userId: uuidSchema,
	readAt: isoTimestamp,
	...syncedRowColumns
});
export type NotificationReadRow = z.infer<typeof notificationReadRowSchema>;
