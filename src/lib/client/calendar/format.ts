import type { Locale } from '$lib/shared/i18n';
import { dayAsUtcDate, firstDayOf, type Day, type Month } from './days';

// Calendar labels in the user's language. Plain days and months are formatted in UTC from
// `dayAsUtcDate` (they are already days in the calendar's zone); instants in the calendar's zone.

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}/${JSON.stringify(options)}`;
	let formatter = formats.get(key);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat(locale, options);
		formats.set(key, formatter);
	}
	return formatter;
}

/** The browser's time zone: the calendar's zone until there is a business-timezone setting. */
export function browserTimeZone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** "November 2026" / "noviembre de 2026". */
export function formatMonth(locale: Locale, month: Month): string {
	return format(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
		dayAsUtcDate(firstDayOf(month))
	);
}

/** "Saturday, November 14, 2026" / "sábado, 14 de noviembre de 2026". */
export function formatDayLong(locale: Locale, day: Day): string {
	return format(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(dayAsUtcDate(day));
}

/** "Nov 14, 2026" / "14 nov 2026". */
export function formatDayMedium(locale: Locale, day: Day): string {
	return format(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(dayAsUtcDate(day));
}

/** "2:05 PM" / "14:05": the time of an instant in the calendar's zone. */
export function formatTime(locale: Locale, iso: string, timeZone: string): string {
	return format(locale, { timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** The day of the month as a number in the user's digits ("14"). */
export function formatDayNumber(locale: Locale, day: Day): string {
	return format(locale, { day: 'numeric', timeZone: 'UTC' }).format(dayAsUtcDate(day));
}
