/**
 * The soak's server instances: real `node scripts/serve.js` processes of the built app, each on
 * its own port, all on the one PostgreSQL. The soak SIGKILLs them and starts them again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { freePort } from '../helpers/net';

export { freePort };

export const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVE = path.join(ROOT, 'scripts', 'serve.js');
/** initdb is done, but a start on a loaded 2-core machine (migrations, pg-boss) can be slow. */
const START_TIMEOUT_MS = 60_000;

export class Instance {
	readonly baseURL: string;
	private child: ChildProcess | undefined;
	private log: WriteStream;
	/** Pushes this instance is answering right now (counted by the devices' fetch). */
	pushesInFlight = 0;
	/** Exits nobody asked for (a crash), with the tail of the log. */
	readonly unexpectedExits: string[] = [];
	private killing = false;
	up = false;

	constructor(
		readonly name: string,
		readonly port: number,
		private readonly env: Record<string, string>,
		logFile: string
	) {
		this.baseURL = `http://127.0.0.1:${port}`;
		this.log = createWriteStream(logFile, { flags: 'a' });
	}

	async start(): Promise<void> {
		const inherited = { ...process.env };
		delete inherited.DATA_DIR;
		delete inherited.ORIGIN;
		const child = spawn(process.execPath, [SERVE], {
			cwd: ROOT,
			env: { ...inherited, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		this.killing = false;
		child.stdout?.pipe(this.log, { end: false });
		child.stderr?.pipe(this.log, { end: false });
		child.once('exit', (code, signal) => {
			this.up = false;
			if (!this.killing)
				this.unexpectedExits.push(`${this.name} exited (code ${code}, signal ${signal})`);
		});
		await this.waitHealthy(child);
		this.up = true;
	}

	private async waitHealthy(child: ChildProcess): Promise<void> {
		const deadline = Date.now() + START_TIMEOUT_MS;
		while (Date.now() < deadline) {
			if (child.exitCode !== null || child.signalCode !== null)
				throw new Error(`${this.name} exited during start (see its log)`);
			try {
				const response = await fetch(`${this.baseURL}/healthz`, {
					signal: AbortSignal.timeout(2_000)
				});
				if (response.status === 200) return;
			} catch {
				// Not listening yet.
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error(`${this.name} was not healthy within ${START_TIMEOUT_MS / 1000} s`);
	}

	/** SIGKILL: no drain, no shutdown hook — a crash as far as the app can tell. */
	async kill(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		this.killing = true;
		this.up = false;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
	}

	/** SIGTERM, as at the end of the run (graceful: the worker finishes its job). */
	async stop(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		this.killing = true;
		this.up = false;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
		await exited;
		clearTimeout(timer);
	}

	closeLog(): void {
		this.log.end();
	}
}
