import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import { pineId, TEST_NOW } from '../../../../tests/fake-tradingview/testing';
import { testClock } from '../clock';
import { log } from '../log';
import { accesses, notifications } from '../db/schema';
import type { SessionUser } from '$lib/shared/schemas/user';
import { loadSession, saveSession } from './connection';
import { connectionStatus, serverSecretBox } from './service';
import { checkSessionHealth, lastSessionCheck } from './session-health';
import { isPaused, pauseWrites } from './sync/queue';
import { GrantSyncWorker } from './sync/worker';

// The server reads its environment once, at the first import that needs it: the fake must be
// listening, and its URL set, before any import (hence hoisted).
const fake = await vi.hoisted(async () => {
	const { startFakeTradingView } = await import('../../../../tests/fake-tradingview/server');
	const started = await startFakeTradingView({});
	process.env.TRADINGVIEW_BASE_URL = started.url;
	process.env.SECRET_KEY = 'test secret key that is long enough!!';
	return started;
});
afterAll(() => fake.close());

const HOUR = 3_600_000;
const checks = () => fake.requests.filter((r) => r.path === '/tvcoins/details/');

describeEachDatabase('TradingView session health', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;
	let worker: GrantSyncWorker | undefined;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		fake.reset();
		testClock.set(TEST_NOW);
		await database.exec(
			'truncate clients, indicators, accesses, access_events, notifications, settings, sync_clients, mutation_results, field_writes, audit_log, users cascade; delete from pgboss.job'
		);
		admin = await makeUser(database.db, 'admin');
	});
	afterEach(async () => {
		await worker?.stop();
		worker = undefined;
		testClock.reset();
	});

	async function connect() {
		const { sessionid, sessionidSign } = fake.state.session;
		await saveSession(
			database.db,
			serverSecretBox(),
			{ sessionid, sessionidSign },
			{ id: admin.id, label: admin.email }
		);
	}
	const expiredNotes = async () =>
		(await database.db.select().from(notifications)).filter(
			(n) => n.kind === 'tradingview_session_expired'
		);

	it('no session configured: nothing is called or recorded', async () => {
		expect(await checkSessionHealth(database.db, TEST_NOW)).toEqual({ state: 'not_connected' });
		expect(fake.requests).toHaveLength(0);
		expect(await lastSessionCheck(database.db)).toBeNull();
	});

	it('a valid session: ok, not paused, recorded for Settings', async () => {
		await connect();
		expect(await checkSessionHealth(database.db, TEST_NOW)).toEqual({ state: 'ok', paused: false });
		expect(checks()).toHaveLength(1);
		expect(await isPaused(database.db)).toBe(false);
		expect((await connectionStatus(database.db)).lastCheck).toEqual({
			at: TEST_NOW.toISOString(),
			state: 'ok'
		});
	});

	it('a session TradingView refuses (401): writes paused, one notification however often checked', async () => {
		await connect();
		fake.faults.badSessionStatus = 401;
		fake.state.expireSession();
		const first = await checkSessionHealth(database.db, TEST_NOW);
		expect(first).toEqual({ state: 'expired', pausedNow: true });
		for (let i = 1; i <= 3; i++) {
			expect(
				await checkSessionHealth(database.db, new Date(TEST_NOW.getTime() + i * HOUR))
			).toEqual({ state: 'expired', pausedNow: false });
		}
		expect(checks().every((r) => r.status === 401)).toBe(true);
		expect(await isPaused(database.db)).toBe(true);
		expect(await expiredNotes()).toHaveLength(1);
		expect(await lastSessionCheck(database.db)).toMatchObject({ state: 'expired' });
	});

	it('TradingView unreachable: reported, nothing paused', async () => {
		await connect();
		fake.faults.next({ kind: 'drop' }, { path: '/tvcoins/details/' });
		// The warning is part of the behaviour: asserted here rather than printed into the run.
		const warn = vi.spyOn(log, 'warn').mockImplementation(() => {});
		let health: Awaited<ReturnType<typeof checkSessionHealth>>;
		let warnings: unknown[][];
		try {
			health = await checkSessionHealth(database.db, TEST_NOW);
			warnings = [...warn.mock.calls];
		} finally {
			warn.mockRestore();
		}
		expect(health.state).toBe('unreachable');
		expect(warnings).toHaveLength(1);
		const [fields, message] = warnings[0] as [{ err: unknown }, string];
		expect(fields.err).toBeInstanceOf(Error);
		expect(message).toBe('TradingView session check: TradingView unreachable');
		expect(await isPaused(database.db)).toBe(false);
		expect(await expiredNotes()).toHaveLength(0);
		expect(await lastSessionCheck(database.db)).toMatchObject({ state: 'unreachable' });
	});

	it('a session that passes again does not lift a pause (saving cookies does)', async () => {
		await connect();
		await database.db.transaction((tx) => pauseWrites(tx, TEST_NOW, 'expired earlier'));
		expect(await checkSessionHealth(database.db, TEST_NOW)).toEqual({ state: 'ok', paused: true });
		expect(await isPaused(database.db)).toBe(true);
	});

	it('before a grant job, the worker checks the session: an expired one pauses without spending an attempt', async () => {
		await connect();
		const script = fake.state.addScript({ pineId: pineId(9) });
		fake.state.addUser('trader_9');
		const indicatorId = uuidv7();
		const client = clientArgs({ tradingviewUsername: 'trader_9' });
		const accessId = uuidv7();
		fake.state.expireSession();
		const pushed = await pushOne(database.db, admin, uuidv7(), [
			envelope(1, 'indicator.create', {
				id: indicatorId,
				fields: { name: 'Trend', pubId: script.pineId }
			}),
			envelope(2, 'client.create', client),
			envelope(3, 'access.grant', {
				clientId: client.id,
				items: [{ indicatorId, accessId, eventId: uuidv7() }],
				duration: { kind: 'preset', preset: '30d' },
				accessType: 'paid',
				note: null
			})
		]);
		expect(pushed.status).toBe('ok');
		worker = new GrantSyncWorker({
			db: database.db,
			exec: (q) => database.exec(q),
			baseUrl: fake.url,
			session: async (db) => (await loadSession(db, serverSecretBox, {})).session,
			ratePerMinute: 600,
			pollMs: 10,
			timeoutMs: 2_000,
			sessionCheckMs: 60_000,
			log: { info: () => {}, warn: () => {}, error: () => {} }
		});
		await worker.start();
		const until = Date.now() + 20_000;
		let grant = (await database.db.select().from(accesses).where(eq(accesses.id, accessId)))[0];
		while (grant?.tvState !== 'paused' && Date.now() < until) {
			await new Promise((resolve) => setTimeout(resolve, 20));
			grant = (await database.db.select().from(accesses).where(eq(accesses.id, accessId)))[0];
		}
		expect(grant).toMatchObject({ tvState: 'paused', tvAttempts: 0 });
		// The session check answered first: no grant call reached TradingView.
		const grantCalls = fake.requests.filter(
			(r) => r.path.startsWith('/pine_perm/') && r.path !== '/pine_perm/list_scripts/'
		);
		expect(grantCalls).toHaveLength(0);
		expect(checks()).toHaveLength(1);
		expect(await expiredNotes()).toHaveLength(1);
	});
});
