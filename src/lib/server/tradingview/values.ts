/**
 * Turning what vendors paste and what callers pass into what TradingView reads, refusing values
 * that would be sent wrong (a broken Cookie header, a non-date) before any request is made.
 */
import { TradingViewError } from './errors';

/** A Date, an ISO-8601 string, or null for lifetime access. */
export type Expiration = Date | string | null;

/** `@ JohnDoe ` → `JohnDoe`: what vendors paste (a mention, stray spaces) to what TradingView reads. */
export function cleanUsername(text: string): string {
	return text.trim().replace(/^@+/, '').trim();
}

/** A pasted cookie value; refuses characters that would break or extend the Cookie header. */
export function cookieValue(name: string, value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	if (!trimmed) return undefined;
	const unsafe = [...trimmed].some((ch) => {
		const code = ch.charCodeAt(0);
		return code < 0x21 || code === 0x7f || ';,\\"'.includes(ch);
	});
	if (unsafe) {
		throw new TradingViewError(
			'session',
			`The ${name} cookie contains characters cookies cannot have`
		);
	}
	return trimmed;
}

export function isoExpiration(expiration: Expiration): string | undefined {
	if (expiration === null) return undefined; // omitted = lifetime access
	const date = expiration instanceof Date ? expiration : new Date(expiration);
	if (Number.isNaN(date.getTime())) {
		throw new TradingViewError('bad_request', `Not a date: ${String(expiration)}`);
	}
	return date.toISOString();
}
