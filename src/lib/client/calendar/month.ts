import {
	addDays,
	daysInMonth,
	firstDayOf,
	monthOf,
	weekdayIndex,
	type Day,
	type Month
} from './days';

export interface GridDay {
	day: Day;
	/** False for the days of the previous and next months that complete the first and last weeks. */
	inMonth: boolean;
}

/** One row of the month view: Monday to Sunday. */
export type GridWeek = GridDay[];

/**
 * The weeks of a month as a calendar page shows them, Monday first: whole weeks from the Monday
 * on or before the 1st to the Sunday on or after the last day (4 to 6 weeks).
 */
export function monthGrid(month: Month): GridWeek[] {
	const first = firstDayOf(month);
	const start = addDays(first, -weekdayIndex(first));
	const last = addDays(first, daysInMonth(month) - 1);
	const end = addDays(last, 6 - weekdayIndex(last));
	const weeks: GridWeek[] = [];
	for (let day = start; day <= end; day = addDays(day, 7)) {
		weeks.push(
			Array.from({ length: 7 }, (_, index) => {
				const date = addDays(day, index);
				return { day: date, inMonth: monthOf(date) === month };
			})
		);
	}
	return weeks;
}

/**
 * The weekday names Monday to Sunday in a language (`short`: "Mon", `long`: "Monday"), from a
 * known Monday formatted in UTC so the browser's zone cannot shift them.
 */
export function weekdayNames(locale: string, width: 'short' | 'long'): string[] {
	const format = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' });
	// 1 January 2024 was a Monday.
	return Array.from({ length: 7 }, (_, index) => format.format(Date.UTC(2024, 0, 1 + index, 12)));
}
