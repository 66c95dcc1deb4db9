/**
 * TradingView's invite-only access calls (TRADINGVIEW.md), one method per call. Each method makes
 * exactly one request (paging helpers one per page) and never retries: the job queue decides what
 * to do with each TradingViewError kind. Cookie values are sent, never logged or put in messages.
 */
import { TradingViewError } from './errors';
import {
	exchange,
	type Exchange,
	type Reply,
	type TradingViewLogger,
	type Transport
} from './http';
import {
	MAX_PAGE_SIZE,
	accessPage,
	parseAnswer,
	scriptDetails,
	scriptIds,
	usernameHints,
	writeStatus,
	type AccessEntry,
	type OrderBy,
	type UsernameHint
} from './schemas';
import { signIn, signInTwoFactor, type SignedIn } from './signin';
import { cleanUsername, cookieValue, isoExpiration, type Expiration } from './values';

export type { AccessEntry, OrderBy, UsernameHint } from './schemas';
export type { SignedIn } from './signin';
export { cleanUsername, type Expiration } from './values';

export interface TradingViewClientOptions {
	/** TRADINGVIEW_BASE_URL: https://www.tradingview.com, or the fake's URL in tests and the demo. */
	baseUrl: string;
	sessionid?: string;
	sessionidSign?: string;
	fetch?: typeof fetch;
	/** Per request, including reading the answer. */
	timeoutMs?: number;
	/** Body encoding; both work on TradingView. Default form-urlencoded. */
	encoding?: 'form' | 'multipart';
	/** Clock for Retry-After dates and timings (tests). */
	now?: () => number;
	log?: TradingViewLogger;
}

export interface ListUsersOptions {
	/** TradingView's filter is a substring match; see `findAccess` for an exact one. */
	username?: string;
	/** Page size, 1–30 (TradingView rejects more). Default 30. */
	limit?: number;
	orderBy?: OrderBy;
}

export interface AccessPage {
	results: AccessEntry[];
	/** The path of the next page, or null on the last one. */
	next: string | null;
}

export interface ScriptDetails {
	pineId: string;
	name: string;
	version: string;
	/** 3 = invite-only. */
	access: number;
}

const LIST_USERS = '/pine_perm/list_users/';

export class TradingViewClient {
	private readonly transport: Transport;
	private readonly cookie: string | undefined;

	constructor(options: TradingViewClientOptions) {
		this.transport = {
			baseUrl: new URL(options.baseUrl),
			fetch: options.fetch ?? globalThis.fetch,
			timeoutMs: options.timeoutMs ?? 20_000,
			encoding: options.encoding ?? 'form',
			now: options.now ?? Date.now,
			log: options.log
		};
		const sessionid = cookieValue('sessionid', options.sessionid);
		const sign = cookieValue('sessionid_sign', options.sessionidSign);
		// Both are needed since May 2023; with one missing every call would fail as a bad session.
		this.cookie = sessionid && sign ? `sessionid=${sessionid}; sessionid_sign=${sign}` : undefined;
	}

	get hasSession(): boolean {
		return this.cookie !== undefined;
	}

	private async authed(
		method: 'GET' | 'POST',
		path: string,
		extra: Pick<Exchange, 'query' | 'form'> = {}
	): Promise<Reply> {
		if (!this.cookie) {
			throw new TradingViewError('session', 'No TradingView session cookies are configured', {
				path
			});
		}
		return exchange(this.transport, { method, path, cookie: this.cookie, ...extra });
	}

	/** One page of the users with access; pass `cursor` (a `next` path) for the following pages. */
	async listUsersPage(
		pineId: string,
		options: ListUsersOptions = {},
		cursor?: string
	): Promise<AccessPage> {
		const form = { pine_id: pineId, username: options.username };
		let reply: Reply;
		if (cursor === undefined) {
			reply = await this.authed('POST', LIST_USERS, {
				query: { limit: options.limit ?? MAX_PAGE_SIZE, order_by: options.orderBy ?? '-created' },
				form
			});
		} else {
			reply = await this.authed('POST', this.cursorPath(cursor), { form });
		}
		const page = parseAnswer(accessPage, reply.body, LIST_USERS);
		return { results: page.results, next: page.next };
	}

	/**
	 * Only follow `next` to list_users on our own base URL: a cursor pointing elsewhere would be sent
	 * our cookies.
	 */
	private cursorPath(next: string): string {
		const url = new URL(next, this.transport.baseUrl);
		if (url.origin !== this.transport.baseUrl.origin || url.pathname !== LIST_USERS) {
			throw new TradingViewError(
				'bad_request',
				'TradingView gave a paging cursor to another place',
				{
					path: LIST_USERS
				}
			);
		}
		return `${url.pathname}${url.search}`;
	}

	/** Every user with access, page after page until `next` is null (a repeated cursor stops it). */
	async *listUsers(pineId: string, options: ListUsersOptions = {}): AsyncGenerator<AccessEntry> {
		const seen = new Set<string>();
		let cursor: string | undefined;
		do {
			const page = await this.listUsersPage(pineId, options, cursor);
			yield* page.results;
			cursor = page.next ?? undefined;
			if (cursor !== undefined) {
				if (seen.has(cursor)) {
					throw new TradingViewError('bad_request', 'TradingView repeated a paging cursor', {
						path: LIST_USERS
					});
				}
				seen.add(cursor);
			}
		} while (cursor !== undefined);
	}

	async listAllUsers(pineId: string, options: ListUsersOptions = {}): Promise<AccessEntry[]> {
		const all: AccessEntry[] = [];
		for await (const entry of this.listUsers(pineId, options)) all.push(entry);
		return all;
	}

	/** The access of one user (any case), or null: the read-back after a write. */
	async findAccess(pineId: string, username: string): Promise<AccessEntry | null> {
		const cleaned = cleanUsername(username);
		const wanted = cleaned.toLowerCase();
		for await (const entry of this.listUsers(pineId, { username: cleaned })) {
			if (entry.username.toLowerCase() === wanted) return entry;
		}
		return null;
	}

	private async write(path: string, form: Record<string, string | undefined>): Promise<string> {
		const reply = await this.authed('POST', path, { form });
		return parseAnswer(writeStatus, reply.body, path).status;
	}

	/** Grants access; `exists` means the user already had some and the expiration was not changed. */
	async add(
		pineId: string,
		username: string,
		expiration: Expiration
	): Promise<{ status: 'ok' | 'exists' }> {
		const status = await this.write('/pine_perm/add/', {
			pine_id: pineId,
			username_recip: cleanUsername(username),
			expiration: isoExpiration(expiration)
		});
		return { status: status === 'exists' ? 'exists' : 'ok' };
	}

	/** Replaces the expiration (null = lifetime). */
	async modifyExpiration(
		pineId: string,
		username: string,
		expiration: Expiration
	): Promise<{ status: 'ok' }> {
		await this.write('/pine_perm/modify_user_expiration/', {
			pine_id: pineId,
			username_recip: cleanUsername(username),
			expiration: isoExpiration(expiration)
		});
		return { status: 'ok' };
	}

	async remove(pineId: string, username: string): Promise<{ status: 'ok' }> {
		await this.write('/pine_perm/remove/', {
			pine_id: pineId,
			username_recip: cleanUsername(username)
		});
		return { status: 'ok' };
	}

	/** TradingView's username suggestions (no session needed). */
	async usernameHint(text: string): Promise<UsernameHint[]> {
		const reply = await exchange(this.transport, {
			method: 'GET',
			path: '/username_hint/',
			query: { s: text }
		});
		return parseAnswer(usernameHints, reply.body, '/username_hint/');
	}

	/** TradingView's own spelling of a username typed in any case, or null when no such user. */
	async canonicalUsername(text: string): Promise<string | null> {
		const cleaned = cleanUsername(text);
		if (!cleaned) return null;
		const hints = await this.usernameHint(cleaned);
		const wanted = cleaned.toLowerCase();
		return hints.find((hint) => hint.username.toLowerCase() === wanted)?.username ?? null;
	}

	/** The pine_ids whose access this vendor can manage. */
	async listScripts(): Promise<string[]> {
		const reply = await this.authed('GET', '/pine_perm/list_scripts/');
		return parseAnswer(scriptIds, reply.body, '/pine_perm/list_scripts/');
	}

	/** Names, versions and access types; unknown ids are left out of the answer. */
	async scriptDetails(pineIds: string[]): Promise<ScriptDetails[]> {
		if (pineIds.length === 0) return [];
		const reply = await this.authed('POST', '/pubscripts-get/', {
			form: { scriptIdPart: pineIds.join(','), show_hidden: 'true' }
		});
		return parseAnswer(scriptDetails, reply.body, '/pubscripts-get/').map((script) => ({
			pineId: script.scriptIdPart,
			name: script.scriptName,
			version: script.version,
			access: script.access
		}));
	}

	/**
	 * true while the session works, false when TradingView says it is over (401/403). Network
	 * trouble still throws, so a hiccup is not mistaken for an expired session.
	 */
	async checkSession(): Promise<boolean> {
		if (!this.cookie) return false;
		try {
			await this.authed('GET', '/tvcoins/details/');
			return true;
		} catch (error) {
			if (error instanceof TradingViewError && error.kind === 'session') return false;
			throw error;
		}
	}

	/** Password login; one attempt, never repeated (TradingView blocks accounts that loop). */
	signIn(username: string, password: string): Promise<SignedIn> {
		return signIn(this.transport, username, password);
	}

	/** The second step after a `two_factor_required` error, with that error's `tempCookies`. */
	signInTwoFactor(code: string, tempCookies: string): Promise<SignedIn> {
		return signInTwoFactor(this.transport, code, tempCookies);
	}
}

export function createTradingViewClient(options: TradingViewClientOptions): TradingViewClient {
	return new TradingViewClient(options);
}
