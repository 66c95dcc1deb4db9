import { z } from 'zod';
import { isoTimestamp, syncedRowColumns, uuidSchema } from './common';

export const indicatorVersionRowSchema = z.object({
	id: uuidSchema,
	indicatorId: uuidSchema,
	releaseVersion: z.string(),
	releasedAt: isoTimestamp,
	notes: z.string().nullable(),
	...syncedRowColumns
});
export type IndicatorVersionRow = z.infer<typeof indicatorVersionRowSchema>;
