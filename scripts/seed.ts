/**
 * `npm run seed -- --clients N --indicators M --accesses K [--seed S] [--reset] [--admin E:P]`
 *
 * Opens the database as the server does (DATABASE_URL, else PGlite under DATA_DIR; migrations
 * applied), refuses while a PineGate server holds the PGlite folder, seeds it with
 * src/lib/server/seed.ts, and prints one JSON line with the counts and the time taken. Progress goes
 * to stderr. Exit codes: 0 done, 1 refused or failed, 2 bad arguments.
 */
import path from 'node:path';
import process from 'node:process';
import { openDatabase, type Database } from '../src/lib/server/db/client';
import { env } from '../src/lib/server/env';
import { lockDataDir } from '../src/lib/server/runtime';
import {
	parseSeedArgs,
	seed,
	SEED_USAGE,
	SeedError,
	type SeedCommand
} from '../src/lib/server/seed';

const say = (line: string) => process.stderr.write(`seed: ${line}\n`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

async function main(): Promise<number> {
	let command: SeedCommand;
	try {
		command = parseSeedArgs(process.argv.slice(2));
	} catch (error) {
		say(error instanceof Error ? error.message : String(error));
		process.stderr.write(`\n${SEED_USAGE}\n`);
		return 2;
	}
	if (command.help) {
		process.stdout.write(`${SEED_USAGE}\n`);
		return 0;
	}

	const config = env();
	let release = () => {};
	let database: Database;
	const started = performance.now();
	if (config.DATABASE_URL) {
		say('opening PostgreSQL (DATABASE_URL) and applying migrations');
		database = await openDatabase({
			databaseUrl: config.DATABASE_URL,
			migrationsDir: config.MIGRATIONS_DIR
		});
	} else {
		const dataDir = path.resolve(config.DATA_DIR);
		try {
			release = lockDataDir(dataDir);
		} catch (error) {
			say(`refusing to seed: ${error instanceof Error ? error.message : String(error)}`);
			return 1;
		}
		say(`opening PGlite in ${dataDir} and applying migrations`);
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

	say(`database ready (${seconds(started)} s)`);

	// Ctrl-C stops between transactions, so the database is closed cleanly (PGlite flushes).
	const abort = new AbortController();
	const onSignal = () => {
		say('stopping after the current transaction…');
		abort.abort();
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		const { options } = command;
		say(
			`seeding ${options.clients} clients, ${options.indicators} indicators, ${options.accesses} accesses (seed ${options.seed})${options.reset ? ' after wiping the domain tables' : ''}`
		);
		const result = await seed(database.db, {
			...options,
			signal: abort.signal,
			onProgress: ({ table, done, total }) =>
				say(`${table} ${done}/${total} (${seconds(started)} s)`)
		});
		if (result.adminCreated === false) say('users already exist: --admin ignored');
		process.stdout.write(
			`${JSON.stringify({
				database: database.kind,
				seed: result.seed,
				now: result.now,
				...result.inserted,
				wiped: result.wiped,
				adminCreated: result.adminCreated,
				elapsedMs: Math.round(performance.now() - started)
			})}\n`
		);
		return 0;
	} catch (error) {
		if (error instanceof SeedError) {
			say(error.message);
			return 1;
		}
		say('the database may now hold part of the dataset: run again with --reset');
		throw error;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await database.close();
		release();
	}
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		process.exitCode = 1;
	}
);
