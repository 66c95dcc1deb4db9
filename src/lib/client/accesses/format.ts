import { formatDate } from '$lib/client/clients/format';
import type { Locale } from '$lib/shared/i18n';

/** A `<input type="date">` value (YYYY-MM-DD) as the last millisecond of that day, local time. */
export function endOfLocalDay(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, 23, 59, 59, 999).toISOString();
}

/** An end date for people: the date, or the "lifetime" words when there is none. */
export function formatEnd(locale: Locale, endsAt: string | null, lifetime: string): string {
	return endsAt ? formatDate(locale, endsAt) : lifetime;
}
