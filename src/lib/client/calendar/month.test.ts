import { describe, expect, it } from 'vitest';
import { monthGrid, weekdayNames } from './month';

const days = (month: string) => monthGrid(month).map((week) => week.map((cell) => cell.day));

describe('monthGrid', () => {
	it('starts weeks on Monday: a month starting on Sunday opens with six days of the last one', () => {
		// 1 March 2026 is a Sunday and March has 31 days: six weeks, the first opening with six February days.
		const grid = days('2026-03');
		expect(grid).toHaveLength(6);
		expect(grid[0]).toEqual([
			'2026-02-23',
			'2026-02-24',
			'2026-02-25',
			'2026-02-26',
			'2026-02-27',
			'2026-02-28',
			'2026-03-01'
		]);
		expect(grid[5]?.at(-1)).toBe('2026-04-05');
	});

	it('fits a 28-day February that starts on Monday in exactly four weeks', () => {
		const grid = monthGrid('2021-02');
		expect(grid).toHaveLength(4);
		expect(grid[0]?.[0]).toEqual({ day: '2021-02-01', inMonth: true });
		expect(grid[3]?.[6]).toEqual({ day: '2021-02-28', inMonth: true });
		expect(grid.flat().every((cell) => cell.inMonth)).toBe(true);
	});

	it('includes the leap day and marks the neighbouring months', () => {
		const grid = monthGrid('2028-02');
		const cells = grid.flat();
		expect(cells.filter((cell) => cell.inMonth)).toHaveLength(29);
		// 29 February 2028 is a Tuesday: the last week runs to Sunday 5 March.
		const last = grid.at(-1) ?? [];
		expect(last[1]).toEqual({ day: '2028-02-29', inMonth: true });
		expect(last[2]).toEqual({ day: '2028-03-01', inMonth: false });
		expect(last[6]?.day).toBe('2028-03-05');
		expect(grid.every((week) => week.length === 7)).toBe(true);
	});

	it('lists every day once, consecutively', () => {
		const cells = days('2026-11').flat();
		expect(new Set(cells).size).toBe(cells.length);
		expect([...cells].sort()).toEqual(cells);
		expect(cells[0]).toBe('2026-10-26');
		expect(cells.at(-1)).toBe('2026-12-06');
	});
});

describe('weekdayNames', () => {
	it('names Monday to Sunday in the language', () => {
		expect(weekdayNames('en', 'long')).toEqual([
			'Monday',
			'Tuesday',
			'Wednesday',
			'Thursday',
			'Friday',
			'Saturday',
			'Sunday'
		]);
		expect(weekdayNames('es', 'long')[0]).toBe('lunes');
		expect(weekdayNames('en', 'short')[6]).toBe('Sun');
	});
});
