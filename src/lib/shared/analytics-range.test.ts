import { describe, expect, it } from 'vitest';
import {
	analyticsPeriods,
	dayOf,
	DEFAULT_PRESET,
	isDay,
	MAX_RANGE_MS,
	monthLabel,
	parseRangeParams,
	rangeOf,
	rangeToParams,
	WEEK_MS
} from './analytics-range';
import { DAY_MS } from './grants';

const NOW = new Date('2026-03-18T15:30:00.000Z'); // a Wednesday

describe('rangeOf', () => {
	it('ends the 30 and 90 day presets now', () => {
		expect(rangeOf({ preset: '30d', fromDay: '', toDay: '' }, NOW)).toEqual({
			from: new Date(NOW.getTime() - 30 * DAY_MS),
			to: NOW
		});
		expect(rangeOf({ preset: '90d', fromDay: '', toDay: '' }, NOW).from).toEqual(
			new Date(NOW.getTime() - 90 * DAY_MS)
		);
	});

	it('starts 12 months at the first of the month eleven months back', () => {
		expect(rangeOf({ preset: '12m', fromDay: '', toDay: '' }, NOW).from).toEqual(
			new Date('2025-04-01T00:00:00.000Z')
		);
	});

	it('falls back to the default preset for a custom range with a malformed or impossible day', () => {
		const fallback = rangeOf({ preset: DEFAULT_PRESET, fromDay: '', toDay: '' }, NOW);
		expect(rangeOf({ preset: 'custom', fromDay: '2026-1-01', toDay: '2026-02-01' }, NOW)).toEqual(
			fallback
		);
		expect(rangeOf({ preset: 'custom', fromDay: '2026-01-01', toDay: '2026-13-45' }, NOW)).toEqual(
			fallback
		);
		// A single day is a valid range: its whole day.
		expect(rangeOf({ preset: 'custom', fromDay: '2026-02-01', toDay: '2026-02-01' }, NOW)).toEqual({
			from: new Date('2026-02-01T00:00:00.000Z'),
			to: new Date('2026-02-02T00:00:00.000Z')
		});
	});
});

describe('isDay and dayOf', () => {
	it('accepts only real YYYY-MM-DD days', () => {
		expect(isDay('2024-02-29')).toBe(true);
		expect(isDay('2026-00-10')).toBe(false);
		expect(isDay('20260110')).toBe(false);
		expect(isDay('')).toBe(false);
		expect(dayOf(Date.parse('2026-03-18T23:59:59.999Z'))).toBe('2026-03-18');
		expect(monthLabel(Date.parse('2026-09-30T23:00:00.000Z'))).toBe('2026-09');
	});
});

describe('URL parameters', () => {
	it('reads a custom range and writes it back', () => {
		const choice = parseRangeParams(
			new URLSearchParams('range=custom&from=2026-01-01&to=2026-03-31')
		);
		expect(choice).toEqual({ preset: 'custom', fromDay: '2026-01-01', toDay: '2026-03-31' });
		expect(rangeToParams(choice).toString()).toBe('range=custom&from=2026-01-01&to=2026-03-31');
	});

	it('uses the default preset for a missing or unknown range and leaves it out of the URL', () => {
		expect(parseRangeParams(new URLSearchParams('range=forever'))).toEqual({
			preset: DEFAULT_PRESET,
			fromDay: '',
			toDay: ''
		});
		expect(rangeToParams({ preset: DEFAULT_PRESET, fromDay: 'x', toDay: 'y' }).toString()).toBe('');
	});

	it('keeps the days only for a custom range, and only those given', () => {
		expect(rangeToParams({ preset: '30d', fromDay: '2026-01-01', toDay: '' }).toString()).toBe(
			'range=30d'
		);
		expect(rangeToParams({ preset: 'custom', fromDay: '', toDay: '2026-02-01' }).toString()).toBe(
			'range=custom&to=2026-02-01'
		);
	});
});

describe('analyticsPeriods', () => {
	it('charts a short range per week from Monday, cut to the range', () => {
		const from = new Date('2026-03-04T00:00:00.000Z'); // a Wednesday
		const p = analyticsPeriods({ from, to: NOW, now: NOW });
		expect(p.granularity).toBe('week');
		expect(p.periods[0]).toEqual({ startMs: from.getTime(), endMs: Date.parse('2026-03-09') });
		expect(p.periods.at(-1)).toEqual({ startMs: Date.parse('2026-03-16'), endMs: NOW.getTime() });
		expect(p.months).toEqual([{ startMs: from.getTime(), endMs: NOW.getTime(), month: '2026-03' }]);
	});

	it('cuts the end to now and to the longest range, and charts long ranges per month', () => {
		const from = new Date('2000-01-01T00:00:00.000Z');
		const p = analyticsPeriods({ from, to: new Date('2030-01-01T00:00:00.000Z'), now: NOW });
		expect(p.toMs).toBe(from.getTime() + MAX_RANGE_MS);
		expect(p.granularity).toBe('month');
		expect(p.periods).toHaveLength(p.months.length);
		expect(p.months[0]?.month).toBe('2000-01');
	});

	it('counts nothing for a range that starts in the future, but still looks 8 weeks ahead', () => {
		const p = analyticsPeriods({
			from: new Date('2027-01-01'),
			to: new Date('2027-02-01'),
			now: NOW
		});
		expect(p.toMs).toBe(p.fromMs);
		expect(p.periods).toEqual([]);
		expect(p.months).toEqual([]);
		expect(p.weeksAhead).toHaveLength(8);
		expect(p.weeksAhead[7]).toEqual({
			startMs: NOW.getTime() + 7 * WEEK_MS,
			endMs: NOW.getTime() + 8 * WEEK_MS
		});
	});
});
