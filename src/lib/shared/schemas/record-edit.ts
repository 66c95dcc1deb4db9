import { z } from 'zod';
import { isoTimestamp, syncedRowColumns, uuidSchema } from './common';

/** The records whose edits are logged. */
export const recordEditEntities = ['clients', 'indicators'] as const;
export type RecordEditEntity = (typeof recordEditEntities)[number];

/** One field's value before and after an edit (as devices store it: ISO strings for times). */
export const fieldChangeSchema = z.object({ before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/**
 * One applied edit of a client or indicator: who (`actor`, a staff user id or `system`), when
 * (server time), and the fields it changed with their values before and after. Written only by
 * the server (devices receive it by pull); append-only.
 */
export const recordEditRowSchema = z.object({
	id: uuidSchema,
	entity: z.enum(recordEditEntities),
	entityId: uuidSchema,
	actor: z.string(),
	at: isoTimestamp,
	changes: z.record(z.string(), fieldChangeSchema),
	...syncedRowColumns
});
export type RecordEditRow = z.infer<typeof recordEditRowSchema>;
