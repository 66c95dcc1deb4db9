import { describe, expect, it } from 'vitest';
import { formatCount, formatDate, formatRenewalRate, renewalRateDetail } from './format';

describe('formatRenewalRate', () => {
	it('shows a whole percentage in the user’s format', () => {
		expect(formatRenewalRate({ rate: 2 / 3 }, 'en')).toBe('67%');
		// Spanish puts a (non-breaking) space before the sign.
		expect(formatRenewalRate({ rate: 2 / 3 }, 'es')).toMatch(/^67\s%$/u);
		expect(formatRenewalRate({ rate: 0 }, 'en')).toBe('0%');
		expect(formatRenewalRate({ rate: 1 }, 'en')).toBe('100%');
	});

	it('shows a dash, not 0%, when no term has ended', () => {
		expect(formatRenewalRate({ rate: null }, 'en')).toBe('—');
		expect(formatRenewalRate({ rate: null }, 'es')).toBe('—');
	});

	it('says what the rate was computed from, in both languages', () => {
		expect(renewalRateDetail({ renewed: 2, total: 3, rate: 2 / 3 }, 'en')).toBe(
			'2 of 3 ended terms renewed.'
		);
		expect(renewalRateDetail({ renewed: 2, total: 3, rate: 2 / 3 }, 'es')).toBe(
			'2 de 3 periodos terminados se renovaron.'
		);
		expect(renewalRateDetail({ renewed: 0, total: 0, rate: null }, 'es')).toBe(
			'Todavía no ha terminado ningún periodo.'
		);
	});
});

describe('formatDate and formatCount', () => {
	it('writes dates per language, and a dash for none', () => {
		expect(formatDate('2025-11-27T12:00:00.000Z', 'en', 'UTC')).toBe('Nov 27, 2025');
		expect(formatDate('2025-11-27T12:00:00.000Z', 'es', 'UTC')).toBe('27 nov 2025');
		expect(formatDate(null, 'en')).toBe('—');
	});

	it('groups thousands per language', () => {
		expect(formatCount(12345, 'en')).toBe('12,345');
		expect(formatCount(12345, 'es')).toMatch(/^12.345$/u);
	});
});
