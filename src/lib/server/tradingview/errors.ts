/**
 * One error type for every TradingView failure, classified by `kind` so the job queue can decide
 * retry vs fail vs pause without parsing messages. Messages never contain cookie values or passwords.
 */

export type TradingViewErrorKind =
	/** 401/403: the session cookies no longer work; pause writes until new cookies are saved. */
	| 'session'
	/** 422 (or 404): this item can never succeed as sent (unknown user, foreign pine_id). */
	| 'permanent'
	/** 429 (or the login's `rate_limit`): retry after `retryAfterMs` when given. */
	| 'rate_limited'
	/** 5xx, network error, timeout, dropped connection, a non-JSON page: retry with backoff. */
	| 'transient'
	/** Password login asks for a captcha; only a browser login helps. */
	| 'captcha'
	/** Password login needs the 6-digit code; `tempCookies` carry the login to the 2FA step. */
	| 'two_factor_required'
	/** Password login refused the username, password or 2FA code. */
	| 'invalid_credentials'
	/** Any other 4xx, a redirect, or an answer of an unexpected shape: a bug or a changed API. */
	| 'bad_request';

export interface TradingViewErrorDetails {
	status?: number;
	code?: string;
	detail?: string;
	retryAfterMs?: number;
	tempCookies?: string;
	/** The call's path, e.g. `/pine_perm/add/` (no query, no cookies). */
	path?: string;
	cause?: unknown;
}

export class TradingViewError extends Error {
	override name = 'TradingViewError';
	readonly kind: TradingViewErrorKind;
	readonly status?: number;
	readonly code?: string;
	readonly detail?: string;
	readonly retryAfterMs?: number;
	readonly tempCookies?: string;
	readonly path?: string;

	constructor(kind: TradingViewErrorKind, message: string, details: TradingViewErrorDetails = {}) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.kind = kind;
		this.status = details.status;
		this.code = details.code;
		this.detail = details.detail;
		this.retryAfterMs = details.retryAfterMs;
		this.tempCookies = details.tempCookies;
		this.path = details.path;
	}

	/** Whether the queue may try the same call again later. */
	get retryable(): boolean {
		return this.kind === 'transient' || this.kind === 'rate_limited';
	}
}

export function isTradingViewError(error: unknown): error is TradingViewError {
	return error instanceof TradingViewError;
}

/** Maps an HTTP status of a failed call to its kind. */
export function kindOfStatus(status: number): TradingViewErrorKind {
	if (status === 401 || status === 403) return 'session';
	if (status === 422 || status === 404) return 'permanent';
	if (status === 429) return 'rate_limited';
	if (status === 408 || status >= 500) return 'transient';
	return 'bad_request';
}

/**
 * `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds from `now`;
 * undefined when absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
	if (value === null) return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
