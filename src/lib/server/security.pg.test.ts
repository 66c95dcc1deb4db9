import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../tests/helpers/db';
import { insertUser, testMeta } from '../../../tests/helpers/trpc';
import { createSession, resolveSession } from './auth/sessions';
import { SESSION_COOKIE } from './auth/tokens';
import { testClock } from './clock';
import { users } from './db/schema';
import { log } from './log';
import { createContext } from './trpc/context';
import { appRouter } from './trpc/router';
import { tradingViewLimits } from './trpc/routers/tradingview';
import { checkSessionHealth } from './tradingview/session-health';

// Issue 8, "Security checks" that need no browser: session cookie flags, session fixation, the
// login and TradingView rate limits, and secrets that never leave the server (logs, answers).
// The browser-side checks (CSP, foreign Origin, the client bundle) are in tests/e2e/security.spec.ts.

const SECRET_KEY = 'security test secret key 0123456789abcdef';
const fake = await vi.hoisted(async () => {
	const { startFakeTradingView } = await import('../../../tests/fake-tradingview/server');
	const started = await startFakeTradingView({});
	process.env.TRADINGVIEW_BASE_URL = started.url;
	process.env.SECRET_KEY = 'security test secret key 0123456789abcdef';
	return started;
});

/** Every log line the app writes during this file, whatever the level. */
const logLines: string[] = [];
const logTarget = log as unknown as Record<symbol, unknown>;
const realStream = logTarget[pino.symbols.streamSym];

interface Answer {
	status: number;
	text: string;
	appCode: string | null;
	cookies: string[];
}

describe('security checks [pglite]', () => {
	let database: TestDatabase;
	let admin: Awaited<ReturnType<typeof insertUser>>;
	const answers: string[] = [];

	async function call(
		path: string,
		input: unknown,
		options: { token?: string | null; base?: string; query?: boolean } = {}
	): Promise<Answer> {
		const url = new URL(`${options.base ?? 'http://pinegate.test'}/api/trpc/${path}`);
		const headers = new Headers({ 'content-type': 'application/json' });
		if (options.token) headers.set('cookie', `${SESSION_COOKIE}=${options.token}`);
		let init: RequestInit = { method: 'POST', headers, body: JSON.stringify({ json: input }) };
		if (options.query) {
			if (input !== undefined) url.searchParams.set('input', JSON.stringify({ json: input }));
			init = { method: 'GET', headers };
		}
		const response = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request(url, init),
			router: appRouter,
			createContext: ({ req, resHeaders }) =>
				createContext({ db: database.db, req, resHeaders, meta: testMeta })
		});
		const text = await response.text();
		answers.push(text);
		const body = JSON.parse(text) as { error?: { json?: { data?: { appCode?: string } } } };
		return {
			status: response.status,
			text,
			appCode: body.error?.json?.data?.appCode ?? null,
			cookies: response.headers.getSetCookie()
		};
	}

	const tokenOf = (answer: Answer) =>
		/^pg_session=([^;]*)/.exec(answer.cookies[0] ?? '')?.[1] ?? null;

	beforeAll(async () => {
		log.level = 'trace';
		logTarget[pino.symbols.streamSym] = { write: (line: string) => logLines.push(line) };
		database = await createTestDatabase('pglite');
		admin = await insertUser(database.db, 'admin', { password: 'admin password 42!' });
	});
	afterAll(async () => {
		logTarget[pino.symbols.streamSym] = realStream;
		log.level = 'warn';
		testClock.reset();
		await database.dispose();
		await fake.close();
	});
	beforeEach(() => {
		for (const limit of Object.values(tradingViewLimits)) limit.clear();
	});

	it('the session cookie is HttpOnly, SameSite=Lax, Path=/, and Secure only over HTTPS', async () => {
		const credentials = { email: admin.email, password: admin.password };
		for (const base of ['http://pinegate.test', 'https://crm.example.com']) {
			const answer = await call('auth.login', credentials, { base });
			expect(answer.status).toBe(200);
			const attributes = (answer.cookies[0] ?? '').split(';').map((part) => part.trim());
			expect(attributes[0]).toMatch(/^pg_session=[A-Za-z0-9_-]{40,}$/);
			expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']));
			expect(attributes.includes('Secure')).toBe(base.startsWith('https:'));
		}
	});

	it('a login issues a new session id and ends the one the browser came with (fixation)', async () => {
		const credentials = { email: admin.email, password: admin.password };
		// A token planted by someone else is no session, before or after the login.
		const planted = 'planted-token-planted-token-planted-token-00';
		const first = await call('auth.login', credentials, { token: planted });
		expect(tokenOf(first)).not.toBe(planted);
		expect(await resolveSession(database.db, planted)).toBeNull();
		// Logging in again from a signed-in browser: a new id, and the earlier one stops working.
		const earlier = tokenOf(first) ?? '';
		const second = await call('auth.login', credentials, { token: earlier });
		const next = tokenOf(second) ?? '';
		expect(next).not.toBe(earlier);
		expect(await resolveSession(database.db, earlier)).toBeNull();
		expect(await resolveSession(database.db, next)).not.toBeNull();
		const me = await call('auth.me', undefined, { token: earlier, query: true });
		expect(me.text).toContain('"user":null');
	});

	it('login is rate-limited: the 6th failure in 15 minutes answers 429 RATE_LIMITED', async () => {
		const victim = await insertUser(database.db, 'seller');
		const wrong = { email: victim.email, password: 'not the password' };
		for (let i = 0; i < 5; i++)
			expect((await call('auth.login', wrong)).appCode).toBe('INVALID_CREDENTIALS');
		const refused = await call('auth.login', { ...wrong, password: victim.password });
		expect([refused.status, refused.appCode]).toEqual([429, 'RATE_LIMITED']);
	});

	it('TradingView "Test connection" is limited to 10 a minute per person', async () => {
		const other = await insertUser(database.db, 'admin');
		const token = (await createSession(database.db, admin.id, testMeta)).token;
		const otherToken = (await createSession(database.db, other.id, testMeta)).token;
		for (let i = 0; i < 10; i++)
			expect((await call('tradingview.test', undefined, { token })).appCode).toBe(
				'TV_NOT_CONNECTED'
			);
		const refused = await call('tradingview.test', undefined, { token });
		expect([refused.status, refused.appCode]).toEqual([429, 'TV_RATE_LIMITED']);
		expect(refused.text).toMatch(/"seconds":\d+/);
		// Someone else is not held back, and a minute later the first person may test again.
		expect((await call('tradingview.test', undefined, { token: otherToken })).appCode).toBe(
			'TV_NOT_CONNECTED'
		);
		testClock.advance(61_000);
		expect((await call('tradingview.test', undefined, { token })).appCode).toBe('TV_NOT_CONNECTED');
	});

	it('TradingView sign-in is limited to 5 tries in 15 minutes per person', async () => {
		const token = (await createSession(database.db, admin.id, testMeta)).token;
		const input = { username: 'vendor', password: 'wrong password' };
		for (let i = 0; i < 5; i++)
			expect((await call('tradingview.signIn', input, { token })).appCode).not.toBe(
				'TV_RATE_LIMITED'
			);
		expect((await call('tradingview.signIn', input, { token })).appCode).toBe('TV_RATE_LIMITED');
	});

	it('secrets never appear in logs or in any answer', async () => {
		const token = (await createSession(database.db, admin.id, testMeta)).token;
		const { sessionid, sessionidSign } = fake.state.session;
		const q = { token, query: true };
		await call('tradingview.saveSession', { sessionid, sessionidSign }, { token });
		await call('tradingview.status', undefined, q);
		await call('tradingview.test', undefined, { token });
		await call('auth.login', { email: admin.email, password: 'wrong admin password' });
		await call('auth.login', { email: admin.email, password: admin.password });
		await call(
			'users.create',
			{
				name: 'New',
				email: 'new-person@example.test',
				password: 'new person password',
				role: 'seller'
			},
			{ token }
		);
		for (const path of ['users.list', 'users.directory', 'sessions.list', 'auth.me'])
			await call(path, undefined, q);
		await call('audit.list', { limit: 200 }, q);
		await call('audit.exportCsv', {}, q);
		// Server work that logs with TradingView errors attached: an expired session, found.
		fake.state.expireSession();
		await checkSessionHealth(database.db, new Date());
		log.info({ probe: true }, 'security test probe');

		const [row] = await database.db
			.select({ hash: users.passwordHash })
			.from(users)
			.where(eq(users.id, admin.id));
		const secrets = {
			SECRET_KEY,
			sessionid,
			sessionidSign,
			password: admin.password,
			'new password': 'new person password',
			'password hash': row?.hash ?? 'missing',
			'session token': token
		};
		expect(logLines.some((line) => line.includes('security test probe'))).toBe(true);
		expect(logLines.some((line) => line.includes('TradingView session expired'))).toBe(true);
		expect(answers.length).toBeGreaterThan(10);
		for (const [name, value] of Object.entries(secrets)) {
			expect(value.length, name).toBeGreaterThan(8);
			expect(
				logLines.filter((line) => line.includes(value)),
				`${name} in the logs`
			).toEqual([]);
			expect(
				answers.filter((text) => text.includes(value)),
				`${name} in an answer`
			).toEqual([]);
		}
	});
});
