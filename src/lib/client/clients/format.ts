import type { Locale } from '$lib/shared/i18n';
import type { ClientRow } from '$lib/shared/schemas/client';

// Dates in the user's language and the browser's timezone (the business-timezone setting comes
// with Settings; until then the browser's is the business timezone).

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function format(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}/${JSON.stringify(options)}`;
	let formatter = dateFormats.get(key);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat(locale, options);
		dateFormats.set(key, formatter);
	}
	return formatter;
}

/** "10 Mar 2025" / "10 mar 2025". */
export function formatDate(locale: Locale, iso: string): string {
	return format(locale, { dateStyle: 'medium' }).format(new Date(iso));
}

/** "10 Mar 2025, 14:05". */
export function formatDateTime(locale: Locale, iso: string): string {
	return format(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** 100000 → "100,000" / "100.000". */
export function formatCount(locale: Locale, value: number): string {
	return new Intl.NumberFormat(locale).format(value);
}

/** Money in minor units as "€12.50" in the user's number format. */
export function formatMoney(locale: Locale, minor: number, currency: string): string {
	try {
		const formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
		const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
		return formatter.format(minor / 10 ** digits);
	} catch {
		return `${(minor / 100).toFixed(2)} ${currency}`;
	}
}

/** How a client is named on screen: the full name, else the TradingView username. */
export function clientName(row: Pick<ClientRow, 'fullName' | 'tradingviewUsername'>): string {
	return row.fullName ?? row.tradingviewUsername;
}
