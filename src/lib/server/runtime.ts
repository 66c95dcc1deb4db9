import {
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	rmSync,
	writeSync
} from 'node:fs';
import path from 'node:path';
import { backupDir, configureBackups } from './backups/service';
import { openDatabase, type Database } from './db/client';
import { env } from './env';
import { log } from './log';
import { startPokeRelay, stopPokeRelay } from './sync/pokes';
import { loadSession } from './tradingview/connection';
import { serverSecretBox } from './tradingview/service';
import { startGrantSync, stopGrantSync } from './tradingview/sync/worker';
import { appJobs } from './jobs/jobs';
import { startJobScheduler, stopJobScheduler } from './jobs/scheduler';

/**
 * The server process's long-lived parts. Started once by the `init` hook (never while building),
 * closed on shutdown so PGlite flushes and the process can exit on SIGTERM.
 */
interface Runtime {
	database: Database;
	startedAt: Date;
	release: () => void;
}

let runtime: Promise<Runtime> | undefined;

const SHUTDOWN = Symbol.for('pinegate.shutdown');

/**
 * PGlite tolerates one process per data folder; a pid file makes a second server fail clearly.
 * `npm run seed` (scripts/seed.ts) takes the same lock while it writes.
 */
export function lockDataDir(dataDir: string): () => void {
	mkdirSync(dataDir, { recursive: true });
	const lockPath = path.join(dataDir, 'server.pid');
	if (existsSync(lockPath)) {
		const pid = Number(readFileSync(lockPath, 'utf8').trim());
		if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
			throw new Error(
				`DATA_DIR ${dataDir} is in use by another PineGate server (pid ${pid}). ` +
					'The embedded database allows one process per folder: stop the other server, ' +
					'choose another DATA_DIR, or use DATABASE_URL for several instances.'
			);
		}
		rmSync(lockPath, { force: true });
	}
	const fd = openSync(lockPath, 'wx', 0o600);
	writeSync(fd, String(process.pid));
	closeSync(fd);
	return () => rmSync(lockPath, { force: true });
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function start(): Promise<Runtime> {
	const config = env();
	let release = () => {};
	let database: Database;
	if (config.DATABASE_URL) {
		database = await openDatabase({
			databaseUrl: config.DATABASE_URL,
			migrationsDir: config.MIGRATIONS_DIR
		});
	} else {
		const dataDir = path.resolve(config.DATA_DIR);
		release = lockDataDir(dataDir);
		try {
			database = await openDatabase({
				dataDir: path.join(dataDir, 'pglite'),
				migrationsDir: config.MIGRATIONS_DIR
			});
		} catch (error) {
			release();
			throw error;
		}
	}
	log.info({ database: database.kind }, 'database ready, migrations applied');
	// The backup job and the admin's "Back up now" back up this database (docs/backups.md).
	configureBackups({ database, dir: backupDir(config) });
	// With PostgreSQL, pokes cross server instances through LISTEN/NOTIFY.
	await startPokeRelay(database);
	if (config.TRADINGVIEW_SYNC === 'on') {
		await startGrantSync({
			db: database.db,
			exec: (sqlText) => database.exec(sqlText),
			baseUrl: config.TRADINGVIEW_BASE_URL,
			session: async (db) =>
				(
					await loadSession(db, serverSecretBox, {
						sessionid: config.TRADINGVIEW_SESSIONID,
						sessionidSign: config.TRADINGVIEW_SESSIONID_SIGN
					})
				).session,
			ratePerMinute: config.TRADINGVIEW_RATE_PER_MINUTE,
			sessionCheckMs: 10 * 60_000
		});
		log.info({ ratePerMinute: config.TRADINGVIEW_RATE_PER_MINUTE }, 'TradingView sync started');
	}
	if (config.JOBS === 'on') {
		await startJobScheduler({
			db: database.db,
			exec: (sqlText) => database.exec(sqlText),
			registry: appJobs
		});
		log.info({ jobs: appJobs.list().map((j) => j.name) }, 'job scheduler started');
	}
	const started: Runtime = { database, startedAt: new Date(), release };
	(globalThis as Record<symbol, unknown>)[SHUTDOWN] = stopRuntime;
	return started;
}

export function startRuntime(): Promise<Runtime> {
	runtime ??= start();
	return runtime;
}

export async function getDatabase(): Promise<Database> {
	return (await startRuntime()).database;
}

export async function runtimeInfo(): Promise<{ startedAt: Date; database: Database }> {
	const { startedAt, database } = await startRuntime();
	return { startedAt, database };
}

export async function stopRuntime(): Promise<void> {
	if (!runtime) return;
	const current = runtime;
	runtime = undefined;
	const { database, release } = await current;
	// The runs and the job in hand finish first; waiting jobs stay in the database for the next start.
	await stopJobScheduler();
	await stopGrantSync();
	await stopPokeRelay();
	configureBackups(undefined);
	await database.close();
	release();
	log.info('database closed');
}
