import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import {
	createRestartableDatabase,
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../../tests/helpers/sync';
import {
	pineId,
	TEST_NOW,
	useFakeTradingView
} from '../../../../../tests/fake-tradingview/testing';
import { testClock } from '$lib/server/clock';
import type { Db } from '$lib/server/db/client';
import { accessEvents, accesses, notifications } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/shared/schemas/user';
import { secretBox } from '../../secrets';
import { loadSession, saveSession } from '../connection';
import type { Clock } from './pacing';
import { enqueueExpired, queuedJobs, resumeAfterNewSession, retryGrantSync } from './queue';
import { GrantSyncWorker } from './worker';
import { pollUntil } from '../../../../../tests/helpers/wait';

const DAY = 86_400_000;
const box = secretBox(randomBytes(32));
const tv = useFakeTradingView();

/** The pacing clock: sleeping moves it, so the rate limit costs no real time. */
function movingClock(): Clock {
	let t = 0;
	return {
		now: () => t,
		sleep: (ms) => {
			t += ms;
			return Promise.resolve();
		}
	};
}

describeEachDatabase('TradingView grant sync', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;
	let worker: GrantSyncWorker | undefined;
	const deviceId = uuidv7();
	let mutationId = 0;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		testClock.set(TEST_NOW);
		await database.exec(
			'truncate clients, indicators, accesses, access_events, notifications, settings, sync_clients, mutation_results, field_writes, users cascade; delete from pgboss.job'
		);
		admin = await makeUser(database.db, 'admin');
		mutationId = 0;
	});
	afterEach(async () => {
		await worker?.stop();
		worker = undefined;
		testClock.reset();
	});

	function workerOn(db: Db, exec: (sql: string) => Promise<void>) {
		return new GrantSyncWorker({
			db,
			exec,
			baseUrl: tv.fake.url,
			session: async (d) => (await loadSession(d, box, {})).session,
			ratePerMinute: 600,
			clock: movingClock(),
			backoff: { baseMs: 5, capMs: 40 },
			pollMs: 10,
			timeoutMs: 2_000,
			log: { info: () => {}, warn: () => {}, error: () => {} }
		});
	}
	async function startWorker() {
		worker = workerOn(database.db, (q) => database.exec(q));
		await worker.start();
	}
	async function connect(db: Db = database.db) {
		const { sessionid, sessionidSign } = tv.fake.state.session;
		await saveSession(db, box, { sessionid, sessionidSign }, { id: admin.id, label: admin.email });
	}

	async function push(db: Db, mutations: Array<[string, unknown]>) {
		const response = await pushOne(
			db,
			admin,
			deviceId,
			mutations.map(([name, args]) => envelope(++mutationId, name, args))
		);
		if (response.status !== 'ok') throw new Error(`push ${response.status}`);
		for (const result of response.results)
			if (result.outcome !== 'applied') throw new Error(JSON.stringify(result));
	}
	/** Clients (known to the fake) and one indicator the fake manages. */
	async function arrange(db: Db, clientCount: number) {
		const script = tv.fake.state.addScript({ pineId: pineId(7) });
		const indicatorId = uuidv7();
		const clients = Array.from({ length: clientCount }, (_, i) =>
			clientArgs({ tradingviewUsername: `trader_${i}` })
		);
		for (const c of clients) tv.fake.state.addUser(c.fields.tradingviewUsername);
		await push(db, [
			['indicator.create', { id: indicatorId, fields: { name: 'Trend', pubId: script.pineId } }],
			...clients.map((c) => ['client.create', c] as [string, unknown])
		]);
		return { pine: script.pineId, indicatorId, clientIds: clients.map((c) => c.id) };
	}
	const grantArgs = (clientId: string, indicatorId: string, accessId = uuidv7()) => ({
		clientId,
		items: [{ indicatorId, accessId, eventId: uuidv7() }],
		duration: { kind: 'preset', preset: '30d' },
		accessType: 'paid',
		note: null
	});
	const renewArgs = (accessId: string, baseEndsAt: string) => ({
		accessId,
		eventId: uuidv7(),
		conflictEventId: uuidv7(),
		notificationId: uuidv7(),
		baseEndsAt,
		duration: { kind: 'preset', preset: '7d' },
		note: null
	});
	const row = async (db: Db, id: string) =>
		(await db.select().from(accesses).where(eq(accesses.id, id)))[0];
	const states = async (db: Db) =>
		(await db.select({ s: accesses.tvState }).from(accesses)).map((r) => r.s);
	const writes = (path: string) => tv.fake.requests.filter((r) => r.path === path);

	it('grant → verified by the read-back; renew → modify, not add; revoke → removed', async () => {
		await connect();
		await startWorker();
		const { pine, indicatorId, clientIds } = await arrange(database.db, 1);
		const clientId = clientIds[0]!;
		const accessId = uuidv7();
		await push(database.db, [['access.grant', grantArgs(clientId, indicatorId, accessId)]]);

		const verified = await pollUntil(
			() => row(database.db, accessId),
			(r) => r?.tvState === 'verified'
		);
		expect(verified).toMatchObject({ tvError: null, tvAttempts: 1 });
		expect(verified!.tvVerifiedAt).toEqual(TEST_NOW);
		expect(tv.fake.state.grantOf(pine, 'trader_0')?.expiration).toEqual(verified!.endsAt);
		expect(writes('/pine_perm/add/')).toHaveLength(1);
		// Read before and after the write.
		expect(writes('/pine_perm/list_users/')).toHaveLength(2);
		const events = await database.db
			.select()
			.from(accessEvents)
			.where(eq(accessEvents.accessId, accessId));
		expect(events.find((e) => e.kind === 'tv_verified')).toMatchObject({ actor: 'system' });

		await push(database.db, [
			['access.renew', renewArgs(accessId, verified!.endsAt!.toISOString())]
		]);
		const renewed = await pollUntil(
			() => row(database.db, accessId),
			(r) => r?.tvState === 'verified' && r.endsAt!.getTime() > verified!.endsAt!.getTime()
		);
		expect(renewed!.endsAt).toEqual(new Date(TEST_NOW.getTime() + 37 * DAY));
		expect(tv.fake.state.grantOf(pine, 'trader_0')?.expiration).toEqual(renewed!.endsAt);
		expect(writes('/pine_perm/add/')).toHaveLength(1);
		expect(writes('/pine_perm/modify_user_expiration/')).toHaveLength(1);

		await push(database.db, [['access.revoke', { accessId, eventId: uuidv7(), reason: 'refund' }]]);
		await pollUntil(
			() => row(database.db, accessId),
			(r) => r?.tvState === 'verified' && r.revokedAt !== null
		);
		expect(tv.fake.state.grantOf(pine, 'trader_0')).toBeUndefined();
		expect(writes('/pine_perm/remove/')).toHaveLength(1);
	});

	it("a revoked grant's retried removal leaves the member a newer grant of the pair added", async () => {
		await connect();
		await startWorker();
		const { pine, indicatorId, clientIds } = await arrange(database.db, 1);
		const clientId = clientIds[0]!;
		const first = uuidv7();
		await push(database.db, [['access.grant', grantArgs(clientId, indicatorId, first)]]);
		await pollUntil(
			() => row(database.db, first),
			(r) => r?.tvState === 'verified'
		);
		// The removal fails once (retried later), and a new grant of the pair comes meanwhile.
		tv.fake.faults.next({ kind: 'server_error', status: 503 }, { path: '/pine_perm/remove/' });
		const second = uuidv7();
		await push(database.db, [
			['access.revoke', { accessId: first, eventId: uuidv7(), reason: 'refund' }],
			['access.grant', grantArgs(clientId, indicatorId, second)]
		]);
		for (const id of [first, second])
			await pollUntil(
				() => row(database.db, id),
				(r) => r?.tvState === 'verified'
			);
		const open = await row(database.db, second);
		expect(tv.fake.state.grantOf(pine, 'trader_0')?.expiration).toEqual(open!.endsAt);
	});

	it('an ended grant is removed from TradingView by the expiry check', async () => {
		await connect();
		await startWorker();
		const { pine, indicatorId, clientIds } = await arrange(database.db, 1);
		const accessId = uuidv7();
		await push(database.db, [['access.grant', grantArgs(clientIds[0]!, indicatorId, accessId)]]);
		await pollUntil(
			() => row(database.db, accessId),
			(r) => r?.tvState === 'verified'
		);
		testClock.set(new Date(TEST_NOW.getTime() + 31 * DAY));
		expect(await enqueueExpired(database.db, new Date(TEST_NOW.getTime() + 31 * DAY))).toBe(1);
		await pollUntil(
			() => row(database.db, accessId),
			(r) => r?.tvState === 'verified' && r.tvVerifiedAt! > r.endsAt!
		);
		expect(tv.fake.state.grantOf(pine, 'trader_0')).toBeUndefined();
		// Removed and verified once: the next check finds nothing to do.
		expect(await enqueueExpired(database.db, new Date(TEST_NOW.getTime() + 32 * DAY))).toBe(0);
	});

	it('422 (unknown user) → failed with the reason; Retry now tries again', async () => {
		await connect();
		await startWorker();
		const { indicatorId } = await arrange(database.db, 0);
		const client = clientArgs({ tradingviewUsername: 'nobody_here' });
		await push(database.db, [['client.create', client]]);
		const accessId = uuidv7();
		await push(database.db, [['access.grant', grantArgs(client.id, indicatorId, accessId)]]);
		const failed = await pollUntil(
			() => row(database.db, accessId),
			(r) => r?.tvState === 'failed'
		);
		expect(failed!.tvError).toContain('nobody_here');
		const events = await database.db
			.select()
			.from(accessEvents)
			.where(eq(accessEvents.accessId, accessId));
		expect(events.find((e) => e.kind === 'tv_failed')?.note).toContain('nobody_here');
		const [notice] = await database.db
			.select()
			.from(notifications)
			.where(eq(notifications.kind, 'tradingview_sync_failed'));
		expect(notice).toMatchObject({ entity: 'accesses', entityId: accessId, userId: null });
		expect(notice?.data).toMatchObject({ clientId: client.id, indicatorId });

		tv.fake.state.addUser('nobody_here');
		expect(await retryGrantSync(database.db, accessId)).toBe(true);
		await pollUntil(
			() => row(database.db, accessId),
			(r) => r?.tvState === 'verified'
		);
	});

	it('an expired session pauses writes with one notification; saving cookies resumes', async () => {
		await connect();
		await startWorker();
		const { pine, indicatorId, clientIds } = await arrange(database.db, 3);
		tv.fake.state.expireSession();
		const ids = clientIds.map(() => uuidv7());
		await push(
			database.db,
			clientIds.map((c, i) => ['access.grant', grantArgs(c, indicatorId, ids[i])])
		);
		await pollUntil(
			() => states(database.db),
			(s) => s.every((x) => x === 'paused')
		);
		const adds = writes('/pine_perm/add/').length;
		expect(adds).toBe(0); // the session check (list_users) failed first: no write was tried
		// Grant calls only (the worker's tick also checks usernames and scripts, in the background).
		const sent = tv.fake.requests.filter(
			(r) => r.path.startsWith('/pine_perm/') && r.path !== '/pine_perm/list_scripts/'
		).length;
		const notes = await database.db.select().from(notifications);
		expect(notes.filter((n) => n.kind === 'tradingview_session_expired')).toHaveLength(1);
		// Only the first grant called TradingView; the others were paused without a call.
		expect(sent).toBe(1);

		await connect(); // new cookies pasted (the fake issued fresh ones)
		expect(await resumeAfterNewSession(database.db)).toBe(3);
		await pollUntil(
			() => states(database.db),
			(s) => s.every((x) => x === 'verified')
		);
		for (const i of [0, 1, 2]) expect(tv.fake.state.grantOf(pine, `trader_${i}`)).toBeDefined();
	});

	/** Each user got at most one successful `add` (201) and none answered `exists` (200). */
	function expectNoDuplicateAdd() {
		const perUser = new Map<string, number>();
		for (const r of writes('/pine_perm/add/')) {
			expect(r.status).not.toBe(200);
			if (r.status === 201) {
				const name = r.body.username_recip!;
				perUser.set(name, (perUser.get(name) ?? 0) + 1);
			}
		}
		expect([...perUser.values()].every((n) => n === 1)).toBe(true);
		return perUser.size;
	}

	// GRANTS grants, then renewals of 60% and revokes of 40% of them: 2 × GRANTS operations with 5%
	// transient faults on every TradingView call. Larger runs pass too (1,000 operations, GRANTS = 500)
	// but cost ~0.1 s an operation on PGlite, over the CI budget: 120 operations keep this test near
	// 15 s per database (docs/tradingview-sync.md).
	const GRANTS = 60;
	const RENEWED = GRANTS * 0.6;
	it(`${2 * GRANTS} grant operations with 5% transient faults all end verified, no duplicate add`, async () => {
		await connect();
		const { pine, indicatorId, clientIds } = await arrange(database.db, GRANTS);
		tv.fake.faults.random({
			probability: 0.05,
			seed: 42,
			faults: [
				{ kind: 'server_error', status: 503 },
				{ kind: 'rate_limit', retryAfter: '0' },
				{ kind: 'drop' },
				{ kind: 'drop', applied: true }
			]
		});
		await startWorker();
		const ids = clientIds.map(() => uuidv7());
		const chunk = <T>(list: T[], n: number) =>
			Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));
		for (const part of chunk(clientIds, 50))
			await push(
				database.db,
				part.map((c) => ['access.grant', grantArgs(c, indicatorId, ids[clientIds.indexOf(c)])])
			);
		const end = new Date(TEST_NOW.getTime() + 30 * DAY).toISOString();
		for (const part of chunk(ids.slice(0, RENEWED), 50))
			await push(
				database.db,
				part.map((id) => ['access.renew', renewArgs(id, end)])
			);
		for (const part of chunk(ids.slice(RENEWED), 50))
			await push(
				database.db,
				part.map((id) => ['access.revoke', { accessId: id, eventId: uuidv7(), reason: 'refund' }])
			);
		await pollUntil(
			() => states(database.db),
			(s) => s.length === GRANTS && s.every((x) => x === 'verified'),
			60_000
		);
		expect(tv.fake.requests.some((r) => r.fault)).toBe(true);
		expect(expectNoDuplicateAdd()).toBeLessThanOrEqual(GRANTS);
		const renewedEnd = new Date(TEST_NOW.getTime() + 37 * DAY);
		for (let i = 0; i < GRANTS; i++) {
			const onTv = tv.fake.state.grantOf(pine, `trader_${i}`);
			if (i < RENEWED) expect(onTv?.expiration).toEqual(renewedEnd);
			else expect(onTv).toBeUndefined();
		}
		// Jobs left over from several changes of one grant find it verified and end without a call.
		await pollUntil(
			() => queuedJobs(database.db),
			(n) => n === 0
		);
	}, 90_000);

	it('a restart in the middle of the queue loses nothing and repeats nothing verified', async () => {
		const restartable = await createRestartableDatabase(kind);
		try {
			const db = restartable.db;
			await makeUser(db, 'admin').then((u) => (admin = u));
			await connect(db);
			const { pine, indicatorId, clientIds } = await arrange(db, 24);
			const ids = clientIds.map(() => uuidv7());
			await push(
				db,
				clientIds.map((c, i) => ['access.grant', grantArgs(c, indicatorId, ids[i])])
			);
			worker = workerOn(db, (q) => restartable.exec(q));
			await worker.start();
			await pollUntil(
				() => states(db),
				(s) => s.filter((x) => x === 'verified').length >= 6
			);
			await worker.stop();
			worker = undefined;
			const verifiedBefore = (await states(db)).filter((x) => x === 'verified').length;
			expect(verifiedBefore).toBeLessThan(24);
			const requestsBefore = tv.fake.requests.length;

			await restartable.restart();
			worker = workerOn(restartable.db, (q) => restartable.exec(q));
			await worker.start();
			await pollUntil(
				() => states(restartable.db),
				(s) => s.every((x) => x === 'verified')
			);
			// Each grant reached TradingView once; the ones verified before the restart were not touched.
			expect(expectNoDuplicateAdd()).toBe(24);
			const after = tv.fake.requests.slice(requestsBefore);
			// Writes only: the worker's periodic tick also reads (usernames, the manageable scripts).
			const writes = after.filter((r) =>
				['/pine_perm/add/', '/pine_perm/modify_user_expiration/', '/pine_perm/remove/'].includes(
					r.path
				)
			);
			expect(writes.length).toBe(24 - verifiedBefore);
			for (let i = 0; i < 24; i++) expect(tv.fake.state.grantOf(pine, `trader_${i}`)).toBeDefined();
			await worker.stop();
			worker = undefined;
		} finally {
			await worker?.stop();
			worker = undefined;
			await restartable.dispose();
		}
	});

	it('without a session jobs wait and grants stay pending', async () => {
		await startWorker();
		const { indicatorId, clientIds } = await arrange(database.db, 1);
		const accessId = uuidv7();
		await push(database.db, [['access.grant', grantArgs(clientIds[0]!, indicatorId, accessId)]]);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect((await row(database.db, accessId))?.tvState).toBe('pending');
		expect(await queuedJobs(database.db)).toBe(1);
		expect(tv.fake.requests).toHaveLength(0);
	});
});
