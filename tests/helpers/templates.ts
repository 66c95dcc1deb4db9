/**
 * The migrated databases of a test run (named by tests/helpers/vitest-setup.ts), made by the
 * first test worker that needs one and then shared: creating a PGlite cluster costs ~2 s of CPU
 * and migrating a PostgreSQL database a few hundred statements, and a run opens well over a
 * hundred databases.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/client';
import { throwawayPostgres, whileInUse } from './throwaway-postgres';

const WAIT_MS = 180_000;

/**
 * Makes `file` once across the run's workers: the worker that creates `file.lock` first runs
 * `make` (into a temp file, renamed when whole); the others wait for the file. When the maker
 * fails, its lock goes and the next waiter tries.
 */
async function makeOnce(file: string, make: (into: string) => Promise<void>): Promise<void> {
	const lock = `${file}.lock`;
	const deadline = Date.now() + WAIT_MS;
	while (!existsSync(file)) {
		let fd: number;
		try {
			fd = openSync(lock, 'wx');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			if (Date.now() > deadline) throw new Error(`${file} was not made within ${WAIT_MS} ms`);
			await sleep(50);
			continue;
		}
		try {
			if (existsSync(file)) return;
			const into = `${file}.${process.pid}.tmp`;
			await make(into);
			renameSync(into, file);
		} finally {
			closeSync(fd);
			rmSync(lock, { force: true });
		}
	}
}

let pglite: Promise<Blob> | undefined;
/** The dump of a migrated PGlite cluster, read once per test file. */
export function migratedPglite(): Promise<Blob> {
	pglite ??= (async () => {
		const file = inject('pgliteTemplate');
		await makeOnce(file, async (into) => {
			const database = await openDatabase({ migrationsDir: 'drizzle' });
			try {
				if (database.driver.kind !== 'pglite') throw new Error('expected PGlite');
				const dump = await database.driver.client.dumpDataDir('none');
				writeFileSync(into, Buffer.from(await dump.arrayBuffer()));
			} finally {
				await database.close();
			}
		});
		return new Blob([await readFile(file)]);
	})();
	return pglite;
}

let postgresTemplate: Promise<string | undefined> | undefined;
/**
 * The migrated PostgreSQL template's name (undefined outside Vitest's global setup). Made under a
 * session advisory lock, migrated under another name and renamed when whole, so no worker ever
 * copies a half-migrated database.
 */
export function migratedPostgres(serverUrl: string): Promise<string | undefined> {
	postgresTemplate ??= (async () => {
		const name = inject('postgresTemplate');
		if (!name) return undefined;
		const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
		try {
			await admin`select pg_advisory_lock(hashtext(${name}))`;
			const found = await admin`select 1 from pg_database where datname = ${name}`;
			if (found.length === 0) {
				const building = await throwawayPostgres(serverUrl, { prefix: `${name}_building` });
				try {
					const database = await openDatabase({
						databaseUrl: building.url,
						migrationsDir: 'drizzle'
					});
					await database.close();
					await whileInUse(() => admin.unsafe(`alter database ${building.name} rename to ${name}`));
				} finally {
					await building.drop();
				}
			}
		} finally {
			await admin.end({ timeout: 5 });
		}
		return name;
	})();
	return postgresTemplate;
}
