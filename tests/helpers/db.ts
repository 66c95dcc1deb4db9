import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { migratedPglite, migratedPostgres } from './templates';
import { throwawayPostgres } from './throwaway-postgres';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase extends Database {
	/** Drops the throwaway database (Postgres) or closes the in-memory PGlite. */
	dispose(): Promise<void>;
}

/** A fresh, migrated, empty database of the given kind. */
export async function createTestDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
	if (kind === 'pglite') {
		const database = await openDatabase({
			migrationsDir: 'drizzle',
			template: await migratedPglite()
		});
		return { ...database, dispose: () => database.close() };
	}
	if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
	const throwaway = await throwawayPostgres(TEST_DATABASE_URL, {
		template: await migratedPostgres(TEST_DATABASE_URL)
	});
	const database = await openDatabase({ databaseUrl: throwaway.url, migrationsDir: 'drizzle' });
	return {
		...database,
		dispose: async () => {
			await database.close();
			await throwaway.drop();
		}
	};
}

/** The kinds a `.pg.test.ts` suite runs on: always PGlite, PostgreSQL when TEST_DATABASE_URL is set. */
export const databaseKinds: Array<'pglite' | 'postgres'> = TEST_DATABASE_URL
	? ['pglite', 'postgres']
	: ['pglite'];

/** Declares the suite once per database kind. */
export function describeEachDatabase(
	name: string,
	body: (kind: 'pglite' | 'postgres') => void
): void {
	for (const kind of databaseKinds) describe(`${name} [${kind}]`, () => body(kind));
}

/**
 * A fresh database for the enclosing suite (opened before its tests, disposed after), emptied
 * before each test by `truncate` (a comma-separated table list, `cascade` added). Read `.current`
 * inside tests and hooks only.
 */
export function useTestDatabase(
	kind: 'pglite' | 'postgres',
	truncate: string
): { readonly current: TestDatabase } {
	let database: TestDatabase | undefined;
	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database?.dispose();
	});
	beforeEach(async () => {
		await database?.exec(`truncate ${truncate} cascade`);
	});
	return {
		get current() {
			if (!database) throw new Error('the test database is opened in beforeAll');
			return database;
		}
	};
}

export interface RestartableDatabase {
	/**
	 * The current connection; replaced by `restart`. Only for steps nothing restarts under; work
	 * that may overlap a restart (a device syncing in the background) goes through `run`.
	 */
	readonly db: Database['db'];
	/**
	 * Runs `fn` on the current connection: it waits for a restart in progress, and a restart waits
	 * for it to finish, so a connection is never closed under a running query ("PGlite is closed").
	 */
	run<T>(fn: (db: Database['db']) => Promise<T>): Promise<T>;
	exec(sqlText: string): Promise<void>;
	/**
	 * Closes the connection and opens the same (persistent) database again, as a server restart
	 * would: after every `run` in progress, and after any restart asked for before it.
	 */
	restart(): Promise<void>;
	dispose(): Promise<void>;
}

/** A database that survives a restart of its "server": PGlite in a temp folder, or a throwaway Postgres db. */
export async function createRestartableDatabase(
	kind: 'pglite' | 'postgres'
): Promise<RestartableDatabase> {
	const { mkdtempSync, rmSync } = await import('node:fs');
	const { tmpdir } = await import('node:os');
	const path = await import('node:path');
	let open: () => Promise<Database>;
	let cleanup: () => Promise<void>;
	if (kind === 'pglite') {
		const dir = mkdtempSync(path.join(tmpdir(), 'pinegate-restart-'));
		// The dump only seeds the folder's first opening; a restart opens what is there.
		let template: Blob | undefined = await migratedPglite();
		open = () => {
			const opening = openDatabase({
				dataDir: path.join(dir, 'pglite'),
				migrationsDir: 'drizzle',
				template
			});
			template = undefined;
			return opening;
		};
		cleanup = () => {
			rmSync(dir, { recursive: true, force: true });
			return Promise.resolve();
		};
	} else {
		if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
		const throwaway = await throwawayPostgres(TEST_DATABASE_URL, {
			template: await migratedPostgres(TEST_DATABASE_URL)
		});
		open = () => openDatabase({ databaseUrl: throwaway.url, migrationsDir: 'drizzle' });
		cleanup = () => throwaway.drop();
	}
	let current = await open();
	// Restarts are chained on `gate`; `running` counts the `run`s in progress, and `idle` wakes a
	// restart waiting for them to end.
	let gate: Promise<void> = Promise.resolve();
	let running = 0;
	let idle: (() => void) | null = null;
	const run = async <T>(fn: (db: Database['db']) => Promise<T>): Promise<T> => {
		let seen: Promise<void>;
		do {
			seen = gate;
			await seen;
		} while (seen !== gate); // another restart was chained meanwhile: wait for it too
		running++;
		try {
			return await fn(current.db);
		} finally {
			running--;
			if (running === 0) idle?.();
		}
	};
	const restart = (): Promise<void> => {
		const done = gate.then(async () => {
			if (running > 0) await new Promise<void>((resolve) => (idle = resolve));
			idle = null;
			await current.close();
			current = await open();
		});
		gate = done.catch(() => {});
		return done;
	};
	return {
		get db() {
			return current.db;
		},
		run,
		exec: (sqlText) => run(() => current.exec(sqlText)),
		restart,
		async dispose() {
			await gate;
			await current.close();
			await cleanup();
		}
	};
}
