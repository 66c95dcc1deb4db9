import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServer, createLogger, PROTOCOL_HEADER } from '../../scripts/serve.js';
import { applySecurityHeaders, securityHeaders } from '../../scripts/security-headers.js';

type Middleware = Parameters<typeof createAppServer>[0]['handler'];

const silent = createLogger('silent');

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

function request(
	port: number,
	path = '/',
	options: { headers?: Record<string, string>; agent?: http.Agent } = {}
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = http.get(
			{ host: '127.0.0.1', port, path, headers: options.headers, agent: options.agent ?? false },
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (body += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
			}
		);
		req.on('error', reject);
	});
}

const servers: Array<ReturnType<typeof createAppServer>> = [];

async function start(
	handler: Middleware,
	options: Partial<Parameters<typeof createAppServer>[0]> = {}
): Promise<{ app: ReturnType<typeof createAppServer>; port: number }> {
	const app = createAppServer({ handler, headers: securityHeaders(), log: silent, ...options });
	servers.push(app);
	const address: AddressInfo = await app.listen(0, '127.0.0.1');
	return { app, port: address.port };
}

afterEach(async () => {
	await Promise.all(servers.splice(0).map((app) => app.shutdown('test end')));
});

describe('securityHeaders', () => {
	it('sets the fixed headers and no HSTS for a plain-http or unknown origin', () => {
		for (const origin of [undefined, 'http://localhost:3000']) {
			const headers = securityHeaders({ origin });
			expect(headers).toEqual({
				'X-Content-Type-Options': 'nosniff',
				'Referrer-Policy': 'strict-origin-when-cross-origin',
				'X-Frame-Options': 'DENY',
				'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
				'Cross-Origin-Opener-Policy': 'same-origin'
			});
		}
	});

	it('adds Strict-Transport-Security when the public origin is https', () => {
		expect(
			securityHeaders({ origin: 'https://crm.example.com' })['Strict-Transport-Security']
		).toBe('max-age=31536000; includeSubDomains');
	});

	it('lets a later writeHead override a header it set', async () => {
		const { port } = await start((_req, res) => {
			applySecurityHeaders(res, { 'X-Frame-Options': 'DENY' });
			res.writeHead(200, { 'X-Frame-Options': 'SAMEORIGIN' }).end('ok');
		});
		const answer = await request(port);
		expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
	});
});

describe('createAppServer', () => {
	it('puts the security headers on every answer, whoever writes it', async () => {
		const { port } = await start(
			(req, res, next) => {
				if (req.url === '/static.js') {
					// Like sirv: headers passed to writeHead, not setHeader.
					res.writeHead(200, { 'Content-Type': 'text/javascript' }).end('1');
				} else if (req.url === '/next') {
					next();
				} else {
					res.end('page');
				}
			},
			{ headers: securityHeaders({ origin: 'https://crm.example.com' }) }
		);
		for (const path of ['/', '/static.js', '/next']) {
			const answer = await request(port, path);
			expect(answer.headers['x-content-type-options'], path).toBe('nosniff');
			expect(answer.headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
			expect(answer.headers['x-frame-options'], path).toBe('DENY');
			expect(answer.headers['permissions-policy'], path).toContain('camera=()');
			expect(answer.headers['cross-origin-opener-policy'], path).toBe('same-origin');
			expect(answer.headers['strict-transport-security'], path).toContain('max-age=');
		}
		expect((await request(port, '/next')).status).toBe(404);
	});

	it('tells the handler the real protocol, ignoring what the client claims', async () => {
		const { port } = await start(
			(req, res) => {
				res.end(String(req.headers[PROTOCOL_HEADER]));
			},
			{ protocolHeader: PROTOCOL_HEADER }
		);
		const answer = await request(port, '/', { headers: { [PROTOCOL_HEADER]: 'https' } });
		expect(answer.body).toBe('http');
	});

	it('answers 500 when the handler throws or rejects, and keeps serving', async () => {
		const lines: string[] = [];
		const { port } = await start(
			async (req) => {
				await Promise.resolve();
				throw new Error(`boom ${req.url}`);
			},
			{ log: createLogger('info', (line) => lines.push(line)) }
		);
		const answer = await request(port, '/x');
		expect(answer.status).toBe(500);
		expect(answer.headers['x-content-type-options']).toBe('nosniff');
		expect((await request(port, '/y')).status).toBe(500);
		const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
		expect(logged.filter((entry) => entry.msg === 'request failed')).toHaveLength(2);
		expect(logged[0]?.level).toBe(50);
	});

	it('on shutdown waits for in-flight requests, refuses new ones, then runs onClosed once', async () => {
		const events: string[] = [];
		let release: () => void = () => {};
		const { app, port } = await start(
			(req, res) => {
				if (req.url === '/slow') {
					events.push('slow started');
					release = () => {
						events.push('slow answered');
						res.end('slow done');
					};
				} else {
					res.end('fast');
				}
			},
			{ onClosed: () => void events.push('closed') }
		);
		// An idle keep-alive connection must not hold the shutdown.
		const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
		expect((await request(port, '/idle', { agent })).body).toBe('fast');

		const slow = request(port, '/slow');
		await expect.poll(() => app.inFlight()).toBe(1);
		const stopped = app.shutdown('SIGTERM');
		const again = app.shutdown('SIGINT');
		await expect(request(port, '/late')).rejects.toThrow(/ECONNREFUSED/);
		expect(events).toEqual(['slow started']);

		release();
		expect((await slow).body).toBe('slow done');
		await Promise.all([stopped, again]);
		expect(events).toEqual(['slow started', 'slow answered', 'closed']);
		agent.destroy();
	});

	it('closes connections still busy when the shutdown timeout passes', async () => {
		let onClosed = 0;
		const { app, port } = await start(
			() => {
				// never answers, like a live event stream
			},
			{ shutdownTimeoutMs: 200, onClosed: () => void onClosed++ }
		);
		const hanging = request(port, '/stream').catch((error: Error) => error);
		await expect.poll(() => app.inFlight()).toBe(1);
		const started = Date.now();
		await app.shutdown('SIGTERM');
		expect(Date.now() - started).toBeGreaterThanOrEqual(150);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(await hanging).toBeInstanceOf(Error);
		expect(onClosed).toBe(1);
	});

	it('ends open event streams at once instead of waiting for the timeout', async () => {
		const { app, port } = await start(
			(_req, res) => {
				// Like SvelteKit's setResponse: headers through writeHead, then a stream that never ends.
				res.writeHead(200, { 'Content-Type': 'text/event-stream' });
				res.write(': connected\n\n');
			},
			{ shutdownTimeoutMs: 5_000 }
		);
		const stream = new Promise<string>((resolve) => {
			http.get({ host: '127.0.0.1', port, path: '/poke', agent: false }, (res) => {
				res.once('data', () => resolve(String(res.headers['content-type'])));
				res.on('error', () => {});
			});
		});
		expect(await stream).toBe('text/event-stream');
		const started = Date.now();
		await app.shutdown('SIGTERM');
		expect(Date.now() - started).toBeLessThan(2_000);
	});
});

describe('createLogger', () => {
	it('writes pino-shaped JSON lines and honours the level', () => {
		const lines: string[] = [];
		const log = createLogger('warn', (line) => lines.push(line));
		log.info('hidden');
		log.warn('shown', { port: 3000 });
		expect(lines).toHaveLength(1);
		const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
		expect(entry).toMatchObject({ level: 40, app: 'pinegate', msg: 'shown', port: 3000 });
		expect(typeof entry.time).toBe('string');
	});

	it('defaults to info and can be silenced', () => {
		const lines: string[] = [];
		createLogger(undefined, (line) => lines.push(line)).info('a');
		createLogger('silent', (line) => lines.push(line)).fatal('b');
		expect(lines).toHaveLength(1);
	});
});
