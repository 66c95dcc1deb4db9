import { describe, expect, it } from 'vitest';
import { pineId, useFakeTradingView } from '../../../../tests/fake-tradingview/testing';
import { createTradingViewClient, type TradingViewClientOptions } from './client';
import { TradingViewError, kindOfStatus, parseRetryAfter } from './errors';
import type { TradingViewLogger } from './http';

const tv = useFakeTradingView();
const SCRIPT = pineId(7);
const NOW = Date.parse('2026-03-01T12:00:00.000Z');

function client(options: Partial<TradingViewClientOptions> = {}) {
	const { sessionid, sessionidSign } = tv.fake.state.session;
	return createTradingViewClient({
		baseUrl: tv.fake.url,
		sessionid,
		sessionidSign,
		timeoutMs: 2_000,
		now: () => NOW,
		...options
	});
}

function arrange(): void {
	tv.fake.state.addScript({ pineId: SCRIPT });
	tv.fake.state.addUser('alice');
}

async function rejection(promise: Promise<unknown>): Promise<TradingViewError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	if (!(error instanceof TradingViewError)) {
		throw new Error(`expected a TradingViewError, got ${String(error)}`);
	}
	return error;
}

describe('TradingView client: switchable faults', () => {
	it.each([401, 403] as const)('a %i for a stale session is a session error', async (status) => {
		arrange();
		tv.fake.faults.badSessionStatus = status;
		const stale = client();
		tv.fake.state.expireSession();
		const error = await rejection(stale.add(SCRIPT, 'alice', null));
		expect(error).toMatchObject({ kind: 'session', status, retryable: false });
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')).toBeUndefined();
	});

	it('a 429 is rate_limited with Retry-After read as seconds or as an HTTP-date', async () => {
		arrange();
		tv.fake.faults
			.next({ kind: 'rate_limit', retryAfter: '7' })
			.next({ kind: 'rate_limit', retryAfter: new Date(NOW + 90_000).toUTCString() })
			.next({ kind: 'rate_limit' });
		const seconds = await rejection(client().listScripts());
		expect(seconds).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 7_000 });
		expect(seconds.retryable).toBe(true);
		expect(await rejection(client().listScripts())).toMatchObject({ retryAfterMs: 90_000 });
		expect((await rejection(client().listScripts())).retryAfterMs).toBeUndefined();
		expect(await client().listScripts()).toEqual([SCRIPT]); // the faults were used up
	});

	it.each([500, 502, 503] as const)('a %i is transient and changes nothing', async (status) => {
		arrange();
		tv.fake.faults.next({ kind: 'server_error', status }, { path: '/pine_perm/add/' });
		const error = await rejection(client().add(SCRIPT, 'alice', null));
		expect(error).toMatchObject({ kind: 'transient', status, retryable: true });
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')).toBeUndefined();
	});

	it('an answer slower than the timeout is transient, though the write may have happened', async () => {
		arrange();
		tv.fake.faults.next({ kind: 'slow', delayMs: 10_000 });
		const error = await rejection(client({ timeoutMs: 100 }).add(SCRIPT, 'alice', null));
		expect(error).toMatchObject({ kind: 'transient', path: '/pine_perm/add/' });
		expect(error.message).toMatch(/within 100 ms/);
		// Applied before the delay: exactly why the queue reads back after a failed write.
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')).toBeDefined();
	});

	it('a slow answer within the timeout succeeds', async () => {
		arrange();
		tv.fake.faults.next({ kind: 'slow', delayMs: 20 });
		expect(await client({ timeoutMs: 2_000 }).listScripts()).toEqual([SCRIPT]);
	});

	it('a dropped connection is transient, with or without the change made', async () => {
		arrange();
		tv.fake.faults.next({ kind: 'drop' }).next({ kind: 'drop', applied: true });
		expect(await rejection(client().add(SCRIPT, 'alice', null))).toMatchObject({
			kind: 'transient'
		});
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')).toBeUndefined();
		expect(await rejection(client().add(SCRIPT, 'alice', null))).toMatchObject({
			kind: 'transient'
		});
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')).toBeDefined();
		expect(tv.fake.requests.map((r) => [r.fault, r.status])).toEqual([
			['drop', undefined],
			['drop', undefined]
		]);
	});

	it('random faults repeat exactly for a seed', async () => {
		arrange();
		const run = async () => {
			tv.fake.reset();
			arrange();
			tv.fake.faults.random({
				probability: 0.5,
				seed: 42,
				faults: [
					{ kind: 'server_error', status: 503 },
					{ kind: 'rate_limit', retryAfter: '1' }
				]
			});
			const outcomes: string[] = [];
			for (let i = 0; i < 12; i++) {
				outcomes.push(
					await client()
						.listScripts()
						.then(
							() => 'ok',
							(e: unknown) => (e instanceof TradingViewError ? e.kind : 'other')
						)
				);
			}
			return outcomes;
		};
		const first = await run();
		expect(await run()).toEqual(first);
		expect(new Set(first)).toEqual(new Set(['ok', 'transient', 'rate_limited']));
	});

	it('never follows a redirect with the cookies', async () => {
		const redirecting: typeof fetch = () =>
			Promise.resolve(
				new Response(null, { status: 302, headers: { location: 'https://evil.example/' } })
			);
		expect(await rejection(client({ fetch: redirecting }).listScripts())).toMatchObject({
			kind: 'bad_request',
			status: 302
		});
	});

	it('a page that is not JSON is transient; JSON of the wrong shape is bad_request', async () => {
		const html: typeof fetch = () => Promise.resolve(new Response('<html>Maintenance</html>'));
		expect(await rejection(client({ fetch: html }).listScripts())).toMatchObject({
			kind: 'transient'
		});
		const wrong: typeof fetch = () => Promise.resolve(Response.json({ results: 'nope' }));
		expect(await rejection(client({ fetch: wrong }).listScripts())).toMatchObject({
			kind: 'bad_request'
		});
	});
});

describe('TradingView client: password login', () => {
	it('signs in once and gets both cookies; the password never reaches a log', async () => {
		const entries: string[] = [];
		const log: TradingViewLogger = {
			debug: (entry, message) => entries.push(JSON.stringify({ entry, message })),
			warn: (entry, message) => entries.push(JSON.stringify({ entry, message }))
		};
		const signed = await client({ log }).signIn('vendor', 'vendor-password');
		expect(signed).toEqual({
			sessionid: tv.fake.state.session.sessionid,
			sessionidSign: tv.fake.state.session.sessionidSign,
			user: { id: 1, username: 'vendor' }
		});
		const [request] = tv.fake.requests;
		expect(request).toMatchObject({
			path: '/accounts/signin/',
			body: { username: 'vendor', password: '[redacted]', remember: 'on' },
			cookies: {}
		});
		expect(JSON.stringify(tv.fake.requests)).not.toContain('vendor-password');
		expect(entries.length).toBeGreaterThan(0);
		expect(entries.join('\n')).not.toMatch(/vendor-password|sid0|sign0/);
		// The new cookies work.
		expect(await client(signed).checkSession()).toBe(true);
	});

	it('logs calls without cookie values', async () => {
		arrange();
		const entries: string[] = [];
		const log: TradingViewLogger = {
			debug: (entry) => entries.push(JSON.stringify(entry)),
			warn: (entry) => entries.push(JSON.stringify(entry))
		};
		await client({ log }).add(SCRIPT, 'alice', null);
		await rejection(client({ log }).add(SCRIPT, 'nobody', null));
		expect(entries).toHaveLength(2);
		const { sessionid, sessionidSign } = tv.fake.state.session;
		for (const entry of entries) {
			expect(entry).not.toContain(sessionid);
			expect(entry).not.toContain(sessionidSign);
		}
	});

	it('reports captcha, rate_limit and wrong passwords as their own kinds, one request each', async () => {
		tv.fake.faults.login = 'captcha';
		expect(await rejection(client().signIn('vendor', 'vendor-password'))).toMatchObject({
			kind: 'captcha',
			code: 'recaptcha_required'
		});
		tv.fake.faults.login = 'rate_limit';
		expect(await rejection(client().signIn('vendor', 'vendor-password'))).toMatchObject({
			kind: 'rate_limited',
			code: 'rate_limit'
		});
		tv.fake.faults.login = null;
		expect(await rejection(client().signIn('vendor', 'wrong'))).toMatchObject({
			kind: 'invalid_credentials'
		});
		expect(tv.fake.requests).toHaveLength(3);
	});

	it('asks for 2FA, then completes with the code and the temporary cookies', async () => {
		tv.fake.state.credentials = { username: 'vendor', password: 'pw', totpCode: '123456' };
		const needed = await rejection(client().signIn('vendor', 'pw'));
		expect(needed).toMatchObject({ kind: 'two_factor_required' });
		const temp = needed.tempCookies ?? '';
		expect(temp).toMatch(/^sessionid=tmp/);
		expect(await rejection(client().signInTwoFactor('000000', temp))).toMatchObject({
			kind: 'invalid_credentials',
			code: 'invalid_code'
		});
		const signed = await client().signInTwoFactor('123 456', temp);
		expect(signed.sessionid).toBe(tv.fake.state.session.sessionid);
		expect(tv.fake.requests[2]).toMatchObject({
			path: '/accounts/two-factor/signin/totp/',
			body: { code: '123456' },
			cookies: { sessionid: temp.slice('sessionid='.length) }
		});
	});
});

describe('error classification', () => {
	it('maps statuses to kinds', () => {
		expect([401, 403, 404, 422, 429, 408, 500, 502, 503, 400, 409].map(kindOfStatus)).toEqual([
			'session',
			'session',
			'permanent',
			'permanent',
			'rate_limited',
			'transient',
			'transient',
			'transient',
			'transient',
			'bad_request',
			'bad_request'
		]);
	});

	it('reads Retry-After', () => {
		expect(parseRetryAfter('120', NOW)).toBe(120_000);
		expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', NOW)).toBe(30_000);
		expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0);
		expect(parseRetryAfter('soon', NOW)).toBeUndefined();
		expect(parseRetryAfter(null, NOW)).toBeUndefined();
	});
});
