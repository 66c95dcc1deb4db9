import { z } from 'zod';
import { isoTimestamp, syncedRowColumns, uuidSchema } from './common';

export const transactionStatuses = ['pending', 'paid', 'failed', 'refunded'] as const;
export const transactionSources = ['manual', 'stripe'] as const;

export const transactionRowSchema = z.object({
	id: uuidSchema,
	clientId: uuidSchema,
	amount: z.number().int(),
	currency: z.string().length(3),
	occurredAt: isoTimestamp,
	status: z.enum(transactionStatuses),
	paymentReference: z.string().nullable(),
	source: z.enum(transactionSources),
	createdAt: isoTimestamp,
	updatedAt: isoTimestamp,
	...syncedRowColumns
});
export type TransactionRow = z.infer<typeof transactionRowSchema>;
