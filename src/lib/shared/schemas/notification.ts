import { z } from 'zod';
import { isoTimestamp, syncedRowColumns, uuidSchema } from './common';

/** `userId` null: for every staff member. The text is rendered on the device from kind + data. */
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
