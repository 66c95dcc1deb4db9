import { z } from 'zod';
import { verificationStates } from './client';
import { isoTimestamp, optionalText, syncedRowColumns, uuidSchema } from './common';

export const indicatorStatuses = ['development', 'production', 'retired'] as const;

export const PUB_ID_REGEX = /^PUB;[A-Za-z0-9]{32}$/;

export const pubIdSchema = z
	.string({ error: 'validation.required' })
	.trim()
	.regex(PUB_ID_REGEX, { error: 'validation.pubIdFormat' });

export const indicatorRowSchema = z.object({
	id: uuidSchema,
	name: z.string(),
	pubId: z.string(),
	pubIdState: z.enum(verificationStates),
	releaseVersion: z.string().nullable(),
	lastUpdatedAt: isoTimestamp.nullable(),
	status: z.enum(indicatorStatuses),
	description: z.string().nullable(),
	createdAt: isoTimestamp,
	updatedAt: isoTimestamp,
	...syncedRowColumns
});
export type IndicatorRow = z.infer<typeof indicatorRowSchema>;

const indicatorStatusSchema = z.enum(indicatorStatuses, { error: 'validation.statusInvalid' });

export const indicatorFieldsSchema = z.object({
	name: z
		.string({ error: 'validation.required' })
		.trim()
		.min(1, { error: 'validation.required' })
		.max(200, { error: 'validation.tooLong' }),
	pubId: pubIdSchema,
	releaseVersion: optionalText(50),
	status: indicatorStatusSchema.default('development'),
	description: optionalText(10_000)
});
export type IndicatorFields = z.infer<typeof indicatorFieldsSchema>;
export type IndicatorFieldsInput = z.input<typeof indicatorFieldsSchema>;

export const indicatorPatchSchema = indicatorFieldsSchema
	.extend({ status: indicatorStatusSchema })
	.partial()
	.refine((patch) => Object.keys(patch).length > 0, { error: 'validation.emptyPatch' });
export type IndicatorPatch = z.infer<typeof indicatorPatchSchema>;
