import { z } from 'zod';
import { isDay, rangePresets } from '../analytics-range';

/** `reports.analytics`: a preset, or a custom range of UTC days (both included). */
export const analyticsInput = z
	.object({
		preset: z.enum(rangePresets),
		fromDay: z.string().default(''),
		toDay: z.string().default('')
	})
	.refine(
		(input) =>
			input.preset !== 'custom' ||
			(isDay(input.fromDay) && isDay(input.toDay) && input.fromDay <= input.toDay),
		{ error: 'validation.invalid', path: ['toDay'] }
	);
export type AnalyticsInput = z.infer<typeof analyticsInput>;
