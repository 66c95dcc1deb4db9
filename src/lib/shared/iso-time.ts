/**
 * Milliseconds since the epoch of an ISO 8601 timestamp. Rows on devices carry times as
 * `Date#toISOString` text (`2026-01-31T00:00:00.000Z`, the wire format of docs/sync.md); that shape
 * is decoded by hand, about 4× faster than `Date.parse`, which matters when the analytics read
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
	const year = digits(iso, 0, 4);
	const month = digits(iso, 5, 2);
	const day = digits(iso, 8, 2);
	const hours = digits(iso, 11, 2);
	const minutes = digits(iso, 14, 2);
	const seconds = digits(iso, 17, 2);
	const millis = digits(iso, 20, 3);
	if (month < 1 || month > 12 || day < 1 || day > 31) return Date.parse(iso);
	return (
		((daysFromCivil(year, month, day) * 24 + hours) * 60 + minutes) * 60_000 +
		seconds * 1000 +
		millis
	);
}

// A plain function, not a closure per call: allocating one per timestamp cost 5× the decoding
// (and more under tsx, whose keepNames wraps every closure).
function digits(text: string, from: number, count: number): number {
	let value = 0;
	for (let i = from; i < from + count; i++) value = value * 10 + text.charCodeAt(i) - 48;
	return value;
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
