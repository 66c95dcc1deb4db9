/**
 * One HTTP exchange with TradingView: the headers TRADINGVIEW.md names, a form body in either
 * encoding, a timeout, and the mapping of every failure to a TradingViewError. No retries here: the
 * job queue owns retries, pacing and backoff.
 */
import { TradingViewError, kindOfStatus, parseRetryAfter } from './errors';

/** TradingView checks Origin (and some accounts Referer) against its own host, not ours. */
export const TRADINGVIEW_ORIGIN = 'https://www.tradingview.com';
export const BROWSER_USER_AGENT =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A pino-compatible subset; entries carry method, path, status and timing, never cookies. */
export interface TradingViewLogger {
	debug(entry: object, message: string): void;
	warn(entry: object, message: string): void;
}

export interface Transport {
	baseUrl: URL;
	fetch: typeof fetch;
	timeoutMs: number;
	encoding: 'form' | 'multipart';
	now: () => number;
	log?: TradingViewLogger;
}

export interface Exchange {
	method: 'GET' | 'POST';
	/** A path on the base URL, optionally with a query (e.g. a `next` cursor path). */
	path: string;
	query?: Record<string, string | number | undefined>;
	form?: Record<string, string | undefined>;
	/** The whole Cookie header value, or undefined for calls that need none. */
	cookie?: string;
}

export interface Reply {
	status: number;
	body: unknown;
	setCookies: string[];
}

function encodeForm(
	fields: Record<string, string | undefined>,
	encoding: Transport['encoding']
): URLSearchParams | FormData {
	// URLSearchParams percent-encodes the `;` in pine_id as %3B, like the browser's form encoder.
	const form = encoding === 'multipart' ? new FormData() : new URLSearchParams();
	for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.set(key, value);
	return form;
}

function urlOf(transport: Transport, exchange: Exchange): URL {
	const url = new URL(exchange.path, transport.baseUrl);
	for (const [key, value] of Object.entries(exchange.query ?? {})) {
		if (value !== undefined) url.searchParams.set(key, String(value));
	}
	return url;
}

function describeError(body: unknown): { code?: string; detail?: string } {
	if (typeof body !== 'object' || body === null) return {};
	const { code, detail } = body as Record<string, unknown>;
	return {
		code: typeof code === 'string' ? code : undefined,
		detail: typeof detail === 'string' ? detail : undefined
	};
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

export async function exchange(transport: Transport, call: Exchange): Promise<Reply> {
	const url = urlOf(transport, call);
	const path = url.pathname;
	const headers: Record<string, string> = {
		accept: 'application/json',
		origin: TRADINGVIEW_ORIGIN,
		referer: `${TRADINGVIEW_ORIGIN}/`,
		'user-agent': BROWSER_USER_AGENT
	};
	if (call.cookie) headers.cookie = call.cookie;
	const started = transport.now();
	let status: number;
	let text: string;
	let setCookies: string[];
	let retryAfter: string | null;
	try {
		const response = await transport.fetch(url, {
			method: call.method,
			headers,
			body: call.form ? encodeForm(call.form, transport.encoding) : undefined,
			// A redirect is never an answer here (likely a login page); do not follow it with cookies.
			redirect: 'manual',
			signal: AbortSignal.timeout(transport.timeoutMs)
		});
		status = response.status;
		setCookies = response.headers.getSetCookie();
		retryAfter = response.headers.get('retry-after');
		text = await response.text();
	} catch (error) {
		const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
		const message = timedOut
			? `TradingView did not answer ${path} within ${transport.timeoutMs} ms`
			: `TradingView connection failed on ${path}`;
		transport.log?.warn({ method: call.method, path, kind: 'transient', timedOut }, message);
		throw new TradingViewError('transient', message, { path, cause: error });
	}
	const durationMs = transport.now() - started;
	const parsed = parseJson(text);
	if (status >= 200 && status < 300) {
		transport.log?.debug({ method: call.method, path, status, durationMs }, 'TradingView call');
		if (!parsed.ok) {
			// A CDN or maintenance page instead of JSON: worth another try later.
			throw new TradingViewError('transient', `TradingView answered ${path} with non-JSON`, {
				status,
				path
			});
		}
		return { status, body: parsed.value, setCookies };
	}
	const kind = status >= 300 && status < 400 ? 'bad_request' : kindOfStatus(status);
	const { code, detail } = parsed.ok ? describeError(parsed.value) : {};
	const retryAfterMs = status === 429 ? parseRetryAfter(retryAfter, transport.now()) : undefined;
	transport.log?.warn(
		{ method: call.method, path, status, durationMs, kind, code },
		'TradingView call failed'
	);
	const suffix = [code, detail].filter(Boolean).join(': ');
	throw new TradingViewError(
		kind,
		`TradingView ${path} answered ${status}${suffix ? ` (${suffix})` : ''}`,
		{
			status,
			code,
			detail,
			retryAfterMs,
			path
		}
	);
}

/** Reads `name=value` pairs out of Set-Cookie headers (attributes dropped). */
export function cookiesFromSetCookie(setCookies: string[]): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const header of setCookies) {
		const pair = header.split(';', 1)[0] ?? '';
		const eq = pair.indexOf('=');
		if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
	}
	return cookies;
}
