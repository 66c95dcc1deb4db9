/**
 * A fake TradingView: a real HTTP server (node:http) with state, switchable faults and a log of
 * every request, implementing the calls TRADINGVIEW.md describes (see docs/tradingview.md). Tests, benchmarks and the
 * demo point TRADINGVIEW_BASE_URL at it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, type CallFault } from './faults';
import { routes, type Answer, type ParsedRequest } from './handlers';
import { FakeState, type FakeCredentials, type FakeSession } from './state';

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** Parsed form fields; `password` is replaced by "[redacted]" so the log can be printed. */
	body: Record<string, string>;
	encoding: 'form' | 'multipart' | 'none' | 'other';
	cookies: Record<string, string>;
	/** Lower-cased request headers except `cookie` (see `cookies`). */
	headers: Record<string, string>;
	/** The answer's status; undefined while pending or when the connection was dropped. */
	status?: number;
	fault?: CallFault['kind'];
	/** For a `drop` or `slow` fault: whether the call's change was made (TradingView did it). */
	faultApplied?: boolean;
}

export interface FakeTradingViewOptions {
	port?: number;
	host?: string;
	now?: () => Date;
	session?: FakeSession;
	credentials?: FakeCredentials;
	/** Arrange data before the first request (e.g. `seedDemo`). */
	seed?: (state: FakeState) => void;
}

export interface FakeTradingView {
	url: string;
	state: FakeState;
	faults: Faults;
	requests: RecordedRequest[];
	/** Empties state (then re-runs `seed`), faults and the request log, keeping the same server. */
	reset(): void;
	/** Resolves once `count` requests have been received in total (no sleeping in tests). */
	waitForRequests(count: number): Promise<void>;
	close(): Promise<void>;
}

/** `a=1; b=2` or `a=1;b=2`: browsers and tools use both separators. */
export function parseCookies(header: string | undefined): Record<string, string> {
	const cookies: Record<string, string> = {};
	for (const part of (header ?? '').split(';')) {
		const eq = part.indexOf('=');
		if (eq <= 0) continue;
		cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
	}
	return cookies;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** Both encodings TradingView accepts; multipart is parsed by the runtime's own fetch parser. */
async function parseBody(
	contentType: string,
	raw: Buffer
): Promise<{ body: Record<string, string>; encoding: RecordedRequest['encoding'] }> {
	if (raw.length === 0) return { body: {}, encoding: 'none' };
	if (contentType.startsWith('application/x-www-form-urlencoded')) {
		return {
			body: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))),
			encoding: 'form'
		};
	}
	if (contentType.startsWith('multipart/form-data')) {
		const form = await new Response(new Uint8Array(raw), {
			headers: { 'content-type': contentType }
		}).formData();
		const body: Record<string, string> = {};
		for (const [key, value] of form) if (typeof value === 'string') body[key] = value;
		return { body, encoding: 'multipart' };
	}
	return { body: {}, encoding: 'other' };
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(req.headers)) {
		if (key === 'cookie' || value === undefined) continue;
		headers[key] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

export async function startFakeTradingView(
	options: FakeTradingViewOptions = {}
): Promise<FakeTradingView> {
	const state = new FakeState(options.now, options.session, options.credentials);
	options.seed?.(state);
	const faults = new Faults();
	const requests: RecordedRequest[] = [];
	const waiters: { count: number; resolve: () => void }[] = [];
	const timers = new Set<NodeJS.Timeout>();

	const delay = (ms: number) =>
		new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve();
			}, ms);
			timers.add(timer);
		});

	function record(entry: RecordedRequest): void {
		requests.push(entry);
		for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
			waiters.splice(waiters.indexOf(waiter), 1);
			waiter.resolve();
		}
	}

	function send(res: http.ServerResponse, entry: RecordedRequest, answer: Answer): void {
		if (res.destroyed) return; // the caller gave up (timeout) while a slow answer was pending
		entry.status = answer.status;
		const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
		if (answer.setCookies) headers['set-cookie'] = answer.setCookies;
		res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
	}

	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://fake.invalid');
		const raw = await readBody(req);
		const entry: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			body: {},
			encoding: 'none',
			cookies: parseCookies(req.headers.cookie),
			headers: headersOf(req)
		};
		let parsed: Awaited<ReturnType<typeof parseBody>>;
		try {
			parsed = await parseBody(req.headers['content-type'] ?? '', raw);
		} catch {
			record(entry);
			return send(res, entry, { status: 400, body: { detail: 'Malformed request body.' } });
		}
		entry.encoding = parsed.encoding;
		entry.body = { ...parsed.body };
		if (entry.body.password !== undefined) entry.body.password = '[redacted]';
		record(entry);

		const route = routes[url.pathname];
		const request: ParsedRequest = { ...entry, body: parsed.body };
		const answer = (): Answer =>
			!route
				? { status: 404, body: { detail: 'Not found.' } }
				: route.method !== entry.method
					? { status: 405, body: { detail: `Method "${entry.method}" not allowed.` } }
					: route.handler({ state, faults }, request);

		const fault = faults.take(url.pathname);
		entry.fault = fault?.kind;
		switch (fault?.kind) {
			case undefined:
				return send(res, entry, answer());
			case 'rate_limit':
				if (fault.retryAfter !== undefined) res.setHeader('retry-after', fault.retryAfter);
				return send(res, entry, { status: 429, body: { detail: 'Request was throttled.' } });
			case 'server_error':
				return send(res, entry, { status: fault.status, body: { detail: 'Server error.' } });
			case 'drop':
				entry.faultApplied = fault.applied === true;
				if (fault.applied) answer();
				res.destroy();
				return;
			case 'slow': {
				entry.faultApplied = fault.applied !== false;
				const applied = fault.applied !== false ? answer() : undefined;
				await delay(fault.delayMs);
				return send(res, entry, applied ?? answer());
			}
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch(() => {
			if (!res.headersSent) res.writeHead(500).end('{"detail":"Fake TradingView crashed."}');
		});
	});
	await new Promise<void>((resolve) =>
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve)
	);
	const { address, port } = server.address() as AddressInfo;
	const host = address.includes(':') ? `[${address}]` : address;

	return {
		url: `http://${host}:${port}`,
		state,
		faults,
		requests,
		reset: () => {
			state.clear();
			state.session = options.session ?? state.newSession();
			state.credentials = options.credentials ?? {
				username: 'vendor',
				password: 'vendor-password'
			};
			faults.reset();
			requests.length = 0;
			options.seed?.(state);
		},
		waitForRequests: (count) =>
			requests.length >= count
				? Promise.resolve()
				: new Promise((resolve) => waiters.push({ count, resolve })),
		close: () =>
			new Promise<void>((resolve, reject) => {
				for (const timer of timers) clearTimeout(timer);
				timers.clear();
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			})
	};
}
