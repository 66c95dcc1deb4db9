import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, getTableName, is, sql, type SQL } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	TEST_DATABASE_URL,
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { openDatabase, type Database, type Db } from './client';
import * as s from './schema';
import { throwawayPostgres } from '../../../../tests/helpers/throwaway-postgres';

// Everything below goes through real inserts on a migrated database (PGlite always, PostgreSQL
// when TEST_DATABASE_URL is set). Constraint violations are asserted by SQLSTATE and constraint
// name, so a test cannot pass because the statement failed for some other reason.

const UNIQUE = '23505';
const CHECK = '23514';
const FOREIGN_KEY = '23503';
/**
 * `on delete restrict` reports restrict_violation (23001) on PostgreSQL 17 (PGlite) but
 * foreign_key_violation (23503) on PostgreSQL 15: error mapping must treat both as a refusal.
 */
const RESTRICT_CODES = ['23001', FOREIGN_KEY];

const T0 = new Date('2030-01-01T00:00:00.000Z');
const DAY = 86_400_000;
const days = (n: number) => new Date(T0.getTime() + n * DAY);
/** Cast for values the TypeScript enum types would refuse: the point is that the database does too. */
const bogus = <T>(value: string) => value as unknown as T;

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;
const pubId = () => `PUB;${randomBytes(16).toString('hex')}`;

const clientRow = (over: Partial<typeof s.clients.$inferInsert> = {}) => ({
	id: uuidv7(),
	tradingviewUsername: `Trader_${unique()}`,
	registeredAt: T0,
	createdAt: T0,
	updatedAt: T0,
	...over
});
const indicatorRow = (over: Partial<typeof s.indicators.$inferInsert> = {}) => ({
	id: uuidv7(),
	name: 'Trend Rider',
	pubId: pubId(),
	createdAt: T0,
	updatedAt: T0,
	...over
});
const accessRow = (
	clientId: string,
	indicatorId: string,
	over: Partial<typeof s.accesses.$inferInsert> = {}
) => ({
	id: uuidv7(),
	clientId,
	indicatorId,
	startsAt: T0,
	endsAt: days(30),
	accessType: 'paid' as const,
	createdAt: T0,
	updatedAt: T0,
	...over
});
const userRow = () => ({
	id: uuidv7(),
	email: `staff_${unique()}@example.com`,
	name: 'Staff',
	role: 'admin' as const,
	passwordHash: 'x',
	createdAt: T0,
	updatedAt: T0
});

interface PgErrorInfo {
	code?: string;
	constraint?: string;
}

/** The SQLSTATE and constraint of a database error, wherever the driver/drizzle put it. */
function pgError(error: unknown): PgErrorInfo {
	let current: unknown = error;
	while (current && typeof current === 'object') {
		const e = current as Record<string, unknown>;
		if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
			const constraint = e.constraint_name ?? e.constraint;
			return {
				code: e.code,
				...(typeof constraint === 'string' ? { constraint } : {})
			};
		}
		current = e.cause;
	}
	return {};
}

async function failure(promise: Promise<unknown>): Promise<PgErrorInfo> {
	try {
		await promise;
	} catch (error) {
		return pgError(error);
	}
	throw new Error('expected the statement to be refused, but it succeeded');
}

/** Rows of a raw query on either driver (postgres.js returns an array, PGlite `{ rows }`). */
async function rows<T>(db: Db, query: SQL): Promise<T[]> {
	const result: unknown = await db.execute(query);
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function insertClient(db: Db, over: Partial<typeof s.clients.$inferInsert> = {}) {
	const [row] = await db.insert(s.clients).values(clientRow(over)).returning();
	return row!;
}
async function insertIndicator(db: Db, over: Partial<typeof s.indicators.$inferInsert> = {}) {
	const [row] = await db.insert(s.indicators).values(indicatorRow(over)).returning();
	return row!;
}

const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
	entries: Array<{ tag: string }>;
};

async function appliedMigrations(db: Db): Promise<number> {
	const [row] = await rows<{ n: number }>(
		db,
		sql`select count(*)::int as n from drizzle.__drizzle_migrations`
	);
	return row!.n;
}

describeEachDatabase('schema', (kind) => {
	let database: TestDatabase;
	let db: Db;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		db = database.db;
	});
	afterAll(async () => {
		await database?.dispose();
	});

	describe('migrations', () => {
		it('apply from empty: every migration recorded, every schema table created', async () => {
			expect(await appliedMigrations(db)).toBe(journal.entries.length);
			const tables = await rows<{ name: string }>(
				db,
				sql`select table_name as name from information_schema.tables where table_schema = 'public'`
			);
			const declared = Object.values(s)
				.filter((value) => is(value, PgTable))
				.map((table) => getTableName(table));
			expect(declared).toEqual(expect.arrayContaining([...s.SYNCED_TABLES, 'sync_clients']));
			expect(tables.map((t) => t.name).sort()).toEqual(expect.arrayContaining(declared.sort()));
		});

		it('every table with version + deleted_at is a synced table and has the bump trigger', async () => {
			const synced = await rows<{ name: string }>(
				db,
				sql`select table_name as name from information_schema.columns
					where table_schema = 'public' and column_name in ('version', 'deleted_at')
					group by table_name having count(*) = 2`
			);
			expect(synced.map((t) => t.name).sort()).toEqual([...s.SYNCED_TABLES].sort());
			const triggers = await rows<{ name: string }>(
				db,
				sql`select c.relname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
					where t.tgname = c.relname || '_bump_version' and not t.tgisinternal`
			);
			expect(triggers.map((t) => t.name).sort()).toEqual([...s.SYNCED_TABLES].sort());
		});

		it('seeds the single sync_state row and refuses a second one', async () => {
			const state = await db.select().from(s.syncState);
			expect(state).toHaveLength(1);
			expect(state[0]!.purgedThroughVersion).toBe(0);
			expect(await failure(db.insert(s.syncState).values({ id: bogus<boolean>('false') }))).toEqual(
				{ code: CHECK, constraint: 'sync_state_singleton_ck' }
			);
		});
	});

	describe('clients', () => {
		it('refuses a TradingView username that differs only in case', async () => {
			await insertClient(db, { tradingviewUsername: 'CryptoKing_42' });
			expect(await failure(insertClient(db, { tradingviewUsername: 'cryptoking_42' }))).toEqual({
				code: UNIQUE,
				constraint: 'clients_tv_username_lower_uq'
			});
		});

		it("lets a tombstoned client's username be used again, but only once among live rows", async () => {
			const old = await insertClient(db, { tradingviewUsername: 'Reused_Name' });
			await db.update(s.clients).set({ deletedAt: T0 }).where(eq(s.clients.id, old.id));
			const again = await insertClient(db, { tradingviewUsername: 'REUSED_name' });
			expect(again.tradingviewUsername).toBe('REUSED_name');
			expect(await failure(insertClient(db, { tradingviewUsername: 'reused_name' }))).toEqual({
				code: UNIQUE,
				constraint: 'clients_tv_username_lower_uq'
			});
			// Un-deleting the old row would make two live clients with one username: refused too.
			expect(
				await failure(db.update(s.clients).set({ deletedAt: null }).where(eq(s.clients.id, old.id)))
			).toEqual({ code: UNIQUE, constraint: 'clients_tv_username_lower_uq' });
		});

		it('refuses an empty or padded username', async () => {
			for (const tradingviewUsername of ['', ' padded', 'padded ']) {
				expect(await failure(insertClient(db, { tradingviewUsername }))).toEqual({
					code: CHECK,
					constraint: 'clients_tv_username_ck'
				});
			}
		});

		it('allows many clients without email, and a present email once (case-insensitive)', async () => {
			await insertClient(db, { email: null });
			await insertClient(db, { email: null });
			await insertClient(db);
			const email = `Someone_${unique()}@Example.com`;
			const first = await insertClient(db, { email });
			expect(await failure(insertClient(db, { email: email.toLowerCase() }))).toEqual({
				code: UNIQUE,
				constraint: 'clients_email_lower_uq'
			});
			await db.update(s.clients).set({ deletedAt: T0 }).where(eq(s.clients.id, first.id));
			await insertClient(db, { email: email.toUpperCase() });
		});

		it('refuses an empty email (absent is null)', async () => {
			expect(await failure(insertClient(db, { email: '  ' }))).toEqual({
				code: CHECK,
				constraint: 'clients_email_ck'
			});
		});

		it('defaults and checks tv_username_state and status', async () => {
			const client = await insertClient(db);
			expect(client.tvUsernameState).toBe('unverified');
			expect(client.status).toBe('active');
			expect(client.deletedAt).toBeNull();
			expect(await failure(insertClient(db, { tvUsernameState: bogus('checked') }))).toEqual({
				code: CHECK,
				constraint: 'clients_tv_username_state_ck'
			});
			expect(await failure(insertClient(db, { status: bogus('deleted') }))).toEqual({
				code: CHECK,
				constraint: 'clients_status_ck'
			});
		});
	});

	describe('indicators', () => {
		it('accepts a well-formed PUB ID and refuses malformed ones', async () => {
			await insertIndicator(db, { pubId: 'PUB;' + 'aZ09'.repeat(8) });
			for (const bad of [
				'PUB;' + 'a'.repeat(31),
				'PUB;' + 'a'.repeat(33),
				'pub;' + 'a'.repeat(32),
				'PUB:' + 'a'.repeat(32),
				'PUB;' + 'a'.repeat(31) + '-',
				' PUB;' + 'a'.repeat(32),
				'PUB;' + 'a'.repeat(32) + '\n'
			]) {
				expect(await failure(insertIndicator(db, { pubId: bad })), bad).toEqual({
					code: CHECK,
					constraint: 'indicators_pub_id_ck'
				});
			}
		});

		it('refuses a duplicate PUB ID among live indicators', async () => {
			const id = pubId();
			const first = await insertIndicator(db, { pubId: id });
			expect(await failure(insertIndicator(db, { pubId: id }))).toEqual({
				code: UNIQUE,
				constraint: 'indicators_pub_id_uq'
			});
			await db.update(s.indicators).set({ deletedAt: T0 }).where(eq(s.indicators.id, first.id));
			await insertIndicator(db, { pubId: id });
		});

		it('defaults and checks pub_id_state and status; release version is its own column', async () => {
			const indicator = await insertIndicator(db, { releaseVersion: '1.0.0' });
			expect(indicator.pubIdState).toBe('unverified');
			expect(indicator.status).toBe('development');
			expect(indicator.releaseVersion).toBe('1.0.0');
			expect(typeof indicator.version).toBe('number');
			expect(await failure(insertIndicator(db, { status: bogus('archived') }))).toEqual({
				code: CHECK,
				constraint: 'indicators_status_ck'
			});
			expect(await failure(insertIndicator(db, { pubIdState: bogus('maybe') }))).toEqual({
				code: CHECK,
				constraint: 'indicators_pub_id_state_ck'
			});
		});

		it('keeps one row per (indicator, release version); refuses an unknown indicator', async () => {
			const indicator = await insertIndicator(db);
			const release = (releaseVersion: string, indicatorId = indicator.id) =>
				db
					.insert(s.indicatorVersions)
					.values({ id: uuidv7(), indicatorId, releaseVersion, releasedAt: T0 })
					.returning();
			const [v1] = await release('1.0.0');
			await release('1.1.0');
			expect(await failure(release('1.0.0'))).toEqual({
				code: UNIQUE,
				constraint: 'indicator_versions_release_uq'
			});
			// Another indicator may have the same version string.
			await release('1.0.0', (await insertIndicator(db)).id);
			// A tombstoned (undone) release can be released again.
			await db
				.update(s.indicatorVersions)
				.set({ deletedAt: T0 })
				.where(eq(s.indicatorVersions.id, v1!.id));
			await release('1.0.0');
			expect(await failure(release('2.0.0', uuidv7()))).toEqual({
				code: FOREIGN_KEY,
				constraint: 'indicator_versions_indicator_id_indicators_id_fk'
			});
		});
	});

	describe('accesses', () => {
		it('allows at most one open grant per (client, indicator)', async () => {
			const client = await insertClient(db);
			const indicator = await insertIndicator(db);
			const [first] = await db
				.insert(s.accesses)
				.values(accessRow(client.id, indicator.id))
				.returning();
			expect(first!.tvState).toBe('pending');
			expect(first!.tvAttempts).toBe(0);
			expect(
				await failure(
					db.insert(s.accesses).values(accessRow(client.id, indicator.id, { endsAt: null }))
				)
			).toEqual({ code: UNIQUE, constraint: 'accesses_open_pair_uq' });

			// Another indicator for the same client, or another client for the same indicator: fine.
			await db.insert(s.accesses).values(accessRow(client.id, (await insertIndicator(db)).id));
			await db.insert(s.accesses).values(accessRow((await insertClient(db)).id, indicator.id));

			// Once revoked, the pair takes a new open grant — and still only one.
			await db
				.update(s.accesses)
				.set({ revokedAt: days(1), revokeReason: 'chargeback' })
				.where(eq(s.accesses.id, first!.id));
			await db.insert(s.accesses).values(accessRow(client.id, indicator.id, { startsAt: days(2) }));
			expect(
				await failure(db.insert(s.accesses).values(accessRow(client.id, indicator.id)))
			).toEqual({ code: UNIQUE, constraint: 'accesses_open_pair_uq' });
		});

		it('counts an expired but unrevoked grant as open (expiry is time-derived)', async () => {
			const client = await insertClient(db);
			const indicator = await insertIndicator(db);
			await db
				.insert(s.accesses)
				.values(accessRow(client.id, indicator.id, { startsAt: days(-60), endsAt: days(-30) }));
			expect(
				await failure(db.insert(s.accesses).values(accessRow(client.id, indicator.id)))
			).toEqual({ code: UNIQUE, constraint: 'accesses_open_pair_uq' });
		});

		it('a tombstoned grant frees the pair', async () => {
			const client = await insertClient(db);
			const indicator = await insertIndicator(db);
			const [grant] = await db
				.insert(s.accesses)
				.values(accessRow(client.id, indicator.id))
				.returning();
			await db.update(s.accesses).set({ deletedAt: T0 }).where(eq(s.accesses.id, grant!.id));
			await db.insert(s.accesses).values(accessRow(client.id, indicator.id));
		});

		it('requires ends_at after starts_at when set (null = lifetime)', async () => {
			const client = await insertClient(db);
			for (const endsAt of [T0, days(-1)]) {
				expect(
					await failure(
						db
							.insert(s.accesses)
							.values(accessRow(client.id, (await insertIndicator(db)).id, { endsAt }))
					)
				).toEqual({ code: CHECK, constraint: 'accesses_ends_after_starts_ck' });
			}
			const [lifetime] = await db
				.insert(s.accesses)
				.values(accessRow(client.id, (await insertIndicator(db)).id, { endsAt: null }))
				.returning();
			expect(lifetime!.endsAt).toBeNull();
		});

		it('checks access_type, tv_state and tv_attempts', async () => {
			const client = await insertClient(db);
			const grant = async (over: Partial<typeof s.accesses.$inferInsert>) =>
				failure(
					db.insert(s.accesses).values(accessRow(client.id, (await insertIndicator(db)).id, over))
				);
			expect(await grant({ accessType: bogus('free') })).toEqual({
				code: CHECK,
				constraint: 'accesses_access_type_ck'
			});
			expect(await grant({ tvState: bogus('done') })).toEqual({
				code: CHECK,
				constraint: 'accesses_tv_state_ck'
			});
			expect(await grant({ tvAttempts: -1 })).toEqual({
				code: CHECK,
				constraint: 'accesses_tv_attempts_ck'
			});
		});

		it('refuses unknown clients and indicators, and hard deletes of clients with grants', async () => {
			const client = await insertClient(db);
			const indicator = await insertIndicator(db);
			expect(
				await failure(db.insert(s.accesses).values(accessRow(uuidv7(), indicator.id)))
			).toEqual({ code: FOREIGN_KEY, constraint: 'accesses_client_id_clients_id_fk' });
			expect(await failure(db.insert(s.accesses).values(accessRow(client.id, uuidv7())))).toEqual({
				code: FOREIGN_KEY,
				constraint: 'accesses_indicator_id_indicators_id_fk'
			});

			await db.insert(s.accesses).values(accessRow(client.id, indicator.id));
			const clientDelete = await failure(db.delete(s.clients).where(eq(s.clients.id, client.id)));
			expect(RESTRICT_CODES).toContain(clientDelete.code);
			expect(clientDelete.constraint).toBe('accesses_client_id_clients_id_fk');
			const indicatorDelete = await failure(
				db.delete(s.indicators).where(eq(s.indicators.id, indicator.id))
			);
			expect(RESTRICT_CODES).toContain(indicatorDelete.code);
			expect(indicatorDelete.constraint).toBe('accesses_indicator_id_indicators_id_fk');

			// A client with nothing attached can be purged.
			const lonely = await insertClient(db);
			await db.delete(s.clients).where(eq(s.clients.id, lonely.id));
		});
	});

	describe('access_events', () => {
		it('checks kind and actor, and refuses unknown references', async () => {
			const client = await insertClient(db);
			const indicator = await insertIndicator(db);
			const [grant] = await db
				.insert(s.accesses)
				.values(accessRow(client.id, indicator.id))
				.returning();
			const event = (over: Partial<typeof s.accessEvents.$inferInsert> = {}) =>
				db
					.insert(s.accessEvents)
					.values({
						id: uuidv7(),
						accessId: grant!.id,
						clientId: client.id,
						indicatorId: indicator.id,
						kind: 'granted',
						at: T0,
						actor: 'system',
						newEndsAt: days(30),
						preset: '30d',
						...over
					})
					.returning();
			await event();
			await event({ kind: 'renewed', actor: uuidv7(), previousEndsAt: days(30) });
			expect(await failure(event({ kind: bogus('extended') }))).toEqual({
				code: CHECK,
				constraint: 'access_events_kind_ck'
			});
			expect(await failure(event({ actor: 'alice' }))).toEqual({
				code: CHECK,
				constraint: 'access_events_actor_ck'
			});
			expect(await failure(event({ accessId: uuidv7() }))).toEqual({
				code: FOREIGN_KEY,
				constraint: 'access_events_access_id_accesses_id_fk'
			});
			expect(await failure(event({ clientId: uuidv7() }))).toEqual({
				code: FOREIGN_KEY,
				constraint: 'access_events_client_id_clients_id_fk'
			});
		});
	});

	describe('transactions', () => {
		const payment = async (over: Partial<typeof s.transactions.$inferInsert> = {}) => {
			const client = await insertClient(db);
			return db
				.insert(s.transactions)
				.values({
					id: uuidv7(),
					clientId: client.id,
					amount: 4_999,
					currency: 'USD',
					occurredAt: T0,
					status: 'paid',
					createdAt: T0,
					updatedAt: T0,
					...over
				})
				.returning();
		};

		it('stores money as integer minor units with an upper-case ISO code', async () => {
			const [row] = await payment({ amount: 12_345_678_901 });
			expect(row!.amount).toBe(12_345_678_901);
			expect(row!.currency).toBe('USD');
			expect(row!.source).toBe('manual');
			for (const currency of ['usd', 'US', 'U$D', '123']) {
				expect(await failure(payment({ currency })), currency).toEqual({
					code: CHECK,
					constraint: 'transactions_currency_ck'
				});
			}
			expect(await failure(payment({ amount: -1 }))).toEqual({
				code: CHECK,
				constraint: 'transactions_amount_ck'
			});
			expect(await failure(payment({ status: bogus('settled') }))).toEqual({
				code: CHECK,
				constraint: 'transactions_status_ck'
			});
			expect(await failure(payment({ source: bogus('paypal') }))).toEqual({
				code: CHECK,
				constraint: 'transactions_source_ck'
			});
			expect(await failure(payment({ clientId: uuidv7() }))).toEqual({
				code: FOREIGN_KEY,
				constraint: 'transactions_client_id_clients_id_fk'
			});
		});

		it('records a Stripe payment reference once; manual references may repeat', async () => {
			const reference = `pi_${unique()}`;
			await payment({ source: 'stripe', paymentReference: reference });
			expect(await failure(payment({ source: 'stripe', paymentReference: reference }))).toEqual({
				code: UNIQUE,
				constraint: 'transactions_stripe_reference_uq'
			});
			await payment({ source: 'manual', paymentReference: 'cash' });
			await payment({ source: 'manual', paymentReference: 'cash' });
		});
	});

	describe('notifications and settings', () => {
		it('keeps read state per user, also for broadcast notifications', async () => {
			const [alice] = await db.insert(s.users).values(userRow()).returning();
			const [bob] = await db.insert(s.users).values(userRow()).returning();
			const [note] = await db
				.insert(s.notifications)
				.values({
					id: uuidv7(),
					kind: 'tv_session_expired',
					entity: 'tradingview_session',
					at: T0,
					userId: null,
					data: { account: 'vendor' }
				})
				.returning();
			const read = (userId: string) =>
				db
					.insert(s.notificationReads)
					.values({ id: uuidv7(), notificationId: note!.id, userId, readAt: T0 });
			await read(alice!.id);
			expect(await failure(read(alice!.id))).toEqual({
				code: UNIQUE,
				constraint: 'notification_reads_notification_user_uq'
			});
			await read(bob!.id);
			expect(await failure(read(uuidv7()))).toEqual({
				code: FOREIGN_KEY,
				constraint: 'notification_reads_user_id_users_id_fk'
			});
			const reads = await db
				.select()
				.from(s.notificationReads)
				.where(eq(s.notificationReads.notificationId, note!.id));
			expect(reads).toHaveLength(2);

			// A second device marking it read again upserts the same row (tombstoned or not).
			const aliceRead = reads.find((r) => r.userId === alice!.id)!;
			await db
				.update(s.notificationReads)
				.set({ deletedAt: days(1) })
				.where(eq(s.notificationReads.id, aliceRead.id));
			const [again] = await db
				.insert(s.notificationReads)
				.values({ id: uuidv7(), notificationId: note!.id, userId: alice!.id, readAt: days(2) })
				.onConflictDoUpdate({
					target: [s.notificationReads.notificationId, s.notificationReads.userId],
					set: { readAt: days(2), deletedAt: null }
				})
				.returning();
			expect(again).toMatchObject({ id: aliceRead.id, readAt: days(2), deletedAt: null });
			expect(again!.version).toBeGreaterThan(aliceRead.version);
		});

		it('stores settings as JSON by key', async () => {
			await db
				.insert(s.settings)
				.values({ key: 'business_timezone', value: 'Europe/Madrid', updatedAt: T0 });
			await db
				.insert(s.settings)
				.values({ key: 'reminders', value: { days: [7, 1] }, updatedAt: T0 });
			const all = await db.select().from(s.settings);
			expect(Object.fromEntries(all.map((r) => [r.key, r.value]))).toMatchObject({
				business_timezone: 'Europe/Madrid',
				reminders: { days: [7, 1] }
			});
		});
	});

	describe('sync bookkeeping', () => {
		it('tracks devices and answers replays from mutation_results', async () => {
			const [user] = await db.insert(s.users).values(userRow()).returning();
			const [device] = await db
				.insert(s.syncClients)
				.values({ clientId: uuidv7(), userId: user!.id, lastSeenAt: T0, createdAt: T0 })
				.returning();
			expect(device!.lastMutationId).toBe(0);
			expect(
				await failure(
					db
						.insert(s.syncClients)
						.values({ clientId: uuidv7(), userId: uuidv7(), lastSeenAt: T0, createdAt: T0 })
				)
			).toEqual({ code: FOREIGN_KEY, constraint: 'sync_clients_user_id_users_id_fk' });

			const result = (mutationId: number, over: Partial<typeof s.mutationResults.$inferInsert>) =>
				db.insert(s.mutationResults).values({
					clientId: device!.clientId,
					mutationId,
					name: 'client.create',
					outcome: 'applied',
					processedAt: T0,
					...over
				});
			await result(1, {});
			await result(2, {
				outcome: 'rejected',
				code: 'unique_conflict',
				message: 'TradingView username already used',
				entity: 'client',
				entityId: uuidv7()
			});
			expect(await failure(result(1, {}))).toEqual({
				code: UNIQUE,
				constraint: 'mutation_results_pk'
			});
			expect(await failure(result(3, { outcome: 'rejected' }))).toEqual({
				code: CHECK,
				constraint: 'mutation_results_code_ck'
			});
			expect(await failure(result(4, { code: 'oops' }))).toEqual({
				code: CHECK,
				constraint: 'mutation_results_code_ck'
			});
			expect(await failure(result(5, { outcome: bogus('skipped'), code: 'x' }))).toEqual({
				code: CHECK,
				constraint: 'mutation_results_outcome_ck'
			});
			expect(await failure(result(0, {}))).toEqual({
				code: CHECK,
				constraint: 'mutation_results_mutation_id_ck'
			});
		});
	});

	describe('version sequence', () => {
		async function maxVersion(): Promise<number> {
			const [row] = await rows<{ v: string | number }>(
				db,
				sql.raw(
					`select max(v)::text as v from (${s.SYNCED_TABLES.map((t) => `select max(version) as v from ${t}`).join(' union all ')}) x`
				)
			);
			return Number(row!.v ?? 0);
		}

		it('increases strictly across tables, on insert and on update (tombstones included)', async () => {
			const start = await maxVersion();
			const client = await insertClient(db);
			const indicator = await insertIndicator(db);
			const [grant] = await db
				.insert(s.accesses)
				.values(accessRow(client.id, indicator.id))
				.returning();
			expect(client.version).toBeGreaterThan(start);
			expect(indicator.version).toBeGreaterThan(client.version);
			expect(grant!.version).toBeGreaterThan(indicator.version);

			const [edited] = await db
				.update(s.clients)
				.set({ notes: 'VIP', updatedAt: days(1) })
				.where(eq(s.clients.id, client.id))
				.returning();
			expect(edited!.version).toBeGreaterThan(grant!.version);

			const [deleted] = await db
				.update(s.clients)
				.set({ deletedAt: days(2) })
				.where(eq(s.clients.id, client.id))
				.returning();
			expect(deleted!.version).toBeGreaterThan(edited!.version);
			expect(await maxVersion()).toBe(deleted!.version);
		});

		it('ignores a version written by the application', async () => {
			const before = await maxVersion();
			const client = await insertClient(db, { version: 1 });
			expect(client.version).toBeGreaterThan(before);
			const [updated] = await db
				.update(s.clients)
				.set({ version: 2, notes: 'x' })
				.where(eq(s.clients.id, client.id))
				.returning();
			expect(updated!.version).toBeGreaterThan(client.version);
		});

		it('never repeats a version across synced tables', async () => {
			const [row] = await rows<{ total: number; distinct: number }>(
				db,
				sql.raw(
					`select count(*)::int as total, count(distinct version)::int as distinct from (${s.SYNCED_TABLES.map((t) => `select version from ${t}`).join(' union all ')}) x`
				)
			);
			expect(row!.total).toBeGreaterThan(0);
			expect(row!.distinct).toBe(row!.total);
		});

		// PostgreSQL only: PGlite has a single connection, so there is no second writer to wait.
		if (kind === 'postgres')
			it('orders versions by commit: a second writer waits, then gets a higher version', async () => {
				let release!: () => void;
				const held = new Promise<void>((resolve) => (release = resolve));
				let announce!: () => void;
				const wrote = new Promise<void>((resolve) => (announce = resolve));

				const first = db.transaction(async (tx) => {
					const [row] = await tx
						.insert(s.clients)
						.values(clientRow())
						.returning({ version: s.clients.version });
					announce();
					await held;
					return row!.version;
				});
				await wrote;

				let secondCommitted = false;
				const second = db
					.transaction(async (tx) => {
						const [row] = await tx
							.insert(s.indicators)
							.values(indicatorRow())
							.returning({ version: s.indicators.version });
						return row!.version;
					})
					.then((version) => {
						secondCommitted = true;
						return version;
					});

				await new Promise((resolve) => setTimeout(resolve, 300));
				// Without the lock, the second writer would have taken a higher version and committed
				// while the first (lower) version was still invisible: a pull then would skip it.
				expect(secondCommitted).toBe(false);
				release();
				const [a, b] = await Promise.all([first, second]);
				expect(b).toBeGreaterThan(a);
			});
	});
});

describe('openDatabase twice on one database is a no-op', () => {
	async function snapshot(database: Database) {
		return {
			migrations: await appliedMigrations(database.db),
			clients: (await database.db.select({ id: s.clients.id }).from(s.clients)).map((r) => r.id)
		};
	}

	it('PGlite: open a data folder, close, open again', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'pinegate-schema-'));
		const dataDir = path.join(dir, 'pglite');
		try {
			const first = await openDatabase({ dataDir, migrationsDir: 'drizzle' });
			const client = await insertClient(first.db);
			const before = await snapshot(first);
			expect(before).toEqual({ migrations: journal.entries.length, clients: [client.id] });
			await first.close();

			const second = await openDatabase({ dataDir, migrationsDir: 'drizzle' });
			try {
				expect(await snapshot(second)).toEqual(before);
				// The sequence survived the restart: new writes still move forward.
				const next = await insertClient(second.db);
				expect(next.version).toBeGreaterThan(client.version);
			} finally {
				await second.close();
			}
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	}, 180_000); // creating a PGlite folder (initdb in WASM) takes 7-20 s on a loaded 2-core machine

	if (TEST_DATABASE_URL)
		it('PostgreSQL: open the same URL twice (also concurrently, as two servers starting)', async () => {
			const { url, ...throwaway } = await throwawayPostgres(TEST_DATABASE_URL!);
			const opened: Database[] = [];
			try {
				const [a, b] = await Promise.all([
					openDatabase({ databaseUrl: url, migrationsDir: 'drizzle' }),
					openDatabase({ databaseUrl: url, migrationsDir: 'drizzle' })
				]);
				opened.push(a, b);
				const client = await insertClient(a.db);
				const before = await snapshot(a);
				expect(before).toEqual({ migrations: journal.entries.length, clients: [client.id] });
				expect(await snapshot(b)).toEqual(before);

				const c = await openDatabase({ databaseUrl: url, migrationsDir: 'drizzle' });
				opened.push(c);
				expect(await snapshot(c)).toEqual(before);
			} finally {
				for (const database of opened) await database.close();
				await throwaway.drop();
			}
		});
});
