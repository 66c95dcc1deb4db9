// Calendar days as plain dates ("2026-11-14") and months ("2026-11"), independent of any clock
// or time zone once made. Instants become days only through `dayInZone`, with the zone passed in:
// the browser's today, the business-timezone setting later (DESIGN.md §3). Plain-date arithmetic
// runs on UTC midnights, where every day has 24 hours, so a DST change never shifts a date.

/** A calendar day, `YYYY-MM-DD`. Sorts chronologically as a string. */
export type Day = string;
/** A calendar month, `YYYY-MM`. Sorts chronologically as a string. */
export type Month = string;

const DAY_MS = 86_400_000;
const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const monthPattern = /^(\d{4})-(\d{2})$/;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function fromUtcDate(date: Date): Day {
	return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Midnight UTC of a day: only for plain-date arithmetic, never shown as an instant. */
function utcMidnight(day: Day): number {
	const match = dayPattern.exec(day);
	if (!match) throw new RangeError(`not a day: ${day}`);
	return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** A `YYYY-MM-DD` that names a real date (no 2026-02-30), else null. Years 1000–9999. */
export function parseDay(value: string | null | undefined): Day | null {
	const match = value ? dayPattern.exec(value) : null;
	if (!match || Number(match[1]) < 1000) return null;
	const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return fromUtcDate(date) === value ? value : null;
}

/** A `YYYY-MM` with a month 01–12, else null. Years 1000–9999. */
export function parseMonth(value: string | null | undefined): Month | null {
	const match = value ? monthPattern.exec(value) : null;
	if (!match || Number(match[1]) < 1000) return null;
	const month = Number(match[2]);
	return month >= 1 && month <= 12 ? (value as Month) : null;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day an instant falls on in a time zone (IANA name, e.g. `Europe/Madrid`). Throws a
 * RangeError for an unknown zone.
 */
export function dayInZone(ms: number, timeZone: string): Day {
	let format = dayFormats.get(timeZone);
	if (!format) {
		// en-US with the Gregorian calendar and Latin digits: the parts are plain numbers whatever
		// the user's language.
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			calendar: 'gregory',
			numberingSystem: 'latn',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit'
		});
		dayFormats.set(timeZone, format);
	}
	const parts: Record<string, string> = {};
	for (const part of format.formatToParts(ms)) parts[part.type] = part.value;
	return `${pad(Number(parts.year), 4)}-${parts.month}-${parts.day}`;
}

export function addDays(day: Day, count: number): Day {
	return fromUtcDate(new Date(utcMidnight(day) + count * DAY_MS));
}

/** 0 = Monday … 6 = Sunday (weeks start on Monday, ISO 8601). */
export function weekdayIndex(day: Day): number {
	return (new Date(utcMidnight(day)).getUTCDay() + 6) % 7;
}

export function monthOf(day: Day): Month {
	return day.slice(0, 7);
}

export function firstDayOf(month: Month): Day {
	return `${month}-01`;
}

export function addMonths(month: Month, count: number): Month {
	const [year = 0, monthNumber = 1] = month.split('-').map(Number);
	const date = new Date(Date.UTC(year, monthNumber - 1 + count, 1));
	return fromUtcDate(date).slice(0, 7);
}

export function daysInMonth(month: Month): number {
	const next = utcMidnight(firstDayOf(addMonths(month, 1)));
	return Math.round((next - utcMidnight(firstDayOf(month))) / DAY_MS);
}

/**
 * A Date whose UTC fields are the day's (noon, safely inside it), for formatting a plain day with
 * Intl and `timeZone: 'UTC'`: the shown date is then the day itself, wherever the browser is.
 */
export function dayAsUtcDate(day: Day): Date {
	return new Date(utcMidnight(day) + DAY_MS / 2);
}
