/**
 * Milliseconds since the epoch of an ISO 8601 timestamp. Rows on devices carry times as
 * `Date#toISOString` text (`2026-01-31T00:00:00.000Z`, the wire format of docs/sync.md); that shape
 * is decoded by hand, about 6× faster than `Date.parse`, which matters when the analytics read
 * a million timestamps per report. Any other shape goes through `Date.parse`.
 */
export function isoMs(iso: string): number {
	if (
		iso.length !== 24 ||
		iso.charCodeAt(23) !== 90 /* Z */ ||
		iso.charCodeAt(10) !== 84 /* T */ ||
		iso.charCodeAt(19) !== 46 /* . */
	)
		return Date.parse(iso);
	// Digits read inline, not through a helper with a loop: this is the hot path of the analytics'
	// cold run (1.5 million timestamps), and the loop's bookkeeping cost a third of the decoding.
	const year =
		(iso.charCodeAt(0) - 48) * 1000 +
		(iso.charCodeAt(1) - 48) * 100 +
		(iso.charCodeAt(2) - 48) * 10 +
		(iso.charCodeAt(3) - 48);
	const month = (iso.charCodeAt(5) - 48) * 10 + (iso.charCodeAt(6) - 48);
	const day = (iso.charCodeAt(8) - 48) * 10 + (iso.charCodeAt(9) - 48);
	if (month < 1 || month > 12 || day < 1 || day > 31) return Date.parse(iso);
	const hours = (iso.charCodeAt(11) - 48) * 10 + (iso.charCodeAt(12) - 48);
	const minutes = (iso.charCodeAt(14) - 48) * 10 + (iso.charCodeAt(15) - 48);
	const seconds = (iso.charCodeAt(17) - 48) * 10 + (iso.charCodeAt(18) - 48);
	const millis =
		(iso.charCodeAt(20) - 48) * 100 + (iso.charCodeAt(21) - 48) * 10 + (iso.charCodeAt(22) - 48);
	const index = (year - TABLE_FIRST_YEAR) * 12 + month - 1;
	const monthDay =
		index >= 0 && index < MONTH_DAYS.length
			? (MONTH_DAYS[index] as number)
			: daysFromCivil(year, month, 1);
	return (((monthDay + day - 1) * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000 + millis;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const dayOfEra =
		yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146_097 + dayOfEra - 719_468;
}

// The day number of the 1st of each month from 1900 to 2199 (14 KB), so that decoding a
// timestamp takes one lookup instead of `daysFromCivil`'s divisions; other years compute it.
const TABLE_FIRST_YEAR = 1900;
const MONTH_DAYS = new Int32Array(300 * 12);
for (let i = 0; i < MONTH_DAYS.length; i++)
	MONTH_DAYS[i] = daysFromCivil(TABLE_FIRST_YEAR + Math.floor(i / 12), (i % 12) + 1, 1);
