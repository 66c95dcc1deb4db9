import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: services take this so callers choose the scope. */
export type DbOrTx = Db | Tx;

export interface Database {
	kind: 'pglite' | 'postgres';
	db: Db;
	/** Runs parameterless SQL (possibly several statements). */
	exec(sqlText: string): Promise<void>;
	close(): Promise<void>;
	/** The underlying driver, for the few consumers (job queue, LISTEN/NOTIFY) that need it. */
	driver: { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; client: postgres.Sql };
}

export interface OpenOptions {
	/** postgres:// URL; when absent the embedded PGlite is used. */
	databaseUrl?: string | undefined;
	/** PGlite data folder; `memory://` (or undefined) keeps it in memory. */
	dataDir?: string | undefined;
	migrationsDir: string;
	/**
	 * PGlite only: a dumped data folder (`dumpDataDir`) to start from instead of an empty cluster,
	 * for a new database only. The tests start each database from one migrated dump: creating a
	 * cluster costs ~2 s of CPU, loading a dump ~0.5 s.
	 */
	template?: Blob | undefined;
}

// Two instances of one server may start together on PostgreSQL; the lock makes migration single-file.
const MIGRATION_LOCK = 727_274_001;

export async function openDatabase(options: OpenOptions): Promise<Database> {
	const migrationsFolder = path.resolve(options.migrationsDir);
	if (options.databaseUrl) {
		const lockClient = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
		try {
			await lockClient`select pg_advisory_lock(${MIGRATION_LOCK})`;
			await migratePostgres(drizzlePostgres({ client: lockClient, schema }), { migrationsFolder });
			await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK})`;
		} finally {
			await lockClient.end({ timeout: 5 });
		}
		const client = postgres(options.databaseUrl, { max: 10, onnotice: () => {} });
		const db = drizzlePostgres({ client, schema }) as unknown as Db;
		return {
			kind: 'postgres',
			db,
			exec: async (sqlText) => {
				await client.unsafe(sqlText);
			},
			close: () => client.end({ timeout: 5 }),
			driver: { kind: 'postgres', client }
		};
	}

	const dataDir =
		options.dataDir && options.dataDir !== 'memory://' ? path.resolve(options.dataDir) : undefined;
	// PGlite creates only the last folder of the path; its parent must exist.
	if (dataDir) mkdirSync(path.dirname(dataDir), { recursive: true });
	const client = await PGlite.create({
		...(dataDir ? { dataDir } : {}),
		...(options.template ? { loadDataDir: options.template } : {})
	});
	const db = drizzlePglite({ client, schema }) as unknown as Db;
	try {
		await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder });
	} catch (error) {
		await client.close();
		throw error;
	}
	return {
		kind: 'pglite',
		db,
		exec: async (sqlText) => {
			await client.exec(sqlText);
		},
		close: () => client.close(),
		driver: { kind: 'pglite', client }
	};
}
