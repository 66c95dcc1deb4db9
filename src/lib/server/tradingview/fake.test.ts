/**
 * The fake itself, spoken to with plain fetch: what it enforces and each switch for TRADINGVIEW.md's
 * unknowns. The client's tests rely on these behaviours being real.
 */
import { describe, expect, it } from 'vitest';
import { pineId, useFakeTradingView } from '../../../../tests/fake-tradingview/testing';

const tv = useFakeTradingView();
const SCRIPT = pineId(11);

function cookie(separator = '; '): string {
	const { sessionid, sessionidSign } = tv.fake.state.session;
	return `sessionid=${sessionid}${separator}sessionid_sign=${sessionidSign}`;
}

async function post(
	path: string,
	fields: Record<string, string>,
	options: { cookie?: string; multipart?: boolean } = {}
): Promise<{ status: number; body: unknown }> {
	let body: URLSearchParams | FormData = new URLSearchParams(fields);
	if (options.multipart) {
		body = new FormData();
		for (const [key, value] of Object.entries(fields)) body.set(key, value);
	}
	const response = await fetch(`${tv.fake.url}${path}`, {
		method: 'POST',
		headers: { cookie: options.cookie ?? cookie(), origin: 'https://www.tradingview.com' },
		body
	});
	return { status: response.status, body: await response.json() };
}

function arrange(): void {
	tv.fake.state.addScript({ pineId: SCRIPT });
	for (const name of ['alice', 'Bob', 'carol', 'dave']) tv.fake.state.addUser(name);
}

const usernames = (body: unknown) =>
	(body as { results: { username: string }[] }).results.map((r) => r.username);

describe('fake TradingView: what it enforces', () => {
	it('needs both cookies, accepting ";" and "; " between them', async () => {
		arrange();
		const { sessionid } = tv.fake.state.session;
		expect(
			(await post('/pine_perm/add/', { pine_id: SCRIPT, username_recip: 'alice' })).status
		).toBe(201);
		const tight = await post(
			'/pine_perm/add/',
			{ pine_id: SCRIPT, username_recip: 'Bob' },
			{ cookie: cookie(';') }
		);
		expect(tight.status).toBe(201);
		const half = await post(
			'/pine_perm/add/',
			{ pine_id: SCRIPT, username_recip: 'carol' },
			{ cookie: `sessionid=${sessionid}` }
		);
		expect(half.status).toBe(403);
		tv.fake.faults.badSessionStatus = 401;
		expect((await post('/pine_perm/list_users/', { pine_id: SCRIPT }, { cookie: '' })).status).toBe(
			401
		);
		const list = await fetch(`${tv.fake.url}/pine_perm/list_scripts/`);
		expect(list.status).toBe(401);
		expect(tv.fake.state.grantOf(SCRIPT, 'carol')).toBeUndefined();
	});

	it('parses multipart/form-data bodies like form-urlencoded ones', async () => {
		arrange();
		const answer = await post(
			'/pine_perm/add/',
			{ pine_id: SCRIPT, username_recip: 'dave', expiration: '2026-09-01T00:00:00.000Z' },
			{ multipart: true }
		);
		expect(answer).toEqual({ status: 201, body: { status: 'ok' } });
		expect(tv.fake.requests[0]?.encoding).toBe('multipart');
		expect(tv.fake.state.grantOf(SCRIPT, 'dave')?.expiration?.toISOString()).toBe(
			'2026-09-01T00:00:00.000Z'
		);
	});

	it('caps pages at 30 with bad_pagination_request, ignores offset, gives no total', async () => {
		arrange();
		for (const name of ['alice', 'Bob', 'carol']) tv.fake.state.grant(SCRIPT, name, null);
		const over = await post('/pine_perm/list_users/?limit=31', { pine_id: SCRIPT });
		expect(over.status).toBe(400);
		expect(over.body).toMatchObject({ code: 'bad_pagination_request' });
		const page = await post('/pine_perm/list_users/?limit=2&offset=2&order_by=user__username', {
			pine_id: SCRIPT
		});
		expect(usernames(page.body)).toEqual(['alice', 'Bob']);
		expect(Object.keys(page.body as object).sort()).toEqual(['next', 'results']);
	});

	it('keeps its cursor stable when a grant is removed between pages', async () => {
		arrange();
		for (const name of ['alice', 'Bob', 'carol', 'dave']) tv.fake.state.grant(SCRIPT, name, null);
		const first = await post('/pine_perm/list_users/?limit=2&order_by=user__username', {
			pine_id: SCRIPT
		});
		expect(usernames(first.body)).toEqual(['alice', 'Bob']);
		await post('/pine_perm/remove/', { pine_id: SCRIPT, username_recip: 'alice' });
		const next = (first.body as { next: string }).next;
		expect(next).toMatch(/^\/pine_perm\/list_users\/\?c=/);
		const second = await post(next, { pine_id: SCRIPT });
		expect(usernames(second.body)).toEqual(['carol', 'dave']);
		expect((second.body as { next: unknown }).next).toBeNull();
		expect((await post('/pine_perm/list_users/?c=garbage', { pine_id: SCRIPT })).status).toBe(404);
	});

	it('orders lifetime grants last by expiration and first by -expiration', async () => {
		arrange();
		tv.fake.state.grant(SCRIPT, 'alice', null);
		tv.fake.state.grant(SCRIPT, 'Bob', new Date('2026-05-01T00:00:00Z'));
		tv.fake.state.grant(SCRIPT, 'carol', new Date('2026-04-01T00:00:00Z'));
		const up = await post('/pine_perm/list_users/?order_by=expiration,user__username', {
			pine_id: SCRIPT
		});
		expect(usernames(up.body)).toEqual(['carol', 'Bob', 'alice']);
		const down = await post('/pine_perm/list_users/?order_by=-expiration,user__username', {
			pine_id: SCRIPT
		});
		expect(usernames(down.body)).toEqual(['alice', 'Bob', 'carol']);
		const bad = await post('/pine_perm/list_users/?order_by=username', { pine_id: SCRIPT });
		expect(bad.status).toBe(400);
	});

	it('filters list_users by a case-insensitive substring', async () => {
		arrange();
		tv.fake.state.addUser('Caroline');
		for (const name of ['alice', 'carol', 'Caroline']) tv.fake.state.grant(SCRIPT, name, null);
		const found = await post('/pine_perm/list_users/?order_by=user__username', {
			pine_id: SCRIPT,
			username: 'CAROL'
		});
		expect(usernames(found.body)).toEqual(['carol', 'Caroline']);
	});

	it('answers wrong methods and unknown paths, and lets tests wait for requests', async () => {
		const waiting = tv.fake.waitForRequests(2);
		expect((await fetch(`${tv.fake.url}/pine_perm/add/`)).status).toBe(405);
		expect((await fetch(`${tv.fake.url}/nowhere/`)).status).toBe(404);
		await waiting;
		expect(tv.fake.requests.map((r) => r.status)).toEqual([405, 404]);
	});
});

describe('fake TradingView: switches for the unknowns', () => {
	it('modify/remove for a non-member: ok without a change by default, or 422, or 404', async () => {
		arrange();
		const fields = { pine_id: SCRIPT, username_recip: 'alice' };
		expect(await post('/pine_perm/modify_user_expiration/', fields)).toEqual({
			status: 200,
			body: { status: 'ok' }
		});
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')).toBeUndefined();
		expect((await post('/pine_perm/remove/', fields)).status).toBe(200);
		tv.fake.faults.nonMember = 'error';
		const error = await post('/pine_perm/remove/', fields);
		expect(error).toMatchObject({ status: 422, body: { code: 'user_has_no_access' } });
		tv.fake.faults.nonMember = 'not_found';
		expect((await post('/pine_perm/modify_user_expiration/', fields)).status).toBe(404);
	});

	it('re-add updates the expiration only when switched on', async () => {
		arrange();
		tv.fake.state.grant(SCRIPT, 'alice', new Date('2026-04-01T00:00:00Z'));
		const readd = { pine_id: SCRIPT, username_recip: 'alice', expiration: '2027-01-01T00:00:00Z' };
		tv.fake.faults.reAddUpdatesExpiration = true;
		expect(await post('/pine_perm/add/', readd)).toEqual({
			status: 200,
			body: { status: 'exists' }
		});
		expect(tv.fake.state.grantOf(SCRIPT, 'alice')?.expiration?.toISOString()).toBe(
			'2027-01-01T00:00:00.000Z'
		);
	});

	it('hides expired grants from list_users only when switched on', async () => {
		arrange();
		tv.fake.state.grant(SCRIPT, 'alice', new Date('2026-02-01T00:00:00Z')); // before TEST_NOW
		tv.fake.state.grant(SCRIPT, 'Bob', null);
		const query = '/pine_perm/list_users/?order_by=user__username';
		expect(usernames((await post(query, { pine_id: SCRIPT })).body)).toEqual(['alice', 'Bob']);
		tv.fake.faults.expiredInList = 'hidden';
		expect(usernames((await post(query, { pine_id: SCRIPT })).body)).toEqual(['Bob']);
	});

	it('matches usernames exactly only when switched on, and refuses a vendor without Premium', async () => {
		arrange();
		tv.fake.faults.usernameMatch = 'exact';
		const wrongCase = await post('/pine_perm/add/', { pine_id: SCRIPT, username_recip: 'bob' });
		expect(wrongCase).toMatchObject({ status: 422, body: { code: 'username_recip_not_found' } });
		tv.fake.faults.notPremium = true;
		expect((await post('/pine_perm/add/', { pine_id: SCRIPT, username_recip: 'Bob' })).status).toBe(
			403
		);
		const coins = await fetch(`${tv.fake.url}/tvcoins/details/`, { headers: { cookie: cookie() } });
		expect(coins.status).toBe(200); // the session itself is fine: that tells the two apart
	});
});
