import { describe, expect, it } from 'vitest';
import { translate } from '$lib/shared/i18n';
import {
	fieldLabel,
	formatBytes,
	mutationLabel,
	reasonText,
	recordLabel,
	relativeTime,
	statusKey
} from './format';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('relativeTime', () => {
	it('calls a past moment within 45 seconds "just now", in both languages', () => {
		expect(relativeTime(NOW - 44_000, NOW, 'en')).toBe('just now');
		expect(relativeTime(NOW + 10_000, NOW, 'es')).toBe('ahora mismo');
	});

	it('counts seconds for a future moment instead of "just now"', () => {
		expect(relativeTime(NOW + 30_000, NOW, 'en', { future: true })).toBe('in 30 seconds');
		expect(relativeTime(NOW + 30_000, NOW, 'es', { future: true })).toBe('dentro de 30 segundos');
	});

	it('switches from seconds to minutes to hours to days at its thresholds', () => {
		expect(relativeTime(NOW - 50_000, NOW, 'en')).toBe('50 seconds ago');
		expect(relativeTime(NOW - 5 * MIN, NOW, 'en')).toBe('5 minutes ago');
		expect(relativeTime(NOW - 5 * MIN, NOW, 'es')).toBe('hace 5 minutos');
		// 44 minutes is still minutes; 45 is rounded into hours.
		expect(relativeTime(NOW - 44 * MIN, NOW, 'en')).toBe('44 minutes ago');
		expect(relativeTime(NOW - 45 * MIN, NOW, 'en')).toBe('1 hour ago');
		expect(relativeTime(NOW + 2 * HOUR, NOW, 'es', { future: true })).toBe('dentro de 2 horas');
		expect(relativeTime(NOW - 22 * HOUR, NOW, 'en')).toBe('yesterday');
		expect(relativeTime(NOW - DAY, NOW, 'es')).toBe('ayer');
		expect(relativeTime(NOW - 3 * DAY, NOW, 'en')).toBe('3 days ago');
	});

	it('accepts an ISO string as well as epoch milliseconds', () => {
		expect(relativeTime(new Date(NOW - 5 * MIN).toISOString(), NOW, 'en')).toBe('5 minutes ago');
	});
});

describe('labels', () => {
	it('names a known mutation in the user language and any other as a generic change', () => {
		expect(mutationLabel('en', 'client.create')).toBe('New client');
		expect(mutationLabel('es', 'client.create')).toBe('Nuevo cliente');
		expect(mutationLabel('en', 'indicator.update')).toBe('Indicator edit');
		expect(mutationLabel('en', 'something.unheard')).toBe('Change');
		expect(mutationLabel('es', 'something.unheard')).toBe('Cambio');
	});

	it('translates known field names and shows unknown ones as they are', () => {
		expect(fieldLabel('en', 'fullName')).toBe('Full name');
		expect(fieldLabel('es', 'fullName')).toBe('Nombre completo');
		expect(fieldLabel('en', 'favouriteColour')).toBe('favouriteColour');
	});

	it('fills a refusal reason with its parameters and falls back to the internal error', () => {
		expect(reasonText('es', 'RATE_LIMITED', { minutes: 7 })).toBe(
			translate('es', 'errors.RATE_LIMITED', { minutes: 7 })
		);
		expect(reasonText('es', 'RATE_LIMITED', { minutes: 7 })).toContain('7 min');
		expect(reasonText('en', 'NO_SUCH_CODE', {})).toBe(translate('en', 'errors.INTERNAL'));
	});

	it('maps every status to a key present in both dictionaries', () => {
		for (const key of Object.values(statusKey)) {
			expect(translate('en', `sync.status.${key}`)).not.toBe(`sync.status.${key}`);
			expect(translate('es', `sync.status.${key}`)).not.toBe(`sync.status.${key}`);
		}
		expect(statusKey['paused-auth']).toBe('pausedAuth');
	});
});

describe('recordLabel', () => {
	const id = '0190aaaa-bbbb-7ccc-8ddd-eeeeff123456';

	it('names a client by its full name, else its TradingView username', () => {
		expect(recordLabel('en', 'clients', id, { fullName: 'Ada Lovelace' }, null)).toBe(
			'Ada Lovelace'
		);
		expect(
			recordLabel('en', 'clients', id, { fullName: '   ', tradingviewUsername: 'ada_tv' }, null)
		).toBe('ada_tv');
	});

	it('names an indicator by its name', () => {
		expect(recordLabel('en', 'indicators', id, { name: 'Trend Pro' }, null)).toBe('Trend Pro');
	});

	it('uses the fields a refused create carried when the device has no row', () => {
		const args = { id, fields: { fullName: 'Grace Hopper' } };
		expect(recordLabel('es', 'clients', id, undefined, args)).toBe('Grace Hopper');
	});

	it('falls back to the last six characters of the id', () => {
		expect(recordLabel('en', 'clients', id, undefined, null)).toBe('Record 123456');
		expect(recordLabel('es', 'indicators', id, { name: '' }, undefined)).toBe('Registro 123456');
		expect(recordLabel('en', 'clients', id, undefined, { patch: { fullName: 'x' } })).toBe(
			'Record 123456'
		);
	});
});

describe('formatBytes', () => {
	it('keeps small sizes in whole bytes', () => {
		expect(formatBytes('en', 999)).toBe('999 byte');
		expect(formatBytes('en', 0)).toBe('0 byte');
	});

	it('steps up by thousands with one decimal, in the locale number format', () => {
		expect(formatBytes('en', 1500)).toBe('1.5 kB');
		expect(formatBytes('en', 12_345_678)).toBe('12.3 MB');
		expect(formatBytes('es', 12_345_678)).toBe('12,3 MB');
	});

	it('stops at gigabytes however large the number', () => {
		expect(formatBytes('en', 2.5e12)).toBe('2,500 GB');
		expect(formatBytes('es', 3e9)).toBe('3 GB');
	});
});
