import { and, eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../../tests/helpers/db';
import {
	pineId,
	TEST_NOW,
	useFakeTradingView
} from '../../../../../tests/fake-tradingview/testing';
import type { Actor } from '$lib/server/audit';
import { testClock } from '$lib/server/clock';
import {
	accessEvents,
	accesses,
	auditLog,
	clients,
	indicators,
	notifications,
	reconciliationDrifts,
	reconciliationRuns
} from '$lib/server/db/schema';
import { createTradingViewClient } from '../client';
import type { Clock } from '../sync/pacing';
import { isPaused, queuedJobs } from '../sync/queue';
import { GrantSyncWorker } from '../sync/worker';
import {
	fixAll,
	fixDrift,
	IMPORT_NOTE,
	NOT_CONNECTED_ERROR,
	reconciliationReport,
	runReconciliation,
	SESSION_ERROR,
	startReconciliation
} from './index';

const DAY = 86_400_000;
const at = (days: number) => new Date(TEST_NOW.getTime() + days * DAY);
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

describeEachDatabase('TradingView reconciliation', (kind) => {
	let database: TestDatabase;
	let admin: Actor;
	const trend = pineId(1);
	const volume = pineId(2);
	let trendId: string;
	let volumeId: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		testClock.set(TEST_NOW);
		await database.exec(
			'truncate clients, indicators, accesses, access_events, notifications, settings, audit_log, reconciliation_runs, reconciliation_drifts, users cascade; delete from pgboss.job'
		);
		const userId = uuidv7();
		await database.exec(
			`insert into users (id, email, name, role, password_hash, created_at, updated_at) values ('${userId}', 'ada@example.com', 'Ada Admin', 'admin', 'x', now(), now())`
		);
		admin = { id: userId, label: 'ada@example.com' };
		trendId = await indicator('Trend', trend);
		volumeId = await indicator('Volume', volume);
	});
	afterEach(() => testClock.reset());

	const tvClient = () =>
		createTradingViewClient({
			baseUrl: tv.fake.url,
			sessionid: tv.fake.state.session.sessionid,
			sessionidSign: tv.fake.state.session.sessionidSign,
			timeoutMs: 5_000
		});
	const options = () => ({
		actor: admin,
		now: () => TEST_NOW,
		client: tvClient(),
		ratePerMinute: 600,
		clock: movingClock()
	});

	async function indicator(name: string, pubId: string) {
		tv.fake.state.addScript({ pineId: pubId, name });
		const id = uuidv7();
		await database.db.insert(indicators).values({
			id,
			name,
			pubId,
			pubIdState: 'valid',
			status: 'production',
			createdAt: TEST_NOW,
			updatedAt: TEST_NOW
		});
		return id;
	}
	async function client(username: string) {
		const id = uuidv7();
		await database.db.insert(clients).values({
			id,
			tradingviewUsername: username,
			tvUsernameState: 'valid',
			fullName: `Client ${username}`,
			registeredAt: at(-60),
			createdAt: at(-60),
			updatedAt: at(-60)
		});
		return id;
	}
	async function grant(
		clientId: string,
		indicatorId: string,
		endsAt: Date | null,
		extra: Partial<typeof accesses.$inferInsert> = {}
	) {
		const id = uuidv7();
		await database.db.insert(accesses).values({
			id,
			clientId,
			indicatorId,
			startsAt: at(-50),
			endsAt,
			accessType: 'paid',
			tvState: 'verified',
			tvVerifiedAt: at(-50),
			createdAt: at(-50),
			updatedAt: at(-50),
			...extra
		});
		return id;
	}

	/** Every kind of drift, a match in another case, a pending grant, and 36 entries on one script. */
	async function arrange() {
		const s = tv.fake.state;
		const ok = await client('ok_user');
		await grant(ok, trendId, at(30));
		s.grant(trend, 'ok_user', at(30));
		await grant(await client('CaseUser'), trendId, null);
		s.grant(trend, 'caseuser', null);
		const missing = await grant(await client('missing_user'), trendId, at(30));
		s.addUser('missing_user');
		const mismatch = await grant(await client('mismatch_user'), trendId, at(30));
		s.grant(trend, 'mismatch_user', at(10));
		// Ended yesterday, never revoked: it should not be on TradingView any more.
		const expired = await grant(await client('expired_user'), trendId, at(-1));
		s.grant(trend, 'expired_user', at(-1));
		const revokedClient = await client('revoked_user');
		await grant(revokedClient, trendId, at(30), { revokedAt: at(-2) });
		s.grant(trend, 'revoked_user', at(30));
		// In flight: the worker is about to add it; not drift.
		await grant(await client('pending_user'), trendId, at(30), { tvState: 'pending' });
		s.addUser('pending_user');
		s.grant(trend, 'stranger', at(20));
		for (let i = 0; i < 35; i += 1) {
			const name = `bulk_${String(i).padStart(2, '0')}`;
			const end = i % 2 ? null : at(40 + i);
			await grant(await client(name), volumeId, end);
			s.grant(volume, name, end);
		}
		s.grant(volume, 'Lifer', null);
		return { missing, mismatch, expired, revokedClient };
	}

	const driftRows = () =>
		database.db
			.select()
			.from(reconciliationDrifts)
			.orderBy(reconciliationDrifts.kind, reconciliationDrifts.username);
	const fixAudits = () =>
		database.db.select().from(auditLog).where(eq(auditLog.action, 'tradingview.reconcile.fix'));

	/** Works the sync jobs the fixes queued, as the server's worker would. */
	async function drainQueue() {
		const worker = new GrantSyncWorker({
			db: database.db,
			exec: (q) => database.exec(q),
			baseUrl: tv.fake.url,
			session: () => Promise.resolve({ ...tv.fake.state.session }),
			ratePerMinute: 600,
			clock: movingClock(),
			now: () => TEST_NOW,
			backoff: { baseMs: 5, capMs: 40 },
			pollMs: 10,
			timeoutMs: 2_000,
			log: { info: () => {}, warn: () => {}, error: () => {} }
		});
		await worker.start();
		try {
			const until = Date.now() + 20_000;
			for (;;) {
				const [pending] = await database.db
					.select({ n: sql<number>`count(*)::int` })
					.from(accesses)
					.where(eq(accesses.tvState, 'pending'));
				if (Number(pending?.n) === 0 && (await queuedJobs(database.db)) === 0) break;
				if (Date.now() > until) throw new Error('the sync queue did not drain');
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		} finally {
			await worker.stop();
		}
	}

	it('finds each kind of drift, pages past 30 users, leaves pending grants alone', async () => {
		const ids = await arrange();
		const summary = await runReconciliation(database.db, options());

		expect(summary).toMatchObject({
			state: 'done',
			drifts: { missing: 1, leak: 2, expiry_mismatch: 1, unknown_user: 2 },
			// Trend: one page; Volume: 36 entries → two pages of at most 30.
			calls: 3,
			entriesScanned: 6 + 36,
			// Trend: ok, CaseUser, missing, mismatch, expired (revoked and pending are not); Volume: 35.
			grantsCompared: 5 + 35
		});
		expect(summary.error).toBeUndefined();
		const pages = tv.fake.requests.filter((r) => r.path === '/pine_perm/list_users/');
		expect(pages.every((r) => !r.query.limit || Number(r.query.limit) <= 30)).toBe(true);

		const drifts = await driftRows();
		expect(
			drifts.map((d) => [d.kind, d.username, d.accessId !== null, d.clientId !== null])
		).toEqual([
			['expiry_mismatch', 'mismatch_user', true, true],
			['leak', 'expired_user', true, true],
			['leak', 'revoked_user', false, true],
			['missing', 'missing_user', true, true],
			['unknown_user', 'Lifer', false, false],
			['unknown_user', 'stranger', false, false]
		]);
		const byName = new Map(drifts.map((d) => [d.username, d]));
		expect(byName.get('mismatch_user')).toMatchObject({
			accessId: ids.mismatch,
			tvExpiration: at(10),
			crmEndsAt: at(30)
		});
		expect(byName.get('missing_user')).toMatchObject({ tvExpiration: null, crmEndsAt: at(30) });
		expect(byName.get('stranger')).toMatchObject({ indicatorId: trendId, tvExpiration: at(20) });
		expect(byName.get('Lifer')).toMatchObject({ indicatorId: volumeId, tvExpiration: null });

		const [run] = await database.db.select().from(reconciliationRuns);
		expect(run).toMatchObject({
			id: summary.runId,
			state: 'done',
			actor: admin.id,
			indicatorsScanned: 2,
			calls: 3
		});
		const report = await reconciliationReport(database.db);
		expect(report.run).toMatchObject({
			id: summary.runId,
			actorName: 'Ada Admin',
			counts: summary.drifts
		});
		expect(report.drifts.find((d) => d.username === 'missing_user')).toMatchObject({
			indicatorName: 'Trend',
			clientName: 'Client missing_user'
		});
	});

	it('fixes each kind, audited; fix all; a second run then finds nothing', async () => {
		const ids = await arrange();
		const { runId } = await runReconciliation(database.db, options());
		const drift = async (username: string) =>
			(await driftRows()).find((d) => d.username === username)!;
		const fix = { client: tvClient(), now: () => TEST_NOW };

		// Missing: back to pending with a sync job; TradingView is not written from here.
		const writesBefore = tv.fake.requests.length;
		const missing = await drift('missing_user');
		expect(await fixDrift(database.db, missing.id, admin, undefined, fix)).toEqual({
			driftId: missing.id,
			fix: 'resynced',
			alreadyFixed: false
		});
		expect(tv.fake.requests.length).toBe(writesBefore);
		const [resynced] = await database.db
			.select()
			.from(accesses)
			.where(eq(accesses.id, ids.missing));
		expect(resynced).toMatchObject({ tvState: 'pending', tvAttempts: 0 });
		expect(await queuedJobs(database.db)).toBe(1);

		// Leak: removed on TradingView, read back.
		const leak = await drift('expired_user');
		await fixDrift(database.db, leak.id, admin, { requestId: 'req-1' }, fix);
		expect(tv.fake.state.grantOf(trend, 'expired_user')).toBeUndefined();
		expect(
			tv.fake.requests.filter((r) => r.path === '/pine_perm/remove/').map((r) => r.body)
		).toEqual([{ pine_id: trend, username_recip: 'expired_user' }]);

		// Unknown user: a client in TradingView's spelling with a verified paid grant like TradingView's.
		const stranger = await drift('stranger');
		await fixDrift(database.db, stranger.id, admin, undefined, fix);
		const [imported] = await database.db
			.select()
			.from(clients)
			.where(eq(clients.tradingviewUsername, 'stranger'));
		expect(imported).toMatchObject({
			tvUsernameState: 'valid',
			fullName: 'stranger',
			status: 'active',
			registeredAt: TEST_NOW
		});
		const [importedGrant] = await database.db
			.select()
			.from(accesses)
			.where(eq(accesses.clientId, imported!.id));
		expect(importedGrant).toMatchObject({
			indicatorId: trendId,
			endsAt: at(20),
			accessType: 'paid',
			tvState: 'verified',
			tvVerifiedAt: TEST_NOW,
			revokedAt: null
		});
		const events = await database.db
			.select()
			.from(accessEvents)
			.where(eq(accessEvents.accessId, importedGrant!.id));
		expect(events).toEqual([
			expect.objectContaining({ kind: 'granted', actor: admin.id, note: IMPORT_NOTE })
		]);

		// Each fix: one audit row, and the drift says who fixed it and how.
		const audits = await fixAudits();
		expect(audits).toHaveLength(3);
		expect(audits.map((a) => (a.after as { fix: string }).fix).sort()).toEqual([
			'imported',
			'removed',
			'resynced'
		]);
		expect(audits.find((a) => a.entityId === leak.id)).toMatchObject({
			actorId: admin.id,
			entity: 'reconciliation_drifts',
			requestId: 'req-1'
		});
		expect(await drift('expired_user')).toMatchObject({
			fix: 'removed',
			fixedBy: admin.id,
			fixedAt: TEST_NOW
		});

		// Fixing a fixed drift does nothing.
		expect(await fixDrift(database.db, stranger.id, admin, undefined, fix)).toMatchObject({
			alreadyFixed: true,
			fix: 'imported'
		});
		expect(await fixAudits()).toHaveLength(3);

		// Fix all: the mismatch, the revoked user's leak and the lifetime stranger.
		const all = await fixAll(database.db, runId, admin, undefined, undefined, fix);
		expect(all).toEqual({ fixed: 3, failed: [] });
		expect(tv.fake.state.grantOf(trend, 'revoked_user')).toBeUndefined();
		const [lifer] = await database.db
			.select({ endsAt: accesses.endsAt })
			.from(accesses)
			.innerJoin(clients, eq(clients.id, accesses.clientId))
			.where(and(eq(clients.tradingviewUsername, 'Lifer'), eq(accesses.indicatorId, volumeId)));
		expect(lifer).toEqual({ endsAt: null });
		expect((await driftRows()).every((d) => d.fixedAt !== null)).toBe(true);
		expect(await fixAudits()).toHaveLength(6);

		// The worker makes TradingView match the resynced grants and verifies them.
		await drainQueue();
		expect(tv.fake.state.grantOf(trend, 'missing_user')?.expiration).toEqual(at(30));
		expect(tv.fake.state.grantOf(trend, 'mismatch_user')?.expiration).toEqual(at(30));

		const again = await runReconciliation(database.db, options());
		expect(again).toMatchObject({
			state: 'done',
			drifts: { missing: 0, leak: 0, expiry_mismatch: 0, unknown_user: 0 }
		});
	});

	it('a leak that got a grant since the run is not removed', async () => {
		const ids = await arrange();
		await runReconciliation(database.db, options());
		const [leak] = (await driftRows()).filter((d) => d.username === 'revoked_user');
		await grant(ids.revokedClient, trendId, at(30));
		await expect(
			fixDrift(database.db, leak!.id, admin, undefined, { client: tvClient() })
		).rejects.toMatchObject({ code: 'RECONCILE_STALE' });
		expect(tv.fake.state.grantOf(trend, 'revoked_user')).toBeDefined();
		expect(await fixAudits()).toHaveLength(0);
	});

	it('an expired session (401) fails the run and pauses TradingView writes', async () => {
		await arrange();
		const expiredClient = tvClient();
		tv.fake.faults.badSessionStatus = 401;
		tv.fake.state.expireSession();
		const summary = await runReconciliation(database.db, {
			...options(),
			client: expiredClient
		});
		expect(summary).toMatchObject({ state: 'failed', error: SESSION_ERROR, calls: 1 });
		expect(await isPaused(database.db)).toBe(true);
		expect(
			await database.db
				.select()
				.from(notifications)
				.where(eq(notifications.kind, 'tradingview_session_expired'))
		).toHaveLength(1);
		const [run] = await database.db.select().from(reconciliationRuns);
		expect(run).toMatchObject({ state: 'failed', error: SESSION_ERROR });
	});

	it('without a client and no saved session, the run fails saying so', async () => {
		const failed = await runReconciliation(database.db, { ...options(), client: undefined });
		expect(failed).toMatchObject({ state: 'failed', error: NOT_CONNECTED_ERROR, calls: 0 });
		expect(tv.fake.requests).toHaveLength(0);
	});

	it('one run at a time: a second "Run now" gets the running one', async () => {
		await arrange();
		tv.fake.faults.next({ kind: 'slow', delayMs: 300 }, { times: 1 });
		const first = await startReconciliation(database.db, options());
		const second = await startReconciliation(database.db, options());
		expect(first.started).toBe(true);
		expect(second).toMatchObject({ runId: first.runId, started: false });
		const [a, b] = await Promise.all([first.done, second.done]);
		expect(b).toEqual(a);
		expect(await database.db.select().from(reconciliationRuns)).toHaveLength(1);
	});
});
