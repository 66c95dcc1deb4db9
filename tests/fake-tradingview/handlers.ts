/**
 * The fake's answers to each TradingView call, as pure functions of the parsed request, the state
 * and the switches. HTTP plumbing, faults and recording live in server.ts.
 */
import type { Faults } from './faults';
import { DEFAULT_LIMIT, MAX_LIMIT, decodeCursor, isOrderBy, page, type Row } from './paging';
import { PINE_ID, type FakeState, type FakeUser } from './state';

export interface ParsedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: Record<string, string>;
	cookies: Record<string, string>;
}

export interface Answer {
	status: number;
	body: unknown;
	setCookies?: string[];
}

export interface Context {
	state: FakeState;
	faults: Faults;
}

const ok = (body: unknown, status = 200): Answer => ({ status, body });
const fail = (status: number, detail: string, code?: string): Answer => ({
	status,
	body: code ? { detail, code } : { detail }
});

function hasSession(ctx: Context, req: ParsedRequest): boolean {
	const { sessionid, sessionid_sign: sign } = req.cookies;
	return sessionid === ctx.state.session.sessionid && sign === ctx.state.session.sessionidSign;
}

function sessionError(ctx: Context): Answer {
	return fail(ctx.faults.badSessionStatus, 'Authentication credentials were not provided.');
}

/** Checks shared by every /pine_perm/ write and list: session, plan, a pine_id of the vendor's. */
function ownScript(ctx: Context, req: ParsedRequest): Answer | string {
	if (!hasSession(ctx, req)) return sessionError(ctx);
	if (ctx.faults.notPremium) {
		return fail(403, 'You need a Premium plan to manage invite-only access.');
	}
	const pineId = req.body.pine_id;
	if (!pineId) return fail(400, 'pine_id: This field is required.');
	const script = ctx.state.scripts.get(pineId);
	if (!PINE_ID.test(pineId) || !script || script.owner !== 'vendor') {
		return fail(422, `Script not found or not yours: ${pineId}`);
	}
	return pineId;
}

function recipient(ctx: Context, req: ParsedRequest): Answer | FakeUser {
	const name = req.body.username_recip;
	if (!name) return fail(400, 'username_recip: This field is required.');
	const user = ctx.state.findUser(name, ctx.faults.usernameMatch === 'exact');
	return user ?? fail(422, `User not found: ${name}`, 'username_recip_not_found');
}

/** Absent or empty means lifetime; anything else must be a date JavaScript can read. */
function expiration(req: ParsedRequest): Answer | Date | null {
	const raw = req.body.expiration;
	if (raw === undefined || raw === '') return null;
	const date = new Date(raw);
	return Number.isNaN(date.getTime()) ? fail(400, `expiration: Invalid date: ${raw}`) : date;
}

const isAnswer = (value: unknown): value is Answer =>
	typeof value === 'object' && value !== null && 'status' in value && 'body' in value;

function listUsers(ctx: Context, req: ParsedRequest): Answer {
	const pineId = ownScript(ctx, req);
	if (isAnswer(pineId)) return pineId;
	let orderBy = req.query.order_by ?? '-created';
	let limit = req.query.limit === undefined ? DEFAULT_LIMIT : Number(req.query.limit);
	let after;
	if (req.query.c !== undefined) {
		const cursor = decodeCursor(req.query.c);
		if (!cursor) return fail(404, 'Invalid cursor');
		({ o: orderBy, l: limit, k: after } = cursor);
	}
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
		return fail(400, `Invalid page size: ${String(req.query.limit)}`, 'bad_pagination_request');
	}
	if (!isOrderBy(orderBy)) return fail(400, `Invalid order_by: ${orderBy}`);
	const filter = req.body.username?.toLowerCase();
	const now = ctx.state.now().getTime();
	const rows: Row[] = [];
	for (const [userId, grant] of ctx.state.grantsOf(pineId)) {
		const user = ctx.state.userById(userId);
		if (!user) continue;
		if (filter && !user.username.toLowerCase().includes(filter)) continue;
		const expired = grant.expiration !== null && grant.expiration.getTime() <= now;
		if (expired && ctx.faults.expiredInList === 'hidden') continue;
		rows.push({ user, grant });
	}
	const result = page(rows, orderBy, limit, after);
	return ok({
		results: result.rows.map(({ user, grant }) => ({
			id: user.id,
			username: user.username,
			userpic: `https://s3.tradingview.com/userpics/${user.id}.png`,
			created: grant.created.toISOString(),
			expiration: grant.expiration?.toISOString() ?? null
		})),
		next: result.next
	});
}

function add(ctx: Context, req: ParsedRequest): Answer {
	const pineId = ownScript(ctx, req);
	if (isAnswer(pineId)) return pineId;
	const user = recipient(ctx, req);
	if (isAnswer(user)) return user;
	const until = expiration(req);
	if (isAnswer(until)) return until;
	const grants = ctx.state.grantsOf(pineId);
	const existing = grants.get(user.id);
	if (existing) {
		if (ctx.faults.reAddUpdatesExpiration) existing.expiration = until;
		return ok({ status: 'exists' });
	}
	grants.set(user.id, { userId: user.id, created: ctx.state.now(), expiration: until });
	return ok({ status: 'ok' }, 201);
}

function nonMember(ctx: Context): Answer {
	switch (ctx.faults.nonMember) {
		case 'ok':
			return ok({ status: 'ok' });
		case 'error':
			return fail(422, 'This user has no access to the script.', 'user_has_no_access');
		case 'not_found':
			return fail(404, 'Not found.');
	}
}

function modify(ctx: Context, req: ParsedRequest): Answer {
	const pineId = ownScript(ctx, req);
	if (isAnswer(pineId)) return pineId;
	const user = recipient(ctx, req);
	if (isAnswer(user)) return user;
	const until = expiration(req);
	if (isAnswer(until)) return until;
	const grant = ctx.state.grantsOf(pineId).get(user.id);
	if (!grant) return nonMember(ctx);
	grant.expiration = until;
	return ok({ status: 'ok' });
}

function remove(ctx: Context, req: ParsedRequest): Answer {
	const pineId = ownScript(ctx, req);
	if (isAnswer(pineId)) return pineId;
	const user = recipient(ctx, req);
	if (isAnswer(user)) return user;
	const grants = ctx.state.grantsOf(pineId);
	if (!grants.delete(user.id)) return nonMember(ctx);
	return ok({ status: 'ok' });
}

function listScripts(ctx: Context, req: ParsedRequest): Answer {
	if (!hasSession(ctx, req)) return sessionError(ctx);
	const own = [...ctx.state.scripts.values()].filter((script) => script.owner === 'vendor');
	return ok(own.map((script) => script.pineId));
}

/** Public metadata: any known script, unknown ids left out [guess]; no session needed. */
function pubscriptsGet(ctx: Context, req: ParsedRequest): Answer {
	const ids = (req.body.scriptIdPart ?? '').split(',').filter(Boolean);
	const found = ids.flatMap((id) => {
		const script = ctx.state.scripts.get(id);
		return script
			? [
					{
						scriptIdPart: id,
						scriptName: script.name,
						version: script.version,
						access: script.access
					}
				]
			: [];
	});
	return ok(found);
}

/** Prefix match in any case, exact match first, at most 30 [guess]; no session needed. */
function usernameHint(ctx: Context, req: ParsedRequest): Answer {
	const text = (req.query.s ?? '').toLowerCase();
	if (!text) return ok([]);
	const hits = [...ctx.state.users.values()]
		.filter((user) => user.username.toLowerCase().startsWith(text))
		.sort((a, b) => a.username.length - b.username.length || a.id - b.id)
		.slice(0, 30);
	return ok(hits.map(({ username, id, inactive }) => ({ username, id, inactive })));
}

function tvcoins(ctx: Context, req: ParsedRequest): Answer {
	if (!hasSession(ctx, req)) return sessionError(ctx);
	return ok({ balance: 0, currency: 'coins' });
}

function signedIn(ctx: Context): Answer {
	ctx.state.expireSession(); // a fresh login issues fresh cookies
	const { sessionid, sessionidSign } = ctx.state.session;
	const attributes = 'Domain=.tradingview.com; Path=/; HttpOnly; Secure; SameSite=Lax';
	return {
		status: 200,
		body: { user: { id: 1, username: ctx.state.credentials.username } },
		setCookies: [
			`sessionid=${sessionid}; ${attributes}`,
			`sessionid_sign=${sessionidSign}; ${attributes}`
		]
	};
}

/** Login failures are HTTP 200 with `error` and `code` (TRADINGVIEW.md). */
const loginError = (error: string, code: string): Answer => ok({ error, code });

function signIn(ctx: Context, req: ParsedRequest): Answer {
	if (ctx.faults.login === 'captcha') {
		return loginError('Please confirm that you are not a robot.', 'recaptcha_required');
	}
	if (ctx.faults.login === 'rate_limit') {
		return loginError('You have been locked out. Please try again later.', 'rate_limit');
	}
	const { username, password, totpCode } = ctx.state.credentials;
	if (
		req.body.username?.toLowerCase() !== username.toLowerCase() ||
		req.body.password !== password
	) {
		return loginError('Invalid username or password', 'invalid_credentials');
	}
	if (totpCode === undefined) return signedIn(ctx);
	const temp = ctx.state.token('tmp');
	ctx.state.pendingTwoFactor.add(temp);
	return {
		...loginError('2FA_required', '2FA_required'),
		setCookies: [`sessionid=${temp}; Path=/; HttpOnly; Secure`]
	};
}

function signInTotp(ctx: Context, req: ParsedRequest): Answer {
	const temp = req.cookies.sessionid;
	if (!temp || !ctx.state.pendingTwoFactor.has(temp)) {
		return loginError('Session expired, please sign in again', 'session_expired');
	}
	if (req.body.code !== ctx.state.credentials.totpCode) {
		return loginError('Invalid code', 'invalid_code');
	}
	ctx.state.pendingTwoFactor.delete(temp);
	return signedIn(ctx);
}

type Handler = (ctx: Context, req: ParsedRequest) => Answer;

export const routes: Record<string, { method: 'GET' | 'POST'; handler: Handler }> = {
	'/pine_perm/list_users/': { method: 'POST', handler: listUsers },
	'/pine_perm/add/': { method: 'POST', handler: add },
	'/pine_perm/modify_user_expiration/': { method: 'POST', handler: modify },
	'/pine_perm/remove/': { method: 'POST', handler: remove },
	'/pine_perm/list_scripts/': { method: 'GET', handler: listScripts },
	'/pubscripts-get/': { method: 'POST', handler: pubscriptsGet },
	'/username_hint/': { method: 'GET', handler: usernameHint },
	'/tvcoins/details/': { method: 'GET', handler: tvcoins },
	'/accounts/signin/': { method: 'POST', handler: signIn },
	'/accounts/two-factor/signin/totp/': { method: 'POST', handler: signInTotp }
};
