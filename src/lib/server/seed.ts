import { parseArgs } from 'node:util';
import { count, getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { makeDataset } from '../../../tests/factories';
import { setupInput } from '../shared/schemas/user';
import { audit } from './audit';
import { now as clockNow } from './clock';
import type { Db, DbOrTx } from './db/client';
import {
	accessEvents,
	accesses,
	clients,
	fieldWrites,
	indicators,
	indicatorVersions,
	notificationReads,
	notifications,
	reconciliationDrifts,
	reconciliationRuns,
	syncState,
	transactions,
	users,
	VERSION_WRITE_LOCK
} from './db/schema';

/*
 * Seeds the database with the deterministic factories of tests/factories: `npm run seed` (the CLI
 * in scripts/seed.ts) and tests call `seed(db, options)`. Same options → same rows, ids included
 * (only the database-assigned `version` differs between runs).
 *
 * Rows go in as a few large statements per transaction (`batchSize` rows each, 5,000 by default):
 * every synced row takes the version trigger's advisory lock, which is cheap inside one transaction
 * but serializes writers, so transactions are kept to a few statements each and a running server
 * on PostgreSQL is blocked only briefly at a time. Each statement passes its rows as a single JSON
 * parameter (`json_populate_recordset`), which avoids the 65,535-parameter limit of the protocol
 * and is about twice as fast on PGlite as one parameter per value.
 */

export interface SeedOptions {
	clients: number;
	indicators: number;
	/** Grants, revoked ones included; each comes with its events and, when paid, its payments. */
	accesses: number;
	/** Any text; the same seed gives the same data. Default `1`. */
	seed?: string;
	/**
	 * The time the data is relative to (registrations over the 3 years before it; grants active,
	 * expiring or expired at it). Default: the start of the current UTC day, so the states look
	 * right whenever the seed runs and two runs on the same day are identical.
	 */
	now?: Date;
	/**
	 * Wipe the domain tables first (clients, indicators, releases, grants, events, payments,
	 * notifications and the per-field merge records); users, sessions, settings and the audit log
	 * are kept. Without it, a database that already holds domain data is refused.
	 */
	reset?: boolean;
	/** Creates this admin when the database has no user yet (argon2id hash). */
	admin?: { email: string; password: string; name?: string };
	/** Rows per INSERT statement. */
	batchSize?: number;
	onProgress?: (progress: SeedProgress) => void;
	/** Checked between transactions: an aborted seed stops with a `SeedError`. */
	signal?: AbortSignal;
}

export interface SeedProgress {
	table: 'clients' | 'indicators' | 'accesses';
	done: number;
	total: number;
}

export interface SeedCounts {
	clients: number;
	indicators: number;
	indicatorVersions: number;
	accesses: number;
	accessEvents: number;
	transactions: number;
}

export interface SeedResult {
	seed: string;
	now: string;
	inserted: SeedCounts;
	/** Rows removed by `reset` (null without it). */
	wiped: (SeedCounts & { notifications: number }) | null;
	/** true: created; false: users already existed; null: no admin was asked for. */
	adminCreated: boolean | null;
	elapsedMs: number;
}

/** A refusal or failure the CLI prints as is (no stack trace). */
export class SeedError extends Error {
	override name = 'SeedError';
}

const DEFAULT_SEED = '1';
const DEFAULT_BATCH = 5_000;
/** Statements per transaction for the plain tables. */
const BATCHES_PER_TRANSACTION = 4;

export function startOfUtcDay(date: Date): Date {
	return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/**
 * Inserts rows with one statement: `insert ... select ... from json_populate_recordset(...)`.
 * `version` is left to the column default and the trigger. The row type is the table's insert
 * type, so the factories' records are checked against the schema at compile time.
 */
export async function insertRows<T extends PgTable>(
	db: DbOrTx,
	table: T,
	rows: ReadonlyArray<T['$inferInsert']>
): Promise<void> {
	if (rows.length === 0) return;
	const columns = Object.entries(getTableColumns(table)).filter(([key]) => key !== 'version');
	const names = sql.raw(columns.map(([, column]) => `"${column.name}"`).join(', '));
	const json = JSON.stringify(
		rows.map((row) => {
			const out: Record<string, unknown> = {};
			for (const [key, column] of columns) out[column.name] = (row as Record<string, unknown>)[key];
			return out;
		})
	);
	await db.execute(
		sql`insert into ${table} (${names}) select ${names} from json_populate_recordset(null::${table}, ${json}::json)`
	);
}

async function countRows(db: DbOrTx, table: PgTable): Promise<number> {
	const [row] = await db.select({ n: count() }).from(table);
	return Number(row?.n ?? 0);
}

async function domainCounts(db: DbOrTx): Promise<SeedCounts & { notifications: number }> {
	return {
		clients: await countRows(db, clients),
		indicators: await countRows(db, indicators),
		indicatorVersions: await countRows(db, indicatorVersions),
		accesses: await countRows(db, accesses),
		accessEvents: await countRows(db, accessEvents),
		transactions: await countRows(db, transactions),
		notifications: await countRows(db, notifications)
	};
}

/**
 * Hard-deletes the domain data. Pull never sees hard deletes, so devices that synced the old rows
 * would keep them forever: `purged_through_version` is raised above every version handed out so
 * far, which makes every existing device re-bootstrap (a full pull that keeps its outbox) on its
 * next pull. Under the version lock, so no write lands between the wipe and the bump.
 */
async function wipeDomain(db: Db): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${VERSION_WRITE_LOCK})`);
		await tx.execute(
			sql`truncate table ${reconciliationDrifts}, ${reconciliationRuns}, ${accessEvents}, ${transactions}, ${accesses}, ${indicatorVersions}, ${notificationReads}, ${notifications}, ${indicators}, ${clients}, ${fieldWrites}`
		);
		await tx
			.update(syncState)
			.set({
				purgedThroughVersion: sql`greatest(${syncState.purgedThroughVersion}, nextval('pinegate_version_seq'))`,
				updatedAt: clockNow()
			})
			.where(sql`${syncState.id}`);
	});
}

async function createAdmin(db: Db, admin: NonNullable<SeedOptions['admin']>): Promise<boolean> {
	const parsed = setupInput.safeParse({ ...admin, name: admin.name ?? 'Admin' });
	if (!parsed.success) {
		const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
		throw new SeedError(
			`--admin: invalid ${fields} (an email address and a password of 10 to 256 characters)`
		);
	}
	if ((await countRows(db, users)) > 0) return false;
	const { hashPassword } = await import('./auth/password');
	const passwordHash = await hashPassword(parsed.data.password);
	return db.transaction(async (tx) => {
		if ((await countRows(tx, users)) > 0) return false;
		const at = clockNow();
		const user = {
			id: uuidv7(),
			email: parsed.data.email,
			name: parsed.data.name,
			role: 'admin' as const
		};
		await tx.insert(users).values({ ...user, passwordHash, createdAt: at, updatedAt: at });
		await audit(tx, {
			actor: { id: null, label: 'seed' },
			action: 'user.create',
			entity: 'user',
			entityId: user.id,
			after: user
		});
		return true;
	});
}

function checkCount(name: string, value: number): void {
	if (!Number.isSafeInteger(value) || value < 0)
		throw new SeedError(`--${name} must be a whole number of 0 or more (got ${value})`);
}

/** Seeds the database; see `SeedOptions`. Refuses (SeedError) when domain data exists without `reset`. */
export async function seed(db: Db, options: SeedOptions): Promise<SeedResult> {
	const started = performance.now();
	for (const name of ['clients', 'indicators', 'accesses'] as const)
		checkCount(name, options[name]);
	if (options.accesses > 0 && (options.clients === 0 || options.indicators === 0))
		throw new SeedError('--accesses needs at least one client and one indicator');
	const batchSize = options.batchSize ?? DEFAULT_BATCH;
	if (!Number.isSafeInteger(batchSize) || batchSize < 1)
		throw new SeedError('batchSize must be a positive whole number');
	const seedText = options.seed ?? DEFAULT_SEED;
	const now = options.now ?? startOfUtcDay(clockNow());
	const checkAbort = () => {
		if (options.signal?.aborted)
			throw new SeedError(
				'Seeding interrupted: the database holds part of the dataset. Run again with --reset.'
			);
	};

	const existing = await domainCounts(db);
	// Notifications alone (a TradingView session warning on a fresh install) are no reason to refuse.
	const hasData = Object.entries(existing).some(([table, n]) => table !== 'notifications' && n > 0);
	let wiped: SeedResult['wiped'] = null;
	if (options.reset) {
		await wipeDomain(db);
		wiped = existing;
	} else if (hasData) {
		throw new SeedError(
			`The database already holds data (${existing.clients} clients, ${existing.indicators} indicators, ` +
				`${existing.accesses} accesses). Run with --reset to replace it (users, sessions and settings are kept).`
		);
	}

	const adminCreated = options.admin ? await createAdmin(db, options.admin) : null;

	const dataset = makeDataset({
		seed: seedText,
		clients: options.clients,
		indicators: options.indicators,
		accesses: options.accesses,
		now
	});
	const inserted: SeedCounts = {
		clients: 0,
		indicators: 0,
		indicatorVersions: 0,
		accesses: 0,
		accessEvents: 0,
		transactions: 0
	};

	// Clients: BATCHES_PER_TRANSACTION statements of batchSize rows per transaction.
	const chunk = batchSize * BATCHES_PER_TRANSACTION;
	for (let from = 0; from < dataset.clients.length; from += chunk) {
		checkAbort();
		const part = dataset.clients.slice(from, from + chunk);
		await db.transaction(async (tx) => {
			for (let i = 0; i < part.length; i += batchSize)
				await insertRows(tx, clients, part.slice(i, i + batchSize));
		});
		inserted.clients += part.length;
		options.onProgress?.({ table: 'clients', done: inserted.clients, total: options.clients });
	}

	checkAbort();
	await db.transaction(async (tx) => {
		for (let i = 0; i < dataset.indicators.length; i += batchSize)
			await insertRows(tx, indicators, dataset.indicators.slice(i, i + batchSize));
		for (let i = 0; i < dataset.indicatorVersions.length; i += batchSize)
			await insertRows(tx, indicatorVersions, dataset.indicatorVersions.slice(i, i + batchSize));
	});
	inserted.indicators = dataset.indicators.length;
	inserted.indicatorVersions = dataset.indicatorVersions.length;
	options.onProgress?.({
		table: 'indicators',
		done: inserted.indicators,
		total: options.indicators
	});

	// Grants: one transaction per batchSize grants, with their events and payments.
	let grantRows: Array<typeof accesses.$inferInsert> = [];
	let eventRows: Array<typeof accessEvents.$inferInsert> = [];
	let paymentRows: Array<typeof transactions.$inferInsert> = [];
	const flush = async () => {
		checkAbort();
		await db.transaction(async (tx) => {
			await insertRows(tx, accesses, grantRows);
			for (let i = 0; i < eventRows.length; i += batchSize)
				await insertRows(tx, accessEvents, eventRows.slice(i, i + batchSize));
			for (let i = 0; i < paymentRows.length; i += batchSize)
				await insertRows(tx, transactions, paymentRows.slice(i, i + batchSize));
		});
		inserted.accesses += grantRows.length;
		inserted.accessEvents += eventRows.length;
		inserted.transactions += paymentRows.length;
		grantRows = [];
		eventRows = [];
		paymentRows = [];
		options.onProgress?.({ table: 'accesses', done: inserted.accesses, total: options.accesses });
	};
	for (const grant of dataset.grants()) {
		grantRows.push(grant.access);
		for (const event of grant.events) eventRows.push(event);
		for (const payment of grant.transactions) paymentRows.push(payment);
		if (grantRows.length >= batchSize) await flush();
	}
	if (grantRows.length > 0) await flush();

	return {
		seed: seedText,
		now: now.toISOString(),
		inserted,
		wiped,
		adminCreated,
		elapsedMs: Math.round(performance.now() - started)
	};
}

export interface SeedCommand {
	options: Omit<SeedOptions, 'onProgress' | 'signal'>;
	help: boolean;
}

export const SEED_USAGE = `Usage: npm run seed -- [options]

Fills the database (DATABASE_URL, or PGlite under DATA_DIR) with deterministic demo data.

  --clients N        clients to create (default 200)
  --indicators M     indicators to create, with their releases (default 8)
  --accesses K       grants to create, with their history and payments (default 600)
  --seed S           any text; the same arguments and seed give the same data (default 1)
  --now ISO-DATE     the time the data is relative to (default: today 00:00 UTC)
  --reset            wipe clients, indicators, grants, events, payments and notifications first
                     (users, sessions and settings are kept)
  --admin EMAIL:PASSWORD
                     create this admin when the database has no user yet
  --batch-size R     rows per INSERT statement (default 5000)
  --help             show this help

A PineGate server using the same DATA_DIR must be stopped first.`;

/** Parses the CLI arguments; throws SeedError with a message for the user. */
export function parseSeedArgs(argv: string[]): SeedCommand {
	let values;
	try {
		({ values } = parseArgs({
			args: argv,
			strict: true,
			allowPositionals: false,
			options: {
				clients: { type: 'string' },
				indicators: { type: 'string' },
				accesses: { type: 'string' },
				seed: { type: 'string' },
				now: { type: 'string' },
				reset: { type: 'boolean' },
				admin: { type: 'string' },
				'batch-size': { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		}));
	} catch (error) {
		throw new SeedError(error instanceof Error ? error.message : String(error));
	}
	const whole = (name: string, value: string | undefined, fallback: number, min = 0): number => {
		if (value === undefined) return fallback;
		if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value)))
			throw new SeedError(`--${name} must be a whole number${min > 0 ? ` of ${min} or more` : ''}`);
		return Number(value);
	};
	let now: Date | undefined;
	if (values.now !== undefined) {
		now = new Date(values.now);
		if (Number.isNaN(now.getTime()))
			throw new SeedError('--now must be a date such as 2026-01-01 or 2026-01-01T12:00:00Z');
	}
	let admin: SeedOptions['admin'];
	if (values.admin !== undefined) {
		const at = values.admin.indexOf(':');
		if (at <= 0) throw new SeedError('--admin must be EMAIL:PASSWORD');
		admin = { email: values.admin.slice(0, at), password: values.admin.slice(at + 1) };
	}
	if (values.seed !== undefined && values.seed.length === 0)
		throw new SeedError('--seed must not be empty');
	return {
		help: values.help ?? false,
		options: {
			clients: whole('clients', values.clients, 200),
			indicators: whole('indicators', values.indicators, 8),
			accesses: whole('accesses', values.accesses, 600),
			seed: values.seed ?? DEFAULT_SEED,
			now,
			reset: values.reset ?? false,
			admin,
			batchSize: whole('batch-size', values['batch-size'], DEFAULT_BATCH, 1)
		}
	};
}
