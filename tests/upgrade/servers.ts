/**
 * Real PineGate server processes and throwaway PostgreSQL databases for the upgrade scripts
 * (rolling.ts, previous-release.ts) and the load bench. A server is `node scripts/serve.js` of a
 * given source tree (this one, or an extracted older release) on its own port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import postgres from 'postgres';
import { freePort } from '../helpers/net';
import { throwawayPostgres } from '../helpers/throwaway-postgres';

export { freePort };

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const ADMIN_URL =
	process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ServerProcess {
	name: string;
	url: string;
	port: number;
	child: ChildProcess;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	logs: string[];
}

export interface StartOptions {
	name: string;
	/** The source tree whose scripts/serve.js and build/ run; its cwd (so its own drizzle/). */
	root?: string;
	port?: number;
	env: Record<string, string>;
	startTimeoutMs?: number;
}

/** Spawns the server and waits until GET /healthz answers 200. */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
	const root = options.root ?? ROOT;
	const port = options.port ?? (await freePort());
	const inherited = { ...process.env };
	// A developer's own database must never leak into these servers.
	delete inherited.DATABASE_URL;
	delete inherited.DATA_DIR;
	delete inherited.ORIGIN;
	const child = spawn(process.execPath, [path.join(root, 'scripts/serve.js')], {
		cwd: root,
		env: {
			...inherited,
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			LOG_LEVEL: 'warn',
			...options.env,
			PORT: String(port)
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const logs: string[] = [];
	for (const stream of [child.stdout, child.stderr]) {
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => logs.push(...chunk.split('\n').filter(Boolean)));
	}
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	const server = { name: options.name, url: `http://127.0.0.1:${port}`, port, child, exited, logs };
	await waitHealthy(server, options.startTimeoutMs ?? 60_000);
	return server;
}

async function waitHealthy(server: ServerProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let gone = false;
	void server.exited.then(() => (gone = true));
	while (Date.now() < deadline) {
		if (gone) throw new Error(`${server.name} exited before it was healthy:\n${tail(server)}`);
		try {
			const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
			if (response.status === 200) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	server.child.kill('SIGKILL');
	throw new Error(`${server.name} was not healthy within ${timeoutMs / 1000} s:\n${tail(server)}`);
}

/** SIGTERM, then the exit; a server that takes longer than timeoutMs is killed and reported. */
export async function stopServer(
	server: ServerProcess,
	timeoutMs = 15_000
): Promise<number | null> {
	if (server.child.exitCode === null && server.child.signalCode === null) {
		server.child.kill('SIGTERM');
	}
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'late'>(
		(resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs))
	);
	const result = await Promise.race([server.exited, late]);
	clearTimeout(timer);
	if (result === 'late') {
		server.child.kill('SIGKILL');
		await server.exited;
		throw new Error(
			`${server.name} did not exit within ${timeoutMs / 1000} s of SIGTERM:\n${tail(server)}`
		);
	}
	return result.code;
}

export function tail(server: ServerProcess, lines = 30): string {
	return server.logs.slice(-lines).join('\n');
}

export interface TempDatabase {
	name: string;
	url: string;
	sql: postgres.Sql;
	drop(): Promise<void>;
}

/** Creates an empty database on the test PostgreSQL server; drop() removes it. */
export async function createDatabase(prefix: string, template?: string): Promise<TempDatabase> {
	const throwaway = await throwawayPostgres(ADMIN_URL, { prefix, template });
	const sql = postgres(throwaway.url, { max: 2, onnotice: () => {} });
	return {
		name: throwaway.name,
		url: throwaway.url,
		sql,
		drop: async () => {
			await sql.end({ timeout: 5 });
			await throwaway.drop();
		}
	};
}
