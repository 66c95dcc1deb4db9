/**
 * A pull reads only what changed, through the version indexes, even where the database has no
 * statistics. PGlite runs no autovacuum, so a seeded or long-running embedded database is never
 * analyzed; its planner then guessed a third of a table for `version > cursor` and read whole
 * tables sequentially on every pull: 300–560 ms for an up-to-date device on the 1.27 M-row
 * benchmark set (bench:load, docs/benchmarks.md 2026-11-28), the pull every poke triggers.
 *
 * Sequential scans are counted from pg_stat_user_tables. The check runs on PGlite only: there one
 * backend runs the pull, so its counters can be flushed and read reliably (PostgreSQL's
 * autovacuum keeps statistics, and a pooled connection's counters flush on their own schedule).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createTestDatabase, type TestDatabase } from '../../../../tests/helpers/db';
import { makeUser, pullAll } from '../../../../tests/helpers/sync';
import { rowsOf } from '../db/rows';
import { seed } from '../seed';
import { pull } from './pull';
import { snapshot } from './snapshot';
import { CLIENT_SCHEMA_VERSION } from '$lib/shared/sync/protocol';
import type { SessionUser } from '$lib/shared/schemas/user';

describe('pull on a database without statistics [pglite]', () => {
	let database: TestDatabase;
	let admin: SessionUser;

	beforeAll(async () => {
		database = await createTestDatabase('pglite');
		admin = await makeUser(database.db, 'admin');
		// Big enough that reading a table through its version index beats reading all of it.
		await seed(database.db, { clients: 3000, indicators: 5, accesses: 6000, seed: 'scans' });
	});
	afterAll(async () => {
		await database.dispose();
	});

	/** Sequential scans of the synced tables so far (counters flushed and re-read). */
	async function seqScans(): Promise<number> {
		await database.db.execute(sql`select pg_stat_force_next_flush()`);
		await database.db.execute(sql`select pg_stat_clear_snapshot()`);
		const [row] = rowsOf<{ scans: string | number }>(
			await database.db.execute(
				sql`select coalesce(sum(seq_scan), 0) as scans from pg_stat_user_tables
					where relname in ('clients', 'accesses', 'access_events', 'transactions')`
			)
		);
		return Number(row?.scans ?? 0);
	}

	// A page far smaller than the tables, as 5,000 rows are on the benchmark set: an index walk of
	// `limit + 1` versions is then the plan even without statistics.
	const pullFrom = (clientId: string, cursor: number) =>
		pull(database.db, admin, {
			clientId,
			schemaVersion: CLIENT_SCHEMA_VERSION,
			cursor,
			limit: 200
		});

	it('has no statistics to plan with (the situation being tested)', async () => {
		const [row] = rowsOf<{ analyzed: string | number }>(
			await database.db.execute(
				sql`select count(*) as analyzed from pg_stat_user_tables
					where relname = 'access_events' and (last_analyze is not null or last_autoanalyze is not null)`
			)
		);
		expect(Number(row?.analyzed)).toBe(0);
	});

	it('an up-to-date device reads no synced table sequentially', async () => {
		const device = uuidv7();
		const { cursor } = await pullAll(database.db, admin, device, 0, 20_000);
		const before = await seqScans();
		const page = await pullFrom(device, cursor);
		expect(page).toMatchObject({ status: 'ok', cursor, more: false, rows: {} });
		expect(await seqScans()).toBe(before);
	});

	it('the last page (a few new rows) is read through the version indexes too', async () => {
		const device = uuidv7();
		const { cursor } = await pullAll(database.db, admin, device, 0, 20_000);
		// Three edits after the device's cursor (the version trigger gives them new versions).
		await database.db.execute(
			sql`update clients set notes = 'edited' where id in (select id from clients order by id limit 3)`
		);
		const before = await seqScans();
		const page = await pullFrom(device, cursor);
		expect(page.status === 'ok' && page.rows.clients?.map((c) => c.notes)).toEqual([
			'edited',
			'edited',
			'edited'
		]);
		expect(page.status === 'ok' && page.more).toBe(false);
		expect(await seqScans()).toBe(before);
	});

	it('a snapshot piece walks the primary keys, not whole tables', async () => {
		const device = uuidv7();
		const first = await snapshot(database.db, admin, {
			clientId: device,
			schemaVersion: CLIENT_SCHEMA_VERSION,
			limit: 200
		});
		if (first.status !== 'ok') throw new Error(first.status);
		const before = await seqScans();
		const piece = await snapshot(database.db, admin, {
			clientId: device,
			schemaVersion: CLIENT_SCHEMA_VERSION,
			version: first.version,
			from: { entity: 'accessEvents', after: null },
			limit: 200
		});
		expect(piece.status === 'ok' && piece.rows.accessEvents?.length).toBe(200);
		expect(await seqScans()).toBe(before);
	});
});
