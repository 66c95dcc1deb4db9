/**
 * A real PineGate server per spec file: `node scripts/serve.js` on a free port with a fresh
 * database (a temporary DATA_DIR for PGlite, or a throwaway database on TEST_DATABASE_URL).
 *
 * Specs import `test` and `expect` from here instead of '@playwright/test'; `baseURL` then points
 * at the file's own server, so `page.goto('/')` works. Choose the database or extra settings with
 * `test.use({ appOptions: { database: 'postgres', env: { SESSION_DAYS: '1' } } })`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import { freePort } from '../../helpers/net';
import { throwawayPostgres } from '../../helpers/throwaway-postgres';

export { freePort };

export { expect };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVE = path.join(ROOT, 'scripts', 'serve.js');

/**
 * How long a server may take to answer /healthz after spawning. A first start on an empty PGlite
 * folder runs initdb and every migration: seconds normally, far longer on a loaded 2-core machine.
 */
const START_TIMEOUT_MS = 60_000;

/**
 * A migrated, empty PGlite folder made once per run by global-setup.ts. Copying it (~0.3 s) is much
 * faster than initdb + migrations in every spec file; the server still runs its migrations at start
 * (a no-op on the copy).
 */
export const TEMPLATE_ENV = 'PINEGATE_E2E_PGLITE_TEMPLATE';
/** The migrated PostgreSQL database global-setup.ts made, when TEST_DATABASE_URL is set. */
export const POSTGRES_TEMPLATE_ENV = 'PINEGATE_E2E_POSTGRES_TEMPLATE';
/** The server promises to drain in ~10 s; anything slower is a bug the test should see. */
export const STOP_TIMEOUT_MS = 12_000;

export interface AppOptions {
	database?: 'pglite' | 'postgres';
	/** Extra environment for the server; wins over the defaults below. */
	env?: Record<string, string>;
	/**
	 * PGlite: start from the run's migrated template (default) or from an empty folder (false),
	 * which exercises a true first start.
	 */
	template?: boolean;
}

export interface Exit {
	code: number | null;
	signal: NodeJS.Signals | null;
}

export interface ServerProcess {
	child: ChildProcess;
	/** Every line the server wrote so far, stdout and stderr interleaved as received. */
	logs(): string[];
	/** The lines that parse as JSON objects (the app logs in pino's format). */
	jsonLogs(): Array<Record<string, unknown>>;
	/** Settles when the process has exited. */
	exited: Promise<Exit>;
}

export interface App extends ServerProcess {
	baseURL: string;
	port: number;
	/** PGlite folder (database 'pglite') or undefined. */
	dataDir: string | undefined;
	/** The server's DATABASE_URL (database 'postgres') or undefined. */
	databaseUrl: string | undefined;
	/** The environment the server was started with (for starting a second one alike). */
	env: Record<string, string>;
	/** SIGTERM, then wait for exit; throws if it takes longer than STOP_TIMEOUT_MS. Idempotent. */
	stop(): Promise<Exit>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(line: string): Array<Record<string, unknown>> {
	try {
		const parsed: unknown = JSON.parse(line);
		return isRecord(parsed) ? [parsed] : [];
	} catch {
		return [];
	}
}

/** Spawns `node scripts/serve.js` with exactly this environment on top of the current one. */
export function spawnServer(env: Record<string, string>): ServerProcess {
	const inherited = { ...process.env };
	// A developer's own database must never leak into a test server.
	delete inherited.DATABASE_URL;
	delete inherited.DATA_DIR;
	delete inherited.ORIGIN;
	const child = spawn(process.execPath, [SERVE], {
		cwd: ROOT,
		env: { ...inherited, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	const collect = (stream: NodeJS.ReadableStream | null) => {
		let pending = '';
		stream?.setEncoding('utf8');
		stream?.on('data', (chunk: string) => {
			pending += chunk;
			const parts = pending.split('\n');
			pending = parts.pop() ?? '';
			lines.push(...parts.filter((line) => line.length > 0));
		});
		stream?.on('end', () => {
			if (pending) lines.push(pending);
			pending = '';
		});
	};
	collect(child.stdout);
	collect(child.stderr);
	const exited = new Promise<Exit>((resolve) => {
		child.once('exit', (code, signal) => {
			// Let the pipes drain so the last lines are in logs().
			setTimeout(() => resolve({ code, signal }), 50);
		});
	});
	return {
		child,
		logs: () => [...lines],
		jsonLogs: () => lines.flatMap(parseJsonObject),
		exited
	};
}

export async function waitForHealthy(baseURL: string, server: ServerProcess): Promise<void> {
	const deadline = Date.now() + START_TIMEOUT_MS;
	let exit: Exit | undefined;
	void server.exited.then((value) => (exit = value));
	let last = '';
	while (Date.now() < deadline) {
		if (exit) {
			throw new Error(
				`the server exited (code ${exit.code}, signal ${exit.signal}) before it was healthy:\n` +
					server.logs().join('\n')
			);
		}
		try {
			const response = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2_000) });
			if (response.status === 200) return;
			last = `GET /healthz answered ${response.status}`;
		} catch (error) {
			last = error instanceof Error ? error.message : String(error);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	server.child.kill('SIGKILL');
	throw new Error(
		`the server was not healthy after ${START_TIMEOUT_MS / 1000} s (${last}):\n` +
			server.logs().join('\n')
	);
}

/** Waits for the process to exit, SIGKILLing it (and throwing) after timeoutMs. */
export async function waitForExit(
	server: ServerProcess,
	timeoutMs = STOP_TIMEOUT_MS
): Promise<Exit> {
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	const result = await Promise.race([server.exited, timedOut]);
	clearTimeout(timer);
	if (result === 'timeout') {
		server.child.kill('SIGKILL');
		await server.exited;
		throw new Error(
			`the server did not exit within ${timeoutMs / 1000} s of SIGTERM:\n` +
				server.logs().slice(-30).join('\n')
		);
	}
	return result;
}

async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const adminUrl = process.env.TEST_DATABASE_URL;
	if (!adminUrl) {
		throw new Error(
			'database "postgres" needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)'
		);
	}
	return throwawayPostgres(adminUrl, {
		prefix: 'pinegate_e2e',
		template: process.env[POSTGRES_TEMPLATE_ENV]
	});
}

/**
 * The database of a spec file that names none: PostgreSQL where TEST_DATABASE_URL is set (CI),
 * PGlite otherwise. The specs of the embedded default's own journeys (first run, the CRM with
 * offline edits, the offline app shell, two devices, backups, the server itself) name PGlite, so
 * CI runs the end-to-end suite on both. PostgreSQL for the rest is also a third less CPU for the
 * suite: PGlite runs PostgreSQL in WebAssembly inside each spec's server (docs/testing.md).
 */
function defaultDatabase(): 'pglite' | 'postgres' {
	return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/** Starts a server with a fresh database and waits until GET /healthz answers 200. */
export async function startApp(options: AppOptions = {}): Promise<App> {
	const database = options.database ?? defaultDatabase();
	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;
	let dataDir: string | undefined;
	let databaseUrl: string | undefined;
	let dropDatabase: (() => Promise<void>) | undefined;
	if (database === 'postgres') {
		const created = await createPostgresDatabase();
		databaseUrl = created.url;
		dropDatabase = created.drop;
	} else {
		dataDir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-e2e-'));
		const template = process.env[TEMPLATE_ENV];
		if (options.template !== false && template && existsSync(template)) {
			cpSync(template, dataDir, { recursive: true });
		}
	}
	const env: Record<string, string> = {
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		LOG_LEVEL: 'info',
		SHUTDOWN_TIMEOUT: '10',
		...(dataDir ? { DATA_DIR: dataDir } : {}),
		...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
		...options.env
	};
	const cleanup = async () => {
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
		await dropDatabase?.();
	};

	const server = spawnServer(env);
	try {
		await waitForHealthy(baseURL, server);
	} catch (error) {
		server.child.kill('SIGKILL');
		await server.exited;
		await cleanup();
		throw error;
	}

	let stopping: Promise<Exit> | undefined;
	const stop = () => {
		stopping ??= (async () => {
			try {
				if (server.child.exitCode === null && server.child.signalCode === null) {
					server.child.kill('SIGTERM');
				}
				return await waitForExit(server);
			} finally {
				await cleanup();
			}
		})();
		return stopping;
	};
	return { ...server, baseURL, port, dataDir, databaseUrl, env, stop };
}

interface WorkerFixtures {
	/** Keeps each spec file's server alive across its tests; stops the last one at worker end. */
	appRegistry: AppRegistry;
}

interface TestFixtures {
	appOptions: AppOptions;
	/** The spec file's own server, started on first use and shared by the file's tests. */
	app: App;
}

class AppRegistry {
	#current: { key: string; app: App } | undefined;

	async forFile(key: string, options: AppOptions): Promise<App> {
		if (this.#current?.key === key) return this.#current.app;
		await this.stop();
		const app = await startApp(options);
		this.#current = { key, app };
		return app;
	}

	async stop(): Promise<void> {
		const current = this.#current;
		this.#current = undefined;
		if (!current) return;
		const exit = await current.app.stop();
		if (exit.code !== 0) {
			throw new Error(
				`the server of ${current.key} exited with code ${exit.code} (signal ${exit.signal}):\n` +
					current.app.logs().slice(-30).join('\n')
			);
		}
	}
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
	appRegistry: [
		// eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
		async ({}, use) => {
			const registry = new AppRegistry();
			await use(registry);
			await registry.stop();
		},
		{ scope: 'worker', timeout: 60_000 }
	],
	appOptions: [{}, { option: true }],
	app: async ({ appRegistry, appOptions }, use, testInfo) => {
		const key = `${testInfo.file}#${JSON.stringify(appOptions)}`;
		await use(await appRegistry.forFile(key, appOptions));
	},
	baseURL: async ({ app }, use) => {
		await use(app.baseURL);
	}
});
