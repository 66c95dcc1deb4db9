/**
 * A small round-robin HTTP load balancer for the rolling-restart test, behaving like the one
 * docs/operations.md assumes in front of PineGate:
 * - requests go to the instances in turn, over keep-alive connections;
 * - a request is tried on the next instance only when the attempt failed before any response
 *   arrived: the connection was refused (the instance is restarting) or reset/closed while the
 *   request was being sent (a keep-alive connection the draining server had just closed) — any
 *   error before the response header, as nginx's `proxy_next_upstream error` ("an error occurred
 *   while establishing a connection with the server, passing a request to it, or reading the
 *   response header") and HAProxy's `retry-on conn-failure empty-response` do. Such a retry is safe for sync.push as well: a push is idempotent by client id and mutation
 *   id (docs/sync.md), so one that did reach the database answers the same again;
 * - once any response header has arrived it is passed on as it is, errors included: a 5xx from an
 *   instance is never hidden by a retry.
 */
import http from 'node:http';
import type net from 'node:net';

export interface Upstream {
	name: string;
	port: number;
}

export interface ProxyStats {
	requests: number;
	/** Attempts that failed before a response and were tried on another instance. */
	retries: number;
	/** Requests no instance could take (answered 502). */
	failed: number;
	byUpstream: Record<string, number>;
	/** Retried attempts by error code. */
	retriedOn: Record<string, number>;
	/** Failed requests by the last attempt's error code. */
	failedOn: Record<string, number>;
}

/** Headers about one connection, not the message: a balancer never passes them on. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
	const copy: http.OutgoingHttpHeaders = { ...headers };
	for (const name of HOP_BY_HOP) delete copy[name];
	return copy;
}
const MAX_ATTEMPTS = 20;

export interface Proxy {
	url: string;
	stats: ProxyStats;
	/**
	 * Requests an instance is still working on, even when their client has gone (a client that
	 * disconnects does not cancel what the instance already received).
	 */
	inFlight(): number;
	close(): Promise<void>;
}

/**
 * `retry: false` passes connection failures on as 502s: `npm run test:rolling -- --no-retry` shows
 * what the balancer's retry covers (the test then fails).
 */
export async function startProxy(upstreams: Upstream[], { retry = true } = {}): Promise<Proxy> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
	const stats: ProxyStats = {
		requests: 0,
		retries: 0,
		failed: 0,
		byUpstream: {},
		retriedOn: {},
		failedOn: {}
	};
	let turn = 0;
	let inFlight = 0;

	const server = http.createServer((req, res) => {
		stats.requests++;
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			// The first attempt goes to the next instance in turn; a retry to the instance after the
			// one that failed, as nginx's "next upstream" does. (Retries taken from the shared turn
			// could meet the stopped instance every time: concurrent requests retrying in step
			// alternate the counter between them, and a run once saw 20 attempts all refused.)
			const attempt = (n: number, index = turn++ % upstreams.length) => {
				const upstream = upstreams[index]!;
				inFlight++;
				let settled = false;
				const settle = () => {
					if (!settled) inFlight--;
					settled = true;
				};
				const forward = http.request(
					{
						host: '127.0.0.1',
						port: upstream.port,
						method: req.method,
						path: req.url,
						headers: { ...endToEnd(req.headers), host: `127.0.0.1:${upstream.port}` },
						agent
					},
					(answer) => {
						// The instance answers once its work is done (a push has committed).
						settle();
						stats.byUpstream[upstream.name] = (stats.byUpstream[upstream.name] ?? 0) + 1;
						res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
						answer.pipe(res);
						answer.on('error', () => res.destroy());
						// A client that left stops the pipe; drain so the upstream connection is reused.
						res.once('close', () => answer.resume());
					}
				);
				forward.on('error', (error: NodeJS.ErrnoException) => {
					settle();
					if (res.headersSent) {
						res.destroy();
						return;
					}
					// Before any response header, whatever the error (a CI run once met one outside the
					// refused/reset/pipe codes listed here before, during a restart): like nginx.
					if (retry && n < MAX_ATTEMPTS) {
						stats.retries++;
						const code = error.code ?? error.message;
						stats.retriedOn[code] = (stats.retriedOn[code] ?? 0) + 1;
						// Both instances refusing at once (never in a rolling restart): back off a little.
						const delay = n >= upstreams.length ? 50 : 0;
						setTimeout(() => attempt(n + 1, (index + 1) % upstreams.length), delay);
						return;
					}
					stats.failed++;
					const failedCode = error.code ?? error.message;
					stats.failedOn[failedCode] = (stats.failedOn[failedCode] ?? 0) + 1;
					res.writeHead(502, { 'content-type': 'text/plain' });
					res.end(`proxy: ${error.code ?? error.message}`);
				});
				forward.end(body);
			};
			attempt(1);
		});
	});
	server.keepAliveTimeout = 30_000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		stats,
		inFlight: () => inFlight,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
				agent.destroy();
			})
	};
}
