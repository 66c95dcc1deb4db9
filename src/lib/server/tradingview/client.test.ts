import { describe, expect, it } from 'vitest';
import { pineId, useFakeTradingView } from '../../../../tests/fake-tradingview/testing';
import { createTradingViewClient, type TradingViewClientOptions } from './client';
import { TradingViewError } from './errors';

const tv = useFakeTradingView();
const SCRIPT = pineId(1);

function client(options: Partial<TradingViewClientOptions> = {}) {
	const { sessionid, sessionidSign } = tv.fake.state.session;
	return createTradingViewClient({
		baseUrl: tv.fake.url,
		sessionid,
		sessionidSign,
		timeoutMs: 2_000,
		...options
	});
}

function arrange(): void {
	tv.fake.state.addScript({ pineId: SCRIPT, name: 'Trend Rider', version: '4.0' });
	tv.fake.state.addUser('JohnDoe');
	tv.fake.state.addUser('alice');
}

async function rejection(promise: Promise<unknown>): Promise<TradingViewError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	if (!(error instanceof TradingViewError))
		throw new Error(`expected a TradingViewError, got ${String(error)}`);
	return error;
}

describe('TradingView client against the fake: writes', () => {
	it('adds with an expiration, sending both cookies, Origin, Referer, a browser User-Agent and %3B', async () => {
		arrange();
		const until = new Date('2026-10-01T00:00:00.000Z');
		expect(await client().add(SCRIPT, 'JohnDoe', until)).toEqual({ status: 'ok' });
		expect(tv.fake.state.grantOf(SCRIPT, 'johndoe')?.expiration).toEqual(until);
		const [request] = tv.fake.requests;
		expect(request).toMatchObject({
			method: 'POST',
			path: '/pine_perm/add/',
			encoding: 'form',
			body: { pine_id: SCRIPT, username_recip: 'JohnDoe', expiration: until.toISOString() },
			cookies: {
				sessionid: tv.fake.state.session.sessionid,
				sessionid_sign: tv.fake.state.session.sessionidSign
			},
			headers: {
				origin: 'https://www.tradingview.com',
				referer: 'https://www.tradingview.com/',
				'content-type': 'application/x-www-form-urlencoded;charset=UTF-8'
			}
		});
		expect(request?.headers['user-agent']).toMatch(/^Mozilla\/5\.0 .*Chrome\//);
	});

	it('sends the pine_id percent-encoded on the wire', async () => {
		arrange();
		let sent = '';
		const spy: typeof fetch = async (input, init) => {
			sent = init?.body instanceof URLSearchParams ? init.body.toString() : '';
			return fetch(input, init);
		};
		await client({ fetch: spy }).add(SCRIPT, 'alice', null);
		expect(sent).toContain(`pine_id=PUB%3B${SCRIPT.slice(4)}`);
	});

	it('adds lifetime access by omitting expiration', async () => {
		arrange();
		await client().add(SCRIPT, 'alice', null);
		expect(tv.fake.requests[0]?.body).not.toHaveProperty('expiration');
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')).toMatchObject({ expiration: null });
	});

	it('sends multipart/form-data when asked, which the fake parses the same way', async () => {
		arrange();
		await client({ encoding: 'multipart' }).add(SCRIPT, 'alice', '2026-05-01T00:00:00Z');
		expect(tv.fake.requests[0]).toMatchObject({
			encoding: 'multipart',
			body: { pine_id: SCRIPT, username_recip: 'alice', expiration: '2026-05-01T00:00:00.000Z' }
		});
		expect(tv.fake.requests[0]?.headers['content-type']).toMatch(
			/^multipart\/form-data; boundary=/
		);
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')?.expiration?.toISOString()).toBe(
			'2026-05-01T00:00:00.000Z'
		);
	});

	it('reports `exists` on a re-add and leaves the expiration as it was', async () => {
		arrange();
		const first = new Date('2026-04-01T00:00:00.000Z');
		await client().add(SCRIPT, 'alice', first);
		expect(await client().add(SCRIPT, 'ALICE', new Date('2027-01-01T00:00:00Z'))).toEqual({
			status: 'exists'
		});
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')?.expiration).toEqual(first);
	});

	it('modifies the expiration (replace, and null = lifetime) and removes', async () => {
		arrange();
		tv.fake.state.grant(SCRIPT, 'alice', new Date('2026-04-01T00:00:00Z'));
		const later = new Date('2026-06-01T00:00:00.000Z');
		expect(await client().modifyExpiration(SCRIPT, 'alice', later)).toEqual({ status: 'ok' });
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')?.expiration).toEqual(later);
		await client().modifyExpiration(SCRIPT, 'alice', null);
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')?.expiration).toBeNull();
		expect(await client().remove(SCRIPT, '@alice')).toEqual({ status: 'ok' });
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')).toBeUndefined();
		expect(tv.fake.requests.map((r) => r.path)).toEqual([
			'/pine_perm/modify_user_expiration/',
			'/pine_perm/modify_user_expiration/',
			'/pine_perm/remove/'
		]);
		expect(tv.fake.requests[2]?.body).toEqual({ pine_id: SCRIPT, username_recip: 'alice' });
	});

	it('gives a permanent error with code and detail for an unknown user', async () => {
		arrange();
		const error = await rejection(client().add(SCRIPT, 'nobody_here', null));
		expect(error).toMatchObject({
			kind: 'permanent',
			status: 422,
			code: 'username_recip_not_found',
			detail: 'User not found: nobody_here',
			retryable: false
		});
	});

	it('gives a permanent error for a script of another vendor and for a malformed pine_id', async () => {
		arrange();
		const foreign = pineId(99);
		tv.fake.state.addScript({ pineId: foreign, owner: 'other' });
		expect(await rejection(client().add(foreign, 'alice', null))).toMatchObject({
			kind: 'permanent',
			status: 422
		});
		expect(await rejection(client().remove('PUB;short', 'alice'))).toMatchObject({
			kind: 'permanent',
			status: 422
		});
		expect(tv.fake.state.grants.get(foreign)?.size ?? 0).toBe(0);
	});

	it('refuses a date that is not one before calling', async () => {
		arrange();
		expect(await rejection(client().add(SCRIPT, 'alice', 'soon'))).toMatchObject({
			kind: 'bad_request'
		});
		expect(tv.fake.requests).toHaveLength(0);
	});
});

describe('TradingView client against the fake: reads', () => {
	it('pages 95 users at 30 a page to the end: 4 requests, the cursor followed, none missed or repeated', async () => {
		arrange();
		const names: string[] = [];
		for (let i = 0; i < 95; i++) {
			const name = `user_${String(i).padStart(2, '0')}`;
			names.push(name);
			tv.fake.state.grant(SCRIPT, name, null, new Date(Date.UTC(2026, 0, 1, 0, i)));
		}
		const all = await client().listAllUsers(SCRIPT, { limit: 30 });
		expect(all.map((entry) => entry.username)).toEqual([...names].reverse()); // -created
		expect(new Set(all.map((entry) => entry.id)).size).toBe(95);
		const pages = tv.fake.requests;
		expect(pages).toHaveLength(4);
		expect(pages[0]).toMatchObject({ query: { limit: '30', order_by: '-created' } });
		for (const request of pages.slice(1)) {
			expect(Object.keys(request.query)).toEqual(['c']);
			expect(request.body).toEqual({ pine_id: SCRIPT });
		}
		expect(all[0]).toMatchObject({ username: 'user_94', expiration: null });
		expect(all[0]?.created).toEqual(new Date(Date.UTC(2026, 0, 1, 1, 34)));
	});

	it('orders by username and returns a one-page list with next = null', async () => {
		arrange();
		tv.fake.state.grant(SCRIPT, 'JohnDoe', new Date('2026-05-01T00:00:00Z'));
		tv.fake.state.grant(SCRIPT, 'alice', null);
		const page = await client().listUsersPage(SCRIPT, { orderBy: 'user__username' });
		expect(page.next).toBeNull();
		expect(
			page.results.map((entry) => [entry.username, entry.expiration?.toISOString() ?? null])
		).toEqual([
			['alice', null],
			['JohnDoe', '2026-05-01T00:00:00.000Z']
		]);
	});

	it('gives bad_request for bad_pagination_request above 30', async () => {
		arrange();
		const error = await rejection(client().listUsersPage(SCRIPT, { limit: 31 }));
		expect(error).toMatchObject({
			kind: 'bad_request',
			status: 400,
			code: 'bad_pagination_request'
		});
	});

	it('finds one user exactly (any case) through the substring filter', async () => {
		arrange();
		tv.fake.state.grant(SCRIPT, 'alice', null);
		tv.fake.state.grant(SCRIPT, 'alice_two', null);
		tv.fake.state.grant(SCRIPT, 'malice', null);
		expect((await client().findAccess(SCRIPT, '@ALICE'))?.username).toBe('alice');
		expect(tv.fake.requests[0]?.body).toEqual({ pine_id: SCRIPT, username: 'ALICE' });
		expect(await client().findAccess(SCRIPT, 'JohnDoe')).toBeNull();
	});

	it('gives TradingView’s spelling of a username typed any way, or null', async () => {
		arrange();
		tv.fake.state.addUser('johndoe_fan');
		expect(await client().canonicalUsername('@ johnDOE ')).toBe('JohnDoe');
		expect(tv.fake.requests[0]).toMatchObject({ path: '/username_hint/', query: { s: 'johnDOE' } });
		expect(await client().canonicalUsername('johndo')).toBeNull(); // only a prefix of real names
		expect(await client().canonicalUsername(' @ ')).toBeNull();
		expect(tv.fake.requests).toHaveLength(2);
		const hints = await client().usernameHint('john');
		expect(hints.map(({ username, inactive }) => [username, inactive])).toEqual([
			['JohnDoe', false],
			['johndoe_fan', false]
		]);
		expect(hints[0]?.id).toBe(tv.fake.state.findUser('johndoe')?.id);
	});

	it('lists the vendor’s scripts and their names and versions', async () => {
		arrange();
		tv.fake.state.addScript({ pineId: pineId(2), name: 'Volume Pulse', version: '2.1' });
		tv.fake.state.addScript({ pineId: pineId(3), owner: 'other' });
		expect(await client().listScripts()).toEqual([SCRIPT, pineId(2)]);
		expect(await client().scriptDetails([SCRIPT, pineId(2), pineId(404)])).toEqual([
			{ pineId: SCRIPT, name: 'Trend Rider', version: '4.0', access: 3 },
			{ pineId: pineId(2), name: 'Volume Pulse', version: '2.1', access: 3 }
		]);
		expect(tv.fake.requests[1]).toMatchObject({
			path: '/pubscripts-get/',
			body: { scriptIdPart: `${SCRIPT},${pineId(2)},${pineId(404)}`, show_hidden: 'true' }
		});
	});

	it('checks the session: true while it works, false once it is over', async () => {
		expect(await client().checkSession()).toBe(true);
		expect(tv.fake.requests[0]?.path).toBe('/tvcoins/details/');
		const stale = client();
		tv.fake.state.expireSession();
		expect(await stale.checkSession()).toBe(false);
		expect(await client({ sessionid: '', sessionidSign: '' }).checkSession()).toBe(false);
	});

	it('refuses to call without both cookies, and refuses cookie values that would break the header', async () => {
		const noSign = client({ sessionidSign: undefined });
		expect(noSign.hasSession).toBe(false);
		expect(await rejection(noSign.listScripts())).toMatchObject({ kind: 'session' });
		expect(tv.fake.requests).toHaveLength(0);
		expect(() => client({ sessionid: 'abc; evil=1' })).toThrow(TradingViewError);
	});
});
