import type { Locale } from '$lib/shared/i18n';

// Labels of the analytics periods. The periods are UTC calendar boundaries (docs/analytics.md), so
// they are written in UTC too: a month starting 00:00 UTC must not read as the previous month's
// last day west of Greenwich.

const formats = new Map<string, Intl.DateTimeFormat>();

function utc(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}/${JSON.stringify(options)}`;
	let formatter = formats.get(key);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
		formats.set(key, formatter);
	}
	return formatter;
}

/** "Nov 2026". */
export const monthName = (locale: Locale, ms: number) =>
	utc(locale, { month: 'short', year: 'numeric' }).format(ms);

/** "Nov" (axis ticks). */
export const monthShort = (locale: Locale, ms: number) =>
	utc(locale, { month: 'short' }).format(ms);

/** "3 Nov 2026". */
export const dayName = (locale: Locale, ms: number) =>
	utc(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(ms);

/** "3 Nov" (axis ticks). */
export const dayShort = (locale: Locale, ms: number) =>
	utc(locale, { day: 'numeric', month: 'short' }).format(ms);

/** 0.4 → "40%"; null → null. */
export function percent(locale: Locale, rate: number | null): string | null {
	return rate === null
		? null
		: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}
