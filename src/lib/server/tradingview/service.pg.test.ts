import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { callerFor, errorCodeOf, insertUser, sessionFor } from '../../../../tests/helpers/trpc';
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import { pineId } from '../../../../tests/fake-tradingview/testing';
import { accesses, auditLog } from '../db/schema';
import { isPaused, pauseWrites, queuedJobs } from './sync/queue';

// The server reads its environment once, at the first import that needs it: the fake must be
// listening, and its URL set, before any import (hence hoisted).
const fake = await vi.hoisted(async () => {
	const { startFakeTradingView } = await import('../../../../tests/fake-tradingview/server');
	const { seedDemo } = await import('../../../../tests/fake-tradingview/state');
	const started = await startFakeTradingView({
		seed: seedDemo,
		credentials: { username: 'vendor', password: 'vendor password', totpCode: '123456' }
	});
	process.env.TRADINGVIEW_BASE_URL = started.url;
	process.env.SECRET_KEY = 'test secret key that is long enough!!';
	return started;
});
afterAll(() => fake.close());

describeEachDatabase('Settings → TradingView', (kind) => {
	let database: TestDatabase;
	let admin: Awaited<ReturnType<typeof callerFor>>['caller'];
	let seller: Awaited<ReturnType<typeof callerFor>>['caller'];

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		fake.reset();
		await database.exec('truncate settings, audit_log, users cascade');
		const a = await insertUser(database.db, 'admin');
		const s = await insertUser(database.db, 'seller');
		admin = callerFor(database.db, await sessionFor(database.db, a.id)).caller;
		seller = callerFor(database.db, await sessionFor(database.db, s.id)).caller;
	});

	it('pasting the cookies connects; the test lists the manageable scripts with names', async () => {
		expect(await admin.tradingview.status()).toMatchObject({ source: 'none' });
		expect(await errorCodeOf(admin.tradingview.test())).toBe('TV_NOT_CONNECTED');

		const { sessionid, sessionidSign } = fake.state.session;
		const status = await admin.tradingview.saveSession({
			sessionid: ` sessionid=${sessionid}; `,
			sessionidSign
		});
		expect(status).toMatchObject({
			source: 'settings',
			unreadable: false,
			host: new URL(fake.url).host
		});
		const { scripts } = await admin.tradingview.test();
		expect(scripts.length).toBeGreaterThan(0);
		expect(scripts.every((s) => s.pineId.startsWith('PUB;') && s.name)).toBe(true);
		// Every call carried both cookies, as TradingView needs them.
		const authed = fake.requests.filter((r) => r.path !== '/username_hint/');
		expect(authed.every((r) => r.cookies.sessionid === sessionid)).toBe(true);
		// The answers and the audit trail never carry the cookie values.
		expect(JSON.stringify(status)).not.toContain(sessionid);
		expect(JSON.stringify(await database.db.select().from(auditLog))).not.toContain(sessionid);
	});

	it('an expired session is reported in words the admin can act on', async () => {
		const { sessionid, sessionidSign } = fake.state.session;
		await admin.tradingview.saveSession({ sessionid, sessionidSign });
		fake.state.expireSession();
		expect(await errorCodeOf(admin.tradingview.test())).toBe('TV_SESSION_INVALID');
	});

	it('password login: captcha stops with a clear error, 2FA asks for the code, then connects', async () => {
		fake.faults.login = 'captcha';
		expect(
			await errorCodeOf(
				admin.tradingview.signIn({ username: 'vendor', password: 'vendor password' })
			)
		).toBe('TV_CAPTCHA');
		expect(fake.requests.filter((r) => r.path === '/accounts/signin/')).toHaveLength(1); // no retry

		fake.faults.login = null;
		const first = await admin.tradingview.signIn({
			username: 'vendor',
			password: 'vendor password'
		});
		expect(first.status).toBe('two_factor');
		if (first.status !== 'two_factor') return;
		expect(
			await errorCodeOf(admin.tradingview.signInTwoFactor({ code: '000000', token: first.token }))
		).toBe('TV_INVALID_CREDENTIALS');
		expect(
			await admin.tradingview.signInTwoFactor({ code: '123456', token: first.token })
		).toMatchObject({ status: 'connected' });
		expect((await admin.tradingview.test()).scripts.length).toBeGreaterThan(0);
	});

	it('password login resumes the writes an expired session paused, as pasting cookies does', async () => {
		await database.exec(
			'truncate clients, indicators, accesses, access_events, notifications, sync_clients, mutation_results, field_writes cascade; delete from pgboss.job'
		);
		const user = await makeUser(database.db, 'admin');
		const indicatorId = uuidv7();
		const accessId = uuidv7();
		const client = clientArgs();
		await pushOne(database.db, user, uuidv7(), [
			envelope(1, 'indicator.create', {
				id: indicatorId,
				fields: { name: 'Trend', pubId: pineId(3) }
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
		await database.exec('delete from pgboss.job');
		await database.db.update(accesses).set({ tvState: 'paused' }).where(eq(accesses.id, accessId));
		await database.db.transaction((tx) => pauseWrites(tx, new Date(), 'session expired'));

		const first = await admin.tradingview.signIn({
			username: 'vendor',
			password: 'vendor password'
		});
		if (first.status !== 'two_factor') throw new Error('the fake asks for a code');
		await admin.tradingview.signInTwoFactor({ code: '123456', token: first.token });

		expect(await isPaused(database.db)).toBe(false);
		const [grant] = await database.db.select().from(accesses).where(eq(accesses.id, accessId));
		expect(grant?.tvState).toBe('pending');
		expect(await queuedJobs(database.db)).toBe(1);
	});

	it('is for admins only', async () => {
		expect(await errorCodeOf(seller.tradingview.status())).toBe('FORBIDDEN');
		expect(
			await errorCodeOf(seller.tradingview.saveSession({ sessionid: 'a', sessionidSign: 'b' }))
		).toBe('FORBIDDEN');
	});
});
