import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { describe } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/db/client';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase extends Database {
	/** Drops the throwaway database (Postgres) or closes the in-memory PGlite. */
	dispose(): Promise<void>;
}

/** A fresh, migrated, empty database of the given kind. */
export async function createTestDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
	if (kind === 'pglite') {
		const database = await openDatabase({ migrationsDir: 'drizzle' });
		return { ...database, dispose: () => database.close() };
	}
	if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
	const name = `pinegate_test_${randomBytes(6).toString('hex')}`;
	const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(TEST_DATABASE_URL);
	url.pathname = `/${name}`;
	const database = await openDatabase({ databaseUrl: url.toString(), migrationsDir: 'drizzle' });
	return {
		...database,
		dispose: async () => {
			await database.close();
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end({ timeout: 5 });
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
