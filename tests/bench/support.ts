/**
 * What the browser benchmarks share: building the app when stale, seeding a PGlite folder (with an
 * optional cache of seeded folders, since seeding 100,000 clients takes minutes), starting the
 * production server on a free port, and reading the device's IndexedDB without going through the
 * app.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdtempSync,
	openSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import postgres from 'postgres';
import { buildIfNeeded as buildWhenStale } from '../../scripts/build-if-needed.js';
import { freePort } from '../helpers/net';
import { throwawayPostgres } from '../helpers/throwaway-postgres';
import { ADMIN_URL } from '../upgrade/servers';

export { freePort };

export const ROOT = path.resolve(import.meta.dirname, '../..');

export type Log = (line: string) => void;

export const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
export const median = (values: number[]) => percentile(values, 50);
export const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A fixed piece of CPU work (2,000 small rows to JSON and back, 300 times), timed in ms. This
 * host's speed drifted two to three times within an hour on 2026-12-07, so a report says how fast
 * the host was while it ran, and only runs with like probes compare.
 */
export function hostProbeMs(): number {
	const rows = Array.from({ length: 2000 }, (_, i) => ({
		id: `x${i}`,
		a: i,
		b: `name ${i}`,
		c: [1, 2, 3],
		d: null
	}));
	const started = performance.now();
	let n = 0;
	for (let k = 0; k < 300; k++) n += (JSON.parse(JSON.stringify(rows)) as unknown[]).length;
	if (n !== 600_000) throw new Error('host probe: wrong count');
	return Math.round(performance.now() - started);
}

/** Builds the app when stale (scripts/build-if-needed.js), or always with BENCH_BUILD=1. */
export function buildIfNeeded(log: Log): void {
	buildWhenStale({ force: process.env.BENCH_BUILD === '1', log });
}

export interface SeedOptions {
	clients: number;
	indicators: number;
	accesses: number;
	admin: { email: string; password: string };
	log: Log;
	/** Seed into `<cache>/<size>` once and copy that folder on later runs of the same size. */
	cache?: string;
}

function seedInto(env: Record<string, string>, options: SeedOptions): void {
	options.log(`seeding ${options.clients} clients and ${options.accesses} grants (minutes)`);
	const seeded = spawnSync(
		process.execPath,
		[
			path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
			'scripts/seed.ts',
			...['--clients', String(options.clients)],
			...['--indicators', String(options.indicators)],
			...['--accesses', String(options.accesses)],
			...['--seed', 'bench'],
			...['--admin', `${options.admin.email}:${options.admin.password}`]
		],
		{ cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] }
	);
	if (seeded.status !== 0) throw new Error('seed failed');
}

const sizeOf = (options: SeedOptions) =>
	`${options.clients}-${options.indicators}-${options.accesses}`;

/** A seeded PGlite folder at `dataDir` (which must not exist yet). */
export function seedDataDir(dataDir: string, options: SeedOptions): void {
	if (!options.cache) return seedInto({ DATA_DIR: dataDir, DATABASE_URL: '' }, options);
	const cache = path.resolve(options.cache, sizeOf(options));
	if (existsSync(path.join(cache, '.seeded'))) {
		options.log(`copying the seeded dataset from ${cache}`);
	} else {
		rmSync(cache, { recursive: true, force: true });
		seedInto({ DATA_DIR: cache, DATABASE_URL: '' }, options);
		writeFileSync(path.join(cache, '.seeded'), '');
	}
	cpSync(cache, dataDir, { recursive: true });
	rmSync(path.join(dataDir, 'server.pid'), { force: true });
}

export type DatabaseKind = 'pglite' | 'postgres';

export function databaseKind(value: string | undefined): DatabaseKind {
	if (value === undefined || value === 'pglite' || value === 'postgres') return value ?? 'pglite';
	throw new Error(`--database: pglite or postgres, not ${value}`);
}

/** A run's own copy of the seeded dataset: the server's environment, and how to remove it. */
export interface Dataset {
	database: DatabaseKind;
	/** DATA_DIR, and DATABASE_URL (empty for PGlite, so a DATABASE_URL in the shell is not used). */
	env: { DATA_DIR: string; DATABASE_URL: string };
	remove(): Promise<void>;
}

/**
 * PostgreSQL's seeded dataset, kept as the template database `pinegate_seed_<size>` on
 * TEST_DATABASE_URL's server and analyzed as autovacuum would have (a production database has
 * had that long since); each run copies it. PGlite runs no autovacuum, so its folder stays
 * without statistics, as an embedded database in use does.
 */
async function postgresTemplate(options: SeedOptions): Promise<string> {
	const template = `pinegate_seed_${sizeOf(options).replaceAll('-', '_')}`;
	const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
	try {
		const [row] = await admin<Array<{ note: string | null }>>`
			select shobj_description(oid, 'pg_database') as note from pg_database where datname = ${template}`;
		if (row?.note === 'seeded, analyzed') {
			options.log(`copying the seeded database ${template}`);
			return template;
		}
		const url = new URL(ADMIN_URL);
		url.pathname = `/${template}`;
		if (row?.note !== 'seeded') {
			await admin.unsafe(`drop database if exists ${template} with (force)`);
			await admin.unsafe(`create database ${template}`);
			seedInto({ DATABASE_URL: url.toString() }, options);
			// Marks the template complete; an interrupted seed is redone next time.
			await admin.unsafe(`comment on database ${template} is 'seeded'`);
		}
		const seeded = postgres(url.toString(), { max: 1, onnotice: () => {} });
		await seeded`analyze`;
		await seeded.end({ timeout: 5 });
		await admin.unsafe(`comment on database ${template} is 'seeded, analyzed'`);
		return template;
	} finally {
		await admin.end({ timeout: 5 });
	}
}

/**
 * A fresh copy of the seeded dataset on `database`. PGlite seeds into a folder (through `cache`
 * when given: seeding 100,000 clients takes minutes); PostgreSQL always through its template.
 * The server gets a folder of its own either way (backups, the pid file).
 */
export async function seededDataset(
	database: DatabaseKind,
	options: SeedOptions
): Promise<Dataset> {
	const parent = mkdtempSync(path.join(os.tmpdir(), 'pinegate-bench-'));
	const dataDir = path.join(parent, 'data');
	const removeFolder = () => rmSync(parent, { recursive: true, force: true });
	if (database === 'pglite') {
		seedDataDir(dataDir, options);
		return {
			database,
			env: { DATA_DIR: dataDir, DATABASE_URL: '' },
			remove: () => Promise.resolve(removeFolder())
		};
	}
	const db = await throwawayPostgres(ADMIN_URL, {
		prefix: 'pinegate_bench',
		template: await postgresTemplate(options)
	});
	return {
		database,
		env: { DATA_DIR: dataDir, DATABASE_URL: db.url },
		remove: async () => {
			removeFolder();
			await db.drop();
		}
	};
}

/** The production server (scripts/serve.js) on a free port, once /healthz answers. */
export async function startServer(
	dataDir: string,
	env: Record<string, string> = {}
): Promise<{ url: string; process: ChildProcess }> {
	const port = await freePort();
	// BENCH_SERVER_NODE_ARGS: flags for the server's Node, e.g. `--cpu-prof --cpu-prof-dir=DIR` (which
	// NODE_OPTIONS refuses) for a CPU profile of the server, written when it stops.
	const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
	// BENCH_SERVER_LOG=FILE: the server's log (each request and its time, at level info) to FILE.
	const logFile = process.env.BENCH_SERVER_LOG;
	const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'scripts/serve.js')], {
		env: {
			...process.env,
			DATA_DIR: dataDir,
			PORT: String(port),
			HOST: '127.0.0.1',
			LOG_LEVEL: logFile ? 'info' : 'warn',
			...env
		},
		stdio: ['ignore', logFile ? openSync(logFile, 'w') : 'ignore', 'inherit']
	});
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 600; i++) {
		try {
			if ((await fetch(`${url}/healthz`)).ok) return { url, process: child };
		} catch {
			// not up yet
		}
		if (child.exitCode !== null) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	child.kill('SIGKILL');
	throw new Error('server did not start');
}

/** Counts rows of a table in the app's IndexedDB without going through the app. */
/**
 * Rows of a device table: its packed base's count (docs/decisions.md §24) plus the rows the table
 * itself holds, less deletion markers. Right after a first sync the table holds next to nothing,
 * so this is exact there; later a row both in the base and edited since counts twice.
 */
export function countRows(page: Page, table: string): Promise<number> {
	return page.evaluate(
		(name) =>
			new Promise<number>((resolve) => {
				const open = indexedDB.open('pinegate');
				open.onerror = () => resolve(-1);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains(name)) {
						db.close();
						resolve(-1);
						return;
					}
					const packed = db.objectStoreNames.contains('bases');
					const tx = db.transaction(packed ? [name, 'bases'] : [name]);
					let total = 0;
					const rows = tx.objectStore(name).openCursor();
					rows.onsuccess = () => {
						const cursor = rows.result;
						if (!cursor) return;
						if (!('__deletedInBase' in (cursor.value as object))) total++;
						cursor.continue();
					};
					if (packed) {
						const base = tx.objectStore('bases').get(name);
						base.onsuccess = () => {
							total += (base.result as { count?: number } | undefined)?.count ?? 0;
						};
					}
					tx.oncomplete = () => {
						db.close();
						resolve(total);
					};
					tx.onerror = () => resolve(-1);
				};
			}),
		table
	);
}

/** The device's `meta.lastSyncedAt`, written with the last page of a pull (a cheap key lookup). */
export function lastSyncedAt(page: Page): Promise<string | null> {
	return page.evaluate(
		() =>
			new Promise<string | null>((resolve) => {
				const open = indexedDB.open('pinegate');
				open.onerror = () => resolve(null);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('meta')) {
						db.close();
						resolve(null);
						return;
					}
					const request = db.transaction('meta').objectStore('meta').get('lastSyncedAt');
					request.onsuccess = () => {
						db.close();
						resolve((request.result as { value?: string } | undefined)?.value ?? null);
					};
					request.onerror = () => resolve(null);
				};
			})
	);
}

/** Waits until the device has stored the last page of its first pull. */
export async function waitForFirstSync(page: Page, timeoutMs = 15 * 60_000): Promise<void> {
	const started = Date.now();
	while (!(await lastSyncedAt(page))) {
		if (Date.now() - started > timeoutMs) throw new Error('the first sync did not finish');
		await page.waitForTimeout(100);
	}
}

interface ProcessTicks {
	name: string;
	/** Chromium's process type (renderer, gpu-process, utility:storage, …), else the name. */
	kind: string;
	parent: number;
	ticks: number;
}

function processKind(pid: string): string {
	let command: string;
	try {
		// Chromium rewrites its command line as one string, so flags are found by pattern.
		command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
	} catch {
		return '?';
	}
	const flag = (name: string) => new RegExp(`--${name}=(\\S+)`).exec(command)?.[1];
	const type = flag('type');
	if (!type) return path.basename(command.split(' ')[0] ?? '?');
	const sub = flag('utility-sub-type');
	const renderer = flag('renderer-client-id');
	if (sub) return `${type}:${sub.split('.').at(-2) ?? sub}`;
	return renderer ? `${type} ${renderer}` : type;
}

/**
 * CPU seconds (user + system) each process under this one has used so far, by pid, read from
 * /proc (Linux; empty elsewhere). On a host whose speed drifts, the CPU a step took compares
 * across runs where its wall time does not: `cpuSecondsSince` gives the server's and the
 * browser's share of a step.
 */
export function cpuTicks(): Map<number, ProcessTicks> {
	const out = new Map<number, ProcessTicks>();
	let pids: string[];
	try {
		pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
	} catch {
		return out;
	}
	for (const pid of pids) {
		try {
			// Fields after the command (which may hold spaces), from field 3 on: ppid is the 4th
			// field, utime and stime the 14th and 15th.
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			out.set(Number(pid), {
				name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
				kind: processKind(pid),
				parent: Number(fields[1]),
				ticks: Number(fields[11]) + Number(fields[12])
			});
		} catch {
			// gone since the listing
		}
	}
	return out;
}

const TICKS_PER_SECOND = 100;

/**
 * CPU seconds since `before` of the processes under `server`, of every other one under us (the
 * browser), and of PostgreSQL's (named `postgres`, not ours: the machine's server, 0 on PGlite,
 * which runs inside the app's server). Anything else on the machine using PostgreSQL meanwhile
 * counts too.
 */
export function cpuSecondsSince(
	before: ReturnType<typeof cpuTicks>,
	server: number | undefined
): { server: number; browser: number; database: number; browserBy: Record<string, number> } {
	const now = cpuTicks();
	const under = (pid: number, root: number): boolean => {
		for (let at: number | undefined = pid; at !== undefined && at > 1; at = now.get(at)?.parent)
			if (at === root) return true;
		return false;
	};
	let serverTicks = 0;
	let otherTicks = 0;
	const byKind = new Map<string, number>();
	let databaseTicks = 0;
	for (const [pid, { name, ticks }] of now) {
		const used = ticks - (before.get(pid)?.ticks ?? 0);
		if (name === 'postgres') databaseTicks += used;
		if (pid === process.pid || !under(pid, process.pid)) continue;
		if (server !== undefined && under(pid, server)) serverTicks += used;
		else {
			otherTicks += used;
			byKind.set(now.get(pid)!.kind, (byKind.get(now.get(pid)!.kind) ?? 0) + used);
		}
	}
	return {
		server: round(serverTicks / TICKS_PER_SECOND),
		browser: round(otherTicks / TICKS_PER_SECOND),
		database: round(databaseTicks / TICKS_PER_SECOND),
		browserBy: Object.fromEntries(
			[...byKind]
				.filter(([, ticks]) => ticks > 0)
				.sort((a, b) => b[1] - a[1])
				.map(([kind, ticks]) => [kind, round(ticks / TICKS_PER_SECOND)])
		)
	};
}

/**
 * Waits `minMs`, then until process `pid` has used under 5% of a core for a second (at most
 * `maxMs` in all), and says how long that took. A server started on a seeded folder runs the
 * jobs it missed about four seconds after it answers: the expiry sweep of the grants that ended
 * since the seed's day (2,368 of them at 21:00 on 2026-12-07, 1.5 s of the server's CPU and a
 * burst of writes), which fell inside device A's first sync at an hour-dependent size.
 */
export async function settled(
	pid: number,
	log: Log,
	minMs = 10_000,
	maxMs = 120_000
): Promise<number> {
	const started = Date.now();
	await new Promise((resolve) => setTimeout(resolve, minMs));
	const ticks = () => cpuTicks().get(pid)?.ticks ?? 0;
	const window: number[] = [ticks()];
	while (Date.now() - started < maxMs) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		window.push(ticks());
		if (window.length > 5) window.shift();
		const used = (window.at(-1) ?? 0) - (window[0] ?? 0);
		if (window.length === 5 && used / TICKS_PER_SECOND < 0.05) break;
	}
	const waited = Date.now() - started;
	log(`server settled after ${waited} ms`);
	return waited;
}

/**
 * Runs jobs now as the admin (`jobs.runNow`), each to its end. A server started on a seeded folder
 * has the backlog of the seed's day ahead of it: the first reminders run wrote 18,896 reminders
 * (grants ending within 7 days and within 1 day) at the first five-minute mark after the start,
 * which fell inside device B's first sync in one run (31.5 s against 19.2 s for A). A server that
 * had been running would have done this work long before; the bench has it done before it
 * measures.
 */
export async function runJobsNow(
	url: string,
	admin: { email: string; password: string },
	jobs: readonly string[],
	log: Log
): Promise<void> {
	const post = (procedure: string, input: unknown, cookie = '') =>
		fetch(`${url}/api/trpc/${procedure}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: url, cookie },
			body: JSON.stringify({ json: input })
		});
	const login = await post('auth.login', admin);
	if (!login.ok) throw new Error(`bench login failed: ${login.status}`);
	const cookie = login.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.join('; ');
	for (const job of jobs) {
		const started = Date.now();
		const answer = await post('jobs.runNow', { job }, cookie);
		if (!answer.ok) throw new Error(`${job}: ${answer.status} ${await answer.text()}`);
		log(`job ${job} run in ${Date.now() - started} ms`);
	}
}
