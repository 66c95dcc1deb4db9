import { describe, expect, it } from 'vitest';
import { formatDayLong, formatDayNumber, formatMonth, formatTime } from './format';

describe('calendar labels', () => {
	it('names plain days and months as they are, in each language', () => {
		expect(formatMonth('en', '2026-11')).toBe('November 2026');
		expect(formatMonth('es', '2026-11')).toBe('noviembre de 2026');
		expect(formatDayLong('en', '2028-02-29')).toBe('Tuesday, February 29, 2028');
		expect(formatDayLong('es', '2026-03-01')).toBe('domingo, 1 de marzo de 2026');
		expect(formatDayNumber('en', '2026-03-01')).toBe('1');
	});

	it('shows an instant’s time in the calendar’s zone', () => {
		expect(formatTime('es', '2026-01-14T22:59:00Z', 'Europe/Madrid')).toBe('23:59');
		expect(formatTime('es', '2026-07-14T22:59:00Z', 'Europe/Madrid')).toBe('0:59');
	});
});
