import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { auditLog, sessions } from '../db/schema';
import { testClock } from '../clock';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { callerFor, errorCodeOf, insertUser, sessionFor } from '../../../../tests/helpers/trpc';
import { resolveSession } from './sessions';
import { hashToken } from './tokens';

describeEachDatabase('staff accounts', (kind) => {
	let database: TestDatabase;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await database.exec('truncate users, sessions, login_attempts, audit_log cascade');
	});
	afterEach(() => testClock.reset());

	it('setup creates the first admin, signs them in, then refuses for good', async () => {
		const { caller, ctx } = callerFor(database.db, null);
		expect(await caller.auth.status()).toEqual({ needsSetup: true });

		const { user } = await caller.auth.setup({
			name: 'Ana',
			email: 'Ana@Example.test',
			password: 'a long passphrase'
		});
		expect(user).toMatchObject({ role: 'admin', email: 'ana@example.test', name: 'Ana' });
		expect(ctx.cookies).toHaveLength(1);
		const token = ctx.cookies[0] ?? '';
		expect(await resolveSession(database.db, token)).toMatchObject({ user: { id: user.id } });
		// Only the hash of the token is stored.
		const stored = await database.db.select().from(sessions);
		expect(stored.map((s) => s.tokenHash)).toEqual([hashToken(token)]);

		expect(await caller.auth.status()).toEqual({ needsSetup: false });
		expect(
			await errorCodeOf(
				caller.auth.setup({
					name: 'Eve',
					email: 'eve@example.test',
					password: 'another passphrase'
				})
			)
		).toBe('SETUP_ALREADY_DONE');
	});

	it('two concurrent setups create exactly one admin', async () => {
		const { caller } = callerFor(database.db, null);
		const results = await Promise.allSettled([
			caller.auth.setup({ name: 'A', email: 'a@example.test', password: 'a long passphrase' }),
			caller.auth.setup({ name: 'B', email: 'b@example.test', password: 'a long passphrase' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const { caller: anon } = callerFor(database.db, null);
		expect(await anon.auth.status()).toEqual({ needsSetup: false });
	});

	it('login issues a fresh session each time and logout ends it', async () => {
		const seller = await insertUser(database.db, 'seller');
		const { caller, ctx } = callerFor(database.db, null);
		await caller.auth.login({ email: seller.email.toUpperCase(), password: seller.password });
		await caller.auth.login({ email: seller.email, password: seller.password });
		const [first, second] = ctx.cookies;
		expect(first).toBeTruthy();
		expect(second).not.toBe(first);

		const session = await resolveSession(database.db, second ?? '');
		expect(session).not.toBeNull();
		const { caller: signedIn, ctx: ctx2 } = callerFor(database.db, session);
		await signedIn.auth.logout();
		expect(ctx2.cookies).toEqual(['']);
		expect(await resolveSession(database.db, second ?? '')).toBeNull();
		expect(await resolveSession(database.db, first ?? '')).not.toBeNull();
	});

	it('wrong passwords and unknown accounts answer the same, and are audited', async () => {
		const seller = await insertUser(database.db, 'seller');
		const { caller } = callerFor(database.db, null);
		expect(
			await errorCodeOf(caller.auth.login({ email: seller.email, password: 'wrong password' }))
		).toBe('INVALID_CREDENTIALS');
		expect(
			await errorCodeOf(caller.auth.login({ email: 'nobody@example.test', password: 'whatever' }))
		).toBe('INVALID_CREDENTIALS');
		const failures = await database.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'auth.login_failed'));
		expect(failures).toHaveLength(2);
	});

	it('rate limit trips after 5 failures per account and address, and recovers after 15 minutes', async () => {
		testClock.set(new Date('2026-11-27T10:00:00Z'));
		const seller = await insertUser(database.db, 'seller');
		const { caller } = callerFor(database.db, null);
		for (let i = 0; i < 5; i++) {
			expect(
				await errorCodeOf(caller.auth.login({ email: seller.email, password: `wrong ${i}` }))
			).toBe('INVALID_CREDENTIALS');
		}
		// Even the right password is refused while limited.
		expect(
			await errorCodeOf(caller.auth.login({ email: seller.email, password: seller.password }))
		).toBe('RATE_LIMITED');
		// Another address is not limited by this one's failures.
		const { caller: elsewhere } = callerFor(database.db, null, '198.51.100.9');
		expect(
			await errorCodeOf(elsewhere.auth.login({ email: seller.email, password: seller.password }))
		).toBe('OK');

		testClock.advance(14 * 60_000);
		expect(
			await errorCodeOf(caller.auth.login({ email: seller.email, password: seller.password }))
		).toBe('RATE_LIMITED');
		testClock.advance(61_000);
		expect(
			await errorCodeOf(caller.auth.login({ email: seller.email, password: seller.password }))
		).toBe('OK');
	});

	it('disabling a user ends their sessions and blocks login; enabling lets them back', async () => {
		const admin = await insertUser(database.db, 'admin');
		const seller = await insertUser(database.db, 'seller');
		const adminSession = await sessionFor(database.db, admin.id);
		const sellerSession = await sessionFor(database.db, seller.id);
		const { caller: asSeller } = callerFor(database.db, sellerSession);
		expect(await errorCodeOf(asSeller.sessions.list())).toBe('OK');

		const { caller: asAdmin } = callerFor(database.db, adminSession);
		await asAdmin.users.disable({ id: seller.id });

		const [row] = await database.db
			.select()
			.from(sessions)
			.where(eq(sessions.id, sellerSession.id));
		expect(row?.revokedAt).toBeInstanceOf(Date);
		const { caller: anon } = callerFor(database.db, null);
		expect(
			await errorCodeOf(anon.auth.login({ email: seller.email, password: seller.password }))
		).toBe('ACCOUNT_DISABLED');

		await asAdmin.users.enable({ id: seller.id });
		expect(
			await errorCodeOf(anon.auth.login({ email: seller.email, password: seller.password }))
		).toBe('OK');
	});

	it('a disabled user is locked out even with a session the revocation missed', async () => {
		const admin = await insertUser(database.db, 'admin');
		const seller = await insertUser(database.db, 'seller');
		const { caller: asAdmin } = callerFor(database.db, await sessionFor(database.db, admin.id));
		await asAdmin.users.disable({ id: seller.id });
		// A session row created after the disable (e.g. a race) must still not resolve.
		const { createSession } = await import('./sessions');
		const { token } = await createSession(database.db, seller.id, {
			ip: '127.0.0.1',
			userAgent: null,
			requestId: 'x'
		});
		expect(await resolveSession(database.db, token)).toBeNull();
	});

	it('admins manage users: create, duplicate email refused, role change, last admin protected', async () => {
		const admin = await insertUser(database.db, 'admin');
		const { caller } = callerFor(database.db, await sessionFor(database.db, admin.id));
		const support = await caller.users.create({
			name: 'Sam',
			email: 'sam@example.test',
			password: 'a long passphrase',
			role: 'support'
		});
		expect(support.role).toBe('support');
		expect(
			await errorCodeOf(
				caller.users.create({
					name: 'Sam 2',
					email: 'SAM@example.test',
					password: 'a long passphrase',
					role: 'seller'
				})
			)
		).toBe('EMAIL_TAKEN');
		expect((await caller.users.setRole({ id: support.id, role: 'seller' })).role).toBe('seller');
		expect(await errorCodeOf(caller.users.setRole({ id: admin.id, role: 'seller' }))).toBe(
			'SELF_CHANGE'
		);
		expect(await errorCodeOf(caller.users.disable({ id: admin.id }))).toBe('SELF_CHANGE');

		const second = await caller.users.create({
			name: 'Root 2',
			email: 'root2@example.test',
			password: 'a long passphrase',
			role: 'admin'
		});
		const { caller: asSecond } = callerFor(database.db, await sessionFor(database.db, second.id));
		await asSecond.users.disable({ id: admin.id });
		// `second` is now the only enabled admin; nobody else may demote them, and they may not demote themselves.
		expect(await errorCodeOf(asSecond.users.setRole({ id: second.id, role: 'support' }))).toBe(
			'SELF_CHANGE'
		);
		const users = await asSecond.users.list();
		expect(users.map((u) => u.email)).toContain('sam@example.test');
		expect(users.every((u) => !('passwordHash' in u))).toBe(true);

		// Every role reads the names (not emails or roles) for history lines, disabled admins included.
		const supportUser = await insertUser(database.db, 'support');
		const { caller: asSupport } = callerFor(
			database.db,
			await sessionFor(database.db, supportUser.id)
		);
		const directory = await asSupport.users.directory();
		expect(directory.find((u) => u.id === support.id)).toEqual({ id: support.id, name: 'Sam' });
		expect(directory.map((u) => u.id)).toContain(admin.id);
		expect(directory.every((u) => Object.keys(u).sort().join() === 'id,name')).toBe(true);
	});

	it('a user sees and ends only their own sessions', async () => {
		const seller = await insertUser(database.db, 'seller');
		const other = await insertUser(database.db, 'seller');
		const current = await sessionFor(database.db, seller.id);
		const phone = await sessionFor(database.db, seller.id);
		const othersSession = await sessionFor(database.db, other.id);
		const { caller, ctx } = callerFor(database.db, current);

		const listed = await caller.sessions.list();
		expect(listed.map((s) => s.id).sort()).toEqual([current.id, phone.id].sort());
		expect(listed.find((s) => s.id === current.id)?.current).toBe(true);

		expect(await errorCodeOf(caller.sessions.revoke({ id: othersSession.id }))).toBe('NOT_FOUND');
		await caller.sessions.revoke({ id: phone.id });
		expect((await caller.sessions.list()).map((s) => s.id)).toEqual([current.id]);
		await caller.sessions.revoke({ id: current.id });
		expect(ctx.cookies).toEqual(['']);
	});

	it('sessions expire after SESSION_DAYS', async () => {
		testClock.set(new Date('2026-01-01T00:00:00Z'));
		const seller = await insertUser(database.db, 'seller');
		const { caller, ctx } = callerFor(database.db, null);
		await caller.auth.login({ email: seller.email, password: seller.password });
		testClock.advance(29 * 24 * 3600_000);
		expect(await resolveSession(database.db, ctx.cookies[0] ?? '')).not.toBeNull();
		testClock.advance(2 * 24 * 3600_000);
		expect(await resolveSession(database.db, ctx.cookies[0] ?? '')).toBeNull();
	});
});
