import PgBoss from 'pg-boss';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';

// pg-boss 10 on our own connections (DESIGN.md §6): it never opens a pool of its own. Its schema
// and queues are created by a migration (drizzle/0004_pgboss_queue.sql), so a job can be written in
// the same transaction as the change it is about, on PGlite as on PostgreSQL, worker or not.

/** pg-boss's `db` option: `executeSql(text, values)` answering `{ rows }`. */
export interface BossDb {
	executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A pg-boss parameter as the drivers take it: objects as JSON, arrays as array literals. */
function param(value: unknown): unknown {
	if (value === undefined || value === null) return null;
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value))
		return `{${value.map((v) => `"${String(v).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
	if (typeof value === 'object') return JSON.stringify(value);
	return value;
}

/** `… $2 … $1 …` with values → a drizzle SQL with the same parameters (drizzle renumbers them). */
function toSql(text: string, values: unknown[]): SQL {
	const chunks: SQL[] = [];
	const parts = text.split(/\$(\d+)/);
	for (let i = 0; i < parts.length; i++) {
		if (i % 2 === 0) chunks.push(sql.raw(parts[i] ?? ''));
		else chunks.push(sql`${param(values[Number(parts[i]) - 1])}`);
	}
	return sql.join(chunks);
}

function rowsOf(result: unknown): Record<string, unknown>[] {
	if (Array.isArray(result)) return result as Record<string, unknown>[];
	return (result as { rows?: Record<string, unknown>[] }).rows ?? [];
}

/**
 * pg-boss over a drizzle database or transaction. Its multi-statement scripts (`BEGIN; …; COMMIT;`,
 * only used to install or migrate its schema) go through `exec`, which both drivers run as a
 * simple query; everything else is one parameterized statement.
 */
export function bossDb(db: DbOrTx, exec?: (sqlText: string) => Promise<void>): BossDb {
	return {
		async executeSql(text, values = []) {
			if (values.length === 0 && /^\s*BEGIN;/.test(text)) {
				if (!exec) throw new Error('pg-boss script needs a connection, not a transaction');
				await exec(text);
				return { rows: [] };
			}
			return { rows: rowsOf(await db.execute(toSql(text, values))) };
		}
	};
}

/** A pg-boss instance on `db`; `start()` it only in the process that works jobs. */
export function createBoss(db: BossDb, options: Partial<PgBoss.ConstructorOptions> = {}): PgBoss {
	return new PgBoss({
		db,
		schedule: false,
		migrate: true,
		supervise: true,
		...options
	});
}

let sender: PgBoss | undefined;

/**
 * An unstarted instance used only for `send(…, { db })`: sending needs no worker and no connection
 * of its own, just the transaction it is given.
 */
export function jobSender(): PgBoss {
	sender ??= createBoss({
		executeSql: () => Promise.reject(new Error('send needs a db option'))
	});
	return sender;
}
