import { describe, expect, it } from 'vitest';
import { AppError } from '$lib/shared/errors';
import type { IndicatorRow } from '$lib/shared/schemas/indicator';
import {
	changedFields,
	checkIndicatorForm,
	checkRelease,
	emptyIndicatorForm,
	indicatorFormOf,
	saveErrorOf
} from './form';

const PUB_ID = 'PUB;' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6';

const row: IndicatorRow = {
	id: '01936b2a-0000-7000-8000-000000000001',
	name: 'Trend Pulse',
	pubId: PUB_ID,
	pubIdState: 'unverified',
	releaseVersion: '1.0',
	lastUpdatedAt: '2025-01-01T00:00:00.000Z',
	status: 'production',
	description: null,
	createdAt: '2025-01-01T00:00:00.000Z',
	updatedAt: '2025-01-01T00:00:00.000Z',
	version: 12,
	deletedAt: null
};

describe('checkIndicatorForm', () => {
	it('trims and accepts a good form; empty optional text becomes null', () => {
		const check = checkIndicatorForm(
			{
				...emptyIndicatorForm(),
				name: '  Trend Pulse ',
				pubId: ` ${PUB_ID} `,
				status: 'production'
			},
			'en'
		);
		expect(check).toEqual({
			ok: true,
			fields: {
				name: 'Trend Pulse',
				pubId: PUB_ID,
				releaseVersion: null,
				status: 'production',
				description: null
			}
		});
	});

	it('refuses a bad PUB ID with a translated message, in English and Spanish', () => {
		for (const pubId of [
			'PUB;short',
			PUB_ID.replace('PUB;', 'PUB:'),
			`${PUB_ID}x`,
			'PUB;' + '-'.repeat(32)
		]) {
			const values = { ...emptyIndicatorForm(), name: 'X', pubId };
			expect(checkIndicatorForm(values, 'en')).toEqual({
				ok: false,
				errors: {
					pubId:
						'A PUB ID looks like PUB; followed by 32 letters and digits. Copy it from TradingView.'
				}
			});
			expect(checkIndicatorForm(values, 'es')).toEqual({
				ok: false,
				errors: {
					pubId:
						'Un PUB ID tiene la forma PUB; seguido de 32 letras y números. Cópialo de TradingView.'
				}
			});
		}
	});

	it('names every field that needs attention', () => {
		const check = checkIndicatorForm(
			{ ...emptyIndicatorForm(), name: '   ', releaseVersion: 'x'.repeat(51) },
			'es'
		);
		expect(check).toEqual({
			ok: false,
			errors: {
				name: 'Este campo es obligatorio.',
				pubId: 'Este campo es obligatorio.',
				releaseVersion: 'Este texto es demasiado largo. Acórtalo e inténtalo de nuevo.'
			}
		});
	});
});

describe('changedFields', () => {
	it('is empty for an untouched form and holds only what changed', () => {
		const unchanged = checkIndicatorForm(indicatorFormOf(row), 'en');
		if (!unchanged.ok) throw new Error('expected a valid form');
		expect(changedFields(row, unchanged.fields)).toEqual({});

		const edited = checkIndicatorForm(
			{
				...indicatorFormOf(row),
				name: 'Trend Pulse Pro',
				description: 'Fast.',
				releaseVersion: ''
			},
			'en'
		);
		if (!edited.ok) throw new Error('expected a valid form');
		expect(changedFields(row, edited.fields)).toEqual({
			name: 'Trend Pulse Pro',
			description: 'Fast.',
			releaseVersion: null
		});
	});
});

describe('saveErrorOf', () => {
	it('puts a validation refusal under its input, translated', () => {
		const error = new AppError('VALIDATION', {
			field: 'fields.pubId',
			message: 'validation.pubIdFormat'
		});
		expect(saveErrorOf(error, 'es').fields).toEqual({
			pubId: 'Un PUB ID tiene la forma PUB; seguido de 32 letras y números. Cópialo de TradingView.'
		});
	});

	it('links a taken PUB ID to the indicator that has it', () => {
		const error = new AppError('PUB_ID_TAKEN', { indicatorId: 'other', pubId: PUB_ID });
		expect(saveErrorOf(error, 'en')).toEqual({
			fields: { pubId: 'Another indicator already has this PUB ID. Check the ID on TradingView.' },
			message: null,
			takenBy: 'other'
		});
	});

	it('says a repeated version was already released', () => {
		const error = new AppError('VERSION_EXISTS', { version: '2.0' });
		expect(saveErrorOf(error, 'es').fields.releaseVersion).toBe(
			'La versión 2.0 ya se publicó para este indicador. Usa un número de versión nuevo.'
		);
	});

	it('gives anything else one translated sentence', () => {
		expect(saveErrorOf(new AppError('FORBIDDEN'), 'en').message).toBe(
			'Your role does not allow this. Ask an administrator if you need it.'
		);
		expect(saveErrorOf(new Error('boom'), 'es').message).toMatch(/^El servidor/);
	});
});

describe('checkRelease', () => {
	it('refuses an empty, too long or repeated version and trims a good one', () => {
		expect(checkRelease(' 1.1 ', ['1.0'], '1.0', 'en')).toEqual({ ok: true, version: '1.1' });
		expect(checkRelease('  ', [], null, 'en')).toEqual({
			ok: false,
			error: 'This field is required.'
		});
		expect(checkRelease('x'.repeat(51), [], null, 'en').ok).toBe(false);
		expect(checkRelease(' 1.0', ['1.0', '0.9'], '1.0', 'en')).toEqual({
			ok: false,
			error: 'Version 1.0 was already released for this indicator. Use a new version number.'
		});
		// The current version counts even if it was set by an edit rather than a release.
		expect(checkRelease('0.5', [], '0.5', 'es')).toEqual({
			ok: false,
			error: 'La versión 0.5 ya se publicó para este indicador. Usa un número de versión nuevo.'
		});
	});
});
