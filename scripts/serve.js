/**
 * The production server: adapter-node's request handler (build/handler.js) on a plain node:http
 * server, with
 * - security headers on every response, static files and prerendered pages included;
 * - graceful shutdown on SIGTERM/SIGINT: stop accepting, close idle keep-alive connections, let
 *   in-flight requests finish (capped), then close the database through the runtime's shutdown
 *   hook (`globalThis[Symbol.for('pinegate.shutdown')]`) and exit 0;
 * - a clear non-zero exit when the app cannot start (bad configuration, DATA_DIR in use, database
 *   unreachable) instead of a process that hangs.
 *
 * Usage: `node scripts/serve.js` after `vite build` (or `npm start`, which builds when needed).
 * Environment: PORT (3000), HOST (0.0.0.0), SHUTDOWN_TIMEOUT (seconds, 10), LOG_LEVEL, plus the
 * app's own settings (src/lib/server/env.ts) and adapter-node's ORIGIN, PROTOCOL_HEADER,
 * HOST_HEADER, PORT_HEADER, ADDRESS_HEADER, XFF_DEPTH, BODY_SIZE_LIMIT, which its handler reads.
 */
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applySecurityHeaders, securityHeaders } from './security-headers.js';

const SHUTDOWN_HOOK = Symbol.for('pinegate.shutdown');

/**
 * adapter-node builds request URLs from ORIGIN, or from PROTOCOL_HEADER + Host, and assumes
 * `https` when it has neither. This server knows the real protocol of each connection, so in that
 * case it tells the handler through a header of its own, overwritten on every request so a client
 * cannot choose it. Without this, same-origin API calls over plain http://host:3000 would look
 * cross-origin and session cookies would be marked Secure.
 */
export const PROTOCOL_HEADER = 'x-pinegate-protocol';

/** pino's numeric levels, so these lines sort and filter with the app's own. */
const LEVELS = /** @type {const} */ ({
	trace: 10,
	debug: 20,
	info: 30,
	warn: 40,
	error: 50,
	fatal: 60
});

/** @typedef {keyof typeof LEVELS} LevelName */
/** @typedef {(msg: string, fields?: Record<string, unknown>) => void} LogFn */
/** @typedef {Record<LevelName, LogFn>} Logger */

/**
 * One JSON line per event on stdout, in pino's shape (level, time, app, msg).
 *
 * @param {string | undefined} level LOG_LEVEL
 * @param {(line: string) => void} [write]
 * @returns {Logger}
 */
export function createLogger(level, write = (line) => process.stdout.write(line + '\n')) {
	const threshold =
		level === 'silent' ? Infinity : (LEVELS[/** @type {LevelName} */ (level ?? '')] ?? LEVELS.info);
	/** @param {LevelName} name @returns {LogFn} */
	const at =
		(name) =>
		(msg, fields = {}) => {
			if (LEVELS[name] < threshold) return;
			const entry = {
				level: LEVELS[name],
				time: new Date().toISOString(),
				app: 'pinegate',
				...fields,
				msg
			};
			write(JSON.stringify(entry));
		};
	return {
		trace: at('trace'),
		debug: at('debug'),
		info: at('info'),
		warn: at('warn'),
		error: at('error'),
		fatal: at('fatal')
	};
}

/** @param {unknown} error */
function describeError(error) {
	if (error instanceof Error)
		return { message: error.message, name: error.name, stack: error.stack };
	return { message: String(error) };
}

/**
 * adapter-node's handler is a polka middleware: `(req, res, next)`, possibly async.
 * @typedef {(req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => unknown} Middleware
 */

/**
 * @typedef {object} AppServerOptions
 * @property {Middleware} handler
 * @property {Record<string, string>} headers security headers for every response
 * @property {Logger} log
 * @property {string} [protocolHeader] set on each request to the connection's real protocol
 * @property {number} [shutdownTimeoutMs] how long in-flight requests may take once shutdown starts
 * @property {(reason: string) => Promise<void> | void} [onClosed] runs after the HTTP server has drained
 */

/**
 * @typedef {object} AppServer
 * @property {http.Server} server
 * @property {(port: number, host: string) => Promise<import('node:net').AddressInfo>} listen
 * @property {(reason: string) => Promise<void>} shutdown drains, then runs onClosed; idempotent
 * @property {() => number} inFlight
 */

/**
 * The HTTP server without process concerns (signals, exit), so tests can drive it directly.
 *
 * @param {AppServerOptions} options
 * @returns {AppServer}
 */
export function createAppServer(options) {
	const { handler, headers, log, protocolHeader, shutdownTimeoutMs = 10_000, onClosed } = options;
	/** @type {Set<http.ServerResponse>} */
	const open = new Set();
	let draining = false;
	/** @type {Promise<void> | undefined} */
	let shuttingDown;

	const server = http.createServer((req, res) => {
		open.add(res);
		res.once('close', () => {
			open.delete(res);
			// During a drain a keep-alive connection must not wait for its next request.
			if (draining) setImmediate(() => server.closeIdleConnections());
		});
		applySecurityHeaders(res, headers);
		if (draining) res.setHeader('Connection', 'close');
		if (protocolHeader) {
			const encrypted = /** @type {{ encrypted?: boolean }} */ (req.socket).encrypted === true;
			req.headers[protocolHeader] = encrypted ? 'https' : 'http';
		}
		const notFound = () => {
			if (res.headersSent) return;
			res.statusCode = 404;
			res.end('Not Found');
		};
		Promise.resolve()
			.then(() => handler(req, res, notFound))
			.catch((/** @type {unknown} */ error) => {
				log.error('request failed', {
					err: describeError(error),
					method: req.method,
					url: req.url
				});
				if (res.headersSent) {
					res.destroy();
				} else {
					res.statusCode = 500;
					res.setHeader('content-type', 'text/plain; charset=utf-8');
					res.end('Internal Server Error');
				}
			});
	});

	/** @param {number} port @param {string} host */
	function listen(port, host) {
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				resolve(/** @type {import('node:net').AddressInfo} */ (server.address()));
			});
		});
	}

	/** @param {string} reason */
	function shutdown(reason) {
		shuttingDown ??= (async () => {
			draining = true;
			const started = Date.now();
			log.info('shutting down', { reason, inFlight: open.size });
			/** @type {NodeJS.Timeout | undefined} */
			let timer;
			await new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeIdleConnections();
				// Event streams (tRPC subscriptions: sync pokes) never finish by themselves. They carry
				// no state: end them now and the client reconnects, to another instance if there is one.
				const streams = [...open].filter(isEventStream);
				for (const res of streams) res.destroy();
				if (streams.length > 0) log.info('closed event streams', { count: streams.length });
				timer = setTimeout(() => {
					log.warn('shutdown timeout: closing connections with requests still running', {
						inFlight: open.size,
						timeoutMs: shutdownTimeoutMs
					});
					server.closeAllConnections();
				}, shutdownTimeoutMs);
				timer.unref();
			});
			clearTimeout(timer);
			log.info('http server closed', { ms: Date.now() - started });
			await onClosed?.(reason);
		})();
		return shuttingDown;
	}

	return { server, listen, shutdown, inFlight: () => open.size };
}

/** @param {http.ServerResponse} res */
function isEventStream(res) {
	const type = res.getHeader('content-type');
	return typeof type === 'string' && type.toLowerCase().startsWith('text/event-stream');
}

/**
 * @param {string | undefined} value
 * @param {number} fallback
 * @param {string} name
 */
function positiveNumber(value, fallback, name) {
	if (value === undefined || value === '') return fallback;
	const parsed = Number(value);
	if (!Number.isFinite(parsed) || parsed < 0)
		throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(value)}`);
	return parsed;
}

/**
 * Starts the app: loads the built handler (which runs the app's `init` hook: configuration,
 * DATA_DIR lock, database and migrations), listens, and wires the signals.
 *
 * @param {{ buildDir?: string }} [options]
 */
export async function main(options = {}) {
	const env = process.env;
	env.NODE_ENV ??= 'production';
	const log = createLogger(env.LOG_LEVEL);
	const buildDir =
		options.buildDir ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../build');

	/** @param {string} msg @param {unknown} error */
	const fail = (msg, error) => {
		log.fatal(msg, { err: describeError(error) });
		// Also plainly on stderr, for whoever started the server by hand.
		process.stderr.write(`${msg}: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	};

	let protocolHeader;
	if (!env.ORIGIN && !env.PROTOCOL_HEADER) {
		env.PROTOCOL_HEADER = PROTOCOL_HEADER;
		protocolHeader = PROTOCOL_HEADER;
	}

	let port;
	let shutdownTimeoutMs;
	try {
		port = positiveNumber(env.PORT, 3000, 'PORT');
		shutdownTimeoutMs = positiveNumber(env.SHUTDOWN_TIMEOUT, 10, 'SHUTDOWN_TIMEOUT') * 1000;
	} catch (error) {
		return fail('invalid configuration', error);
	}
	const host = env.HOST || '0.0.0.0';

	/** @type {Middleware} */
	let handler;
	try {
		// A computed specifier: the build output is not part of the type-checked program.
		const entry = pathToFileURL(path.join(buildDir, 'handler.js')).href;
		({ handler } = /** @type {{ handler: Middleware }} */ (await import(entry)));
	} catch (error) {
		const code = /** @type {{ code?: string }} */ (error).code;
		if (
			code === 'ERR_MODULE_NOT_FOUND' &&
			String(/** @type {Error} */ (error).message).includes('handler.js')
		) {
			return fail(
				`no build found in ${buildDir}: run \`npm run build\` (or \`npm start\`, which builds when needed)`,
				error
			);
		}
		return fail('PineGate could not start', error);
	}

	const app = createAppServer({
		handler,
		headers: securityHeaders({ origin: env.ORIGIN }),
		log,
		protocolHeader,
		shutdownTimeoutMs,
		onClosed: async (reason) => {
			// adapter-node's own server emits this; keep listeners written for it working.
			/** @type {import('node:events').EventEmitter} */ (process).emit(
				'sveltekit:shutdown',
				reason
			);
			const stop = /** @type {(() => Promise<void>) | undefined} */ (
				/** @type {Record<symbol, unknown>} */ (globalThis)[SHUTDOWN_HOOK]
			);
			await stop?.();
		}
	});

	/** @type {number | undefined} */
	let firstSignalAt;
	/** @param {NodeJS.Signals} signal */
	const onSignal = (signal) => {
		if (firstSignalAt !== undefined) {
			// `npm start` in a terminal: Ctrl-C reaches both npm and this process, and npm forwards
			// it once more. Only a signal sent deliberately later forces the exit.
			if (Date.now() - firstSignalAt < 1_000) return;
			log.warn('second signal: exiting without waiting', { signal });
			process.exit(1);
		}
		firstSignalAt = Date.now();
		app.shutdown(signal).then(
			() => {
				log.info('stopped', { signal });
				process.exit(0);
			},
			(error) => fail('shutdown failed', error)
		);
	};
	process.on('SIGTERM', onSignal);
	process.on('SIGINT', onSignal);

	try {
		const address = await app.listen(port, host);
		log.info('listening', {
			port: address.port,
			host: address.address,
			url: `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${address.port}`,
			origin: env.ORIGIN ?? null,
			nodeEnv: env.NODE_ENV
		});
	} catch (error) {
		const code = /** @type {{ code?: string }} */ (error).code;
		const msg =
			code === 'EADDRINUSE'
				? `port ${port} on ${host} is in use: stop the other server or set PORT`
				: `cannot listen on ${host}:${port}`;
		// The database is open: close it so PGlite flushes, then report.
		await /** @type {(() => Promise<void>) | undefined} */ (
			/** @type {Record<symbol, unknown>} */ (globalThis)[SHUTDOWN_HOOK]
		)?.().catch(() => {});
		return fail(msg, error);
	}
	return app;
}

const invokedDirectly =
	process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) await main();
