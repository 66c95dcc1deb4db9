import { AppError } from '$lib/shared/errors';
import { isMessageKey, translate, type Locale } from '$lib/shared/i18n';
import {
	indicatorFieldsSchema,
	type IndicatorFields,
	type IndicatorRow
} from '$lib/shared/schemas/indicator';
import { translateIssue } from '../api-error';
import { issuesToFields } from '../form';
import type { IndicatorStatus } from './list';

/** What the indicator form holds: the inputs' text as typed. */
export interface IndicatorFormValues {
	name: string;
	pubId: string;
	releaseVersion: string;
	status: IndicatorStatus;
	description: string;
}

export function emptyIndicatorForm(): IndicatorFormValues {
	return { name: '', pubId: '', releaseVersion: '', status: 'development', description: '' };
}

export function indicatorFormOf(row: IndicatorRow): IndicatorFormValues {
	return {
		name: row.name,
		pubId: row.pubId,
		releaseVersion: row.releaseVersion ?? '',
		status: row.status,
		description: row.description ?? ''
	};
}

export type FormCheck =
	{ ok: true; fields: IndicatorFields } | { ok: false; errors: Record<string, string> };

/**
 * Validates the form with the shared schema (the one the mutator and the server use): trimmed
 * values on success, translated messages per field otherwise.
 */
export function checkIndicatorForm(values: IndicatorFormValues, locale: Locale): FormCheck {
	const parsed = indicatorFieldsSchema.safeParse(values);
	if (parsed.success) return { ok: true, fields: parsed.data };
	const errors = issuesToFields(parsed.error.issues, locale);
	// An empty PUB ID is missing rather than malformed.
	if (errors.pubId && values.pubId.trim() === '')
		errors.pubId = translate(locale, 'validation.required');
	return { ok: false, errors };
}

/** Only the fields an edit changed (an indicator.update patch); empty when nothing changed. */
export function changedFields(
	row: IndicatorRow,
	fields: IndicatorFields
): Partial<IndicatorFields> {
	const patch: Partial<IndicatorFields> = {};
	if (fields.name !== row.name) patch.name = fields.name;
	if (fields.pubId !== row.pubId) patch.pubId = fields.pubId;
	if (fields.releaseVersion !== row.releaseVersion) patch.releaseVersion = fields.releaseVersion;
	if (fields.status !== row.status) patch.status = fields.status;
	if (fields.description !== row.description) patch.description = fields.description;
	return patch;
}

/** What a refused save shows: messages by field, a general message, the indicator in the way. */
export interface SaveError {
	fields: Record<string, string>;
	message: string | null;
	/** PUB_ID_TAKEN: the indicator that already has the PUB ID (to link to). */
	takenBy: string | null;
}

/**
 * Turns what `mutate()` threw into form messages. Validation names the field by its path in the
 * mutator's arguments (`fields.pubId`, `patch.name`, `releaseVersion`): the last part is the input.
 */
export function saveErrorOf(error: unknown, locale: Locale): SaveError {
	if (!(error instanceof AppError))
		return { fields: {}, message: translate(locale, 'errors.INTERNAL'), takenBy: null };
	const { code, params } = error;
	if (code === 'VALIDATION') {
		const field = String(params.field ?? '')
			.split('.')
			.pop();
		const message = translateIssue(locale, String(params.message ?? ''));
		return field
			? { fields: { [field]: message }, message: null, takenBy: null }
			: { fields: {}, message, takenBy: null };
	}
	if (code === 'PUB_ID_TAKEN') {
		return {
			fields: { pubId: translate(locale, 'errors.PUB_ID_TAKEN') },
			message: null,
			takenBy: typeof params.indicatorId === 'string' ? params.indicatorId : null
		};
	}
	if (code === 'VERSION_EXISTS') {
		return {
			fields: {
				releaseVersion: translate(locale, 'indicators.release.exists', {
					version: String(params.version ?? '')
				})
			},
			message: null,
			takenBy: null
		};
	}
	const key = `errors.${code}`;
	return {
		fields: {},
		message: translate(locale, isMessageKey(key) ? key : 'errors.INTERNAL', params),
		takenBy: null
	};
}

/**
 * A release the device can already refuse: an empty version, or one this indicator already has
 * (in its history, or as its current version set when it was added or edited).
 */
export function checkRelease(
	version: string,
	released: readonly string[],
	current: string | null,
	locale: Locale
): { ok: true; version: string } | { ok: false; error: string } {
	const trimmed = version.trim();
	if (trimmed === '') return { ok: false, error: translate(locale, 'validation.required') };
	if (trimmed.length > 50) return { ok: false, error: translate(locale, 'validation.tooLong') };
	if (released.includes(trimmed) || trimmed === current)
		return {
			ok: false,
			error: translate(locale, 'indicators.release.exists', { version: trimmed })
		};
	return { ok: true, version: trimmed };
}
