import { describe, expect, it } from 'vitest';
import {
	addDays,
	addMonths,
	dayAsUtcDate,
	dayInZone,
	daysInMonth,
	monthOf,
	parseDay,
	parseMonth,
	weekdayIndex
} from './days';

const at = (iso: string) => Date.parse(iso);

describe('dayInZone', () => {
	it('puts 23:59 local on that day and 00:00 local on the next, not the UTC day', () => {
		// Madrid is UTC+1 in winter: 23:59 on 14 Jan is 22:59Z, midnight of the 15th is 23:00Z.
		expect(dayInZone(at('2026-01-14T22:59:00Z'), 'Europe/Madrid')).toBe('2026-01-14');
		expect(dayInZone(at('2026-01-14T23:00:00Z'), 'Europe/Madrid')).toBe('2026-01-15');
		// Same instants in UTC stay on the 14th.
		expect(dayInZone(at('2026-01-14T23:00:00Z'), 'UTC')).toBe('2026-01-14');
		// West of UTC the local day lags: 03:00Z on the 15th is still the 14th in New York.
		expect(dayInZone(at('2026-01-15T03:00:00Z'), 'America/New_York')).toBe('2026-01-14');
	});

	it('follows the DST change: the local midnight moves by an hour', () => {
		// New York springs forward on 8 March 2026 (EST −5 → EDT −4).
		expect(dayInZone(at('2026-03-08T04:59:59Z'), 'America/New_York')).toBe('2026-03-07');
		expect(dayInZone(at('2026-03-08T05:00:00Z'), 'America/New_York')).toBe('2026-03-08');
		// The next midnight is at 04:00Z: a fixed −5 offset would put 04:30Z on the 8th.
		expect(dayInZone(at('2026-03-09T03:59:00Z'), 'America/New_York')).toBe('2026-03-08');
		expect(dayInZone(at('2026-03-09T04:30:00Z'), 'America/New_York')).toBe('2026-03-09');
		// Madrid falls back on 25 October 2026: 23:30 local that day is 22:30Z (UTC+1 again).
		expect(dayInZone(at('2026-10-25T22:30:00Z'), 'Europe/Madrid')).toBe('2026-10-25');
		expect(dayInZone(at('2026-10-25T23:00:00Z'), 'Europe/Madrid')).toBe('2026-10-26');
	});

	it('handles a leap day and zones far from UTC', () => {
		expect(dayInZone(at('2028-02-29T12:00:00Z'), 'UTC')).toBe('2028-02-29');
		// Kiritimati is UTC+14: 10:00Z on the 28th is already the 29th there.
		expect(dayInZone(at('2028-02-28T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2028-02-29');
	});

	it('refuses an unknown zone', () => {
		expect(() => dayInZone(0, 'Mars/Olympus')).toThrow(RangeError);
	});
});

describe('plain-date arithmetic', () => {
	it('adds days across month, year and leap-day boundaries', () => {
		expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		// A DST change in the runner's zone never matters: the arithmetic is on UTC midnights.
		expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
		expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
	});

	it('numbers weekdays from Monday', () => {
		expect(weekdayIndex('2026-11-16')).toBe(0); // Monday
		expect(weekdayIndex('2026-02-01')).toBe(6); // Sunday
		expect(weekdayIndex('2028-02-29')).toBe(1); // Tuesday
	});

	it('steps months and counts their days', () => {
		expect(addMonths('2026-11', 1)).toBe('2026-12');
		expect(addMonths('2026-12', 1)).toBe('2027-01');
		expect(addMonths('2026-01', -1)).toBe('2025-12');
		expect(addMonths('2026-03', -13)).toBe('2025-02');
		expect(daysInMonth('2026-02')).toBe(28);
		expect(daysInMonth('2028-02')).toBe(29);
		expect(daysInMonth('2026-12')).toBe(31);
		expect(monthOf('2026-11-14')).toBe('2026-11');
	});

	it('gives a Date whose UTC date is the day', () => {
		expect(dayAsUtcDate('2028-02-29').toISOString().slice(0, 10)).toBe('2028-02-29');
	});
});

describe('parsing from the URL', () => {
	it('accepts real dates and months only', () => {
		expect(parseDay('2028-02-29')).toBe('2028-02-29');
		expect(parseDay('2026-02-29')).toBeNull();
		expect(parseDay('2026-13-01')).toBeNull();
		expect(parseDay('2026-1-01')).toBeNull();
		expect(parseDay('0999-01-01')).toBeNull();
		expect(parseDay(null)).toBeNull();
		expect(parseMonth('2026-11')).toBe('2026-11');
		expect(parseMonth('2026-00')).toBeNull();
		expect(parseMonth('2026-13')).toBeNull();
		expect(parseMonth('2026-11-01')).toBeNull();
		expect(parseMonth('')).toBeNull();
	});
});
