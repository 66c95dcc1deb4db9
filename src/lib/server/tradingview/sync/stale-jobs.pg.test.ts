import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../../tests/helpers/sync';
import { pineId, useFakeTradingView } from '../../../../../tests/fake-tradingview/testing';
import { accesses } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/shared/schemas/user';
import { secretBox } from '../../secrets';
import { loadSession, saveSession } from '../connection';
import { SYNC_QUEUE } from './queue';
import { GrantSyncWorker, type GrantSyncOptions } from './worker';
import { pollUntil } from '../../../../../tests/helpers/wait';

// Found by the fault soak (tests/soak): a server killed while its worker had a job in hand (or a
// PostgreSQL restart in the middle of one) left the job `active`, and the queue lets one job be
// active at a time across instances, so every grant waited for pg-boss's expiry (5 min + up to 2
// min for its maintenance) before TradingView heard of it again.

const box = secretBox(randomBytes(32));
const tv = useFakeTradingView();

// 45 s: far below the 5-minute expiry these tests tell apart, and room for a loaded CI machine
// (15 s timed out twice while other suites shared the two cores).
describeEachDatabase('TradingView sync jobs left active', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;
	const workers: GrantSyncWorker[] = [];

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await database.exec(
			'truncate clients, indicators, accesses, access_events, notifications, settings, sync_clients, mutation_results, field_writes, users cascade; delete from pgboss.job'
		);
		admin = await makeUser(database.db, 'admin');
		const { sessionid, sessionidSign } = tv.fake.state.session;
		await saveSession(database.db, box, { sessionid, sessionidSign }, { id: admin.id, label: '' });
	});
	afterEach(async () => {
		for (const worker of workers.splice(0)) await worker.stop();
	});

	async function startWorker(options: Partial<GrantSyncOptions> = {}) {
		const worker = new GrantSyncWorker({
			db: database.db,
			exec: (q) => database.exec(q),
			baseUrl: tv.fake.url,
			session: async (d) => (await loadSession(d, box, {})).session,
			ratePerMinute: 600,
			pollMs: 20,
			timeoutMs: 5_000,
			log: { info: () => {}, warn: () => {}, error: () => {} },
			...options
		});
		await worker.start();
		workers.push(worker);
		return worker;
	}

	/** One client, one script, one grant pushed (its job queued); returns the grant's id. */
	async function grantOne(): Promise<string> {
		const pine = tv.fake.state.addScript({ pineId: pineId(11) }).pineId;
		const client = clientArgs({ tradingviewUsername: 'stale_trader' });
		tv.fake.state.addUser('stale_trader');
		const indicatorId = uuidv7();
		const accessId = uuidv7();
		const response = await pushOne(database.db, admin, uuidv7(), [
			envelope(1, 'indicator.create', { id: indicatorId, fields: { name: 'T', pubId: pine } }),
			envelope(2, 'client.create', client),
			envelope(3, 'access.grant', {
				clientId: client.id,
				items: [{ indicatorId, accessId, eventId: uuidv7() }],
				duration: { kind: 'preset', preset: '30d' },
				accessType: 'paid',
				note: null
			})
		]);
		expect(response.status === 'ok' && response.results.every((r) => r.outcome === 'applied')).toBe(
			true
		);
		return accessId;
	}

	const tvState = async (accessId: string) =>
		(await database.db.select().from(accesses).where(eq(accesses.id, accessId)))[0]?.tvState;

	async function jobRow(accessId: string) {
		const rows = await database.db.execute<{ state: string; retry_count: number }>(
			sql`select state::text, retry_count from pgboss.job where name = ${SYNC_QUEUE} and data->>'accessId' = ${accessId}`
		);
		const list = Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
		return list as { state: string; retry_count: number }[];
	}

	it('a job a killed worker left active is worked within seconds, not after the 5-minute expiry', async () => {
		const accessId = await grantOne();
		// What a process killed with the job in hand leaves: active, and nobody heartbeating it.
		await database.db.execute(
			sql`update pgboss.job set state = 'active', started_on = now() - interval '1 minute' where name = ${SYNC_QUEUE}`
		);
		await startWorker();
		await pollUntil(
			() => tvState(accessId),
			(state) => state === 'verified'
		);
		expect(tv.fake.state.grantOf(pineId(11), 'stale_trader')).toBeDefined();
		const adds = tv.fake.requests.filter((r) => r.path === '/pine_perm/add/');
		expect(adds).toHaveLength(1);
	});

	it('a long job of a live worker is not taken from it by another instance', async () => {
		const accessId = await grantOne();
		// The add takes far longer than the silence after which a job counts as abandoned.
		tv.fake.faults.next({ kind: 'slow', delayMs: 4_000 }, { path: '/pine_perm/add/' });
		const fast = { heartbeatMs: 200, staleJobMs: 1_500 };
		await startWorker(fast);
		await pollUntil(
			() => Promise.resolve(tv.fake.requests.some((r) => r.path === '/pine_perm/add/')),
			Boolean
		);
		await startWorker(fast); // a second instance, looking for stale jobs every 200 ms
		await pollUntil(
			() => tvState(accessId),
			(state) => state === 'verified'
		);
		// pg-boss marks the job done after its handler returned, a moment after the grant shows
		// verified: wait for the job to leave `active` rather than read it once.
		const [job] = await pollUntil(
			() => jobRow(accessId),
			(rows) => rows[0]?.state !== 'active'
		);
		expect(job).toMatchObject({ state: 'completed', retry_count: 0 });
		expect(tv.fake.requests.filter((r) => r.path === '/pine_perm/add/')).toHaveLength(1);
	});
});
