/**
 * The fake TradingView's data: the vendor's (and other vendors') scripts, TradingView users, access
 * grants per (pine_id, user), and the vendor's session cookies and login credentials. Plain data
 * with small helpers, so tests can arrange and assert on it directly.
 */

export interface FakeScript {
	pineId: string;
	name: string;
	version: string;
	/** 3 = invite-only (TRADINGVIEW.md); 1 = open, 2 = protected. */
	access: number;
	/** Only the vendor's own scripts can be managed; others answer 422 on /pine_perm/ calls. */
	owner: 'vendor' | 'other';
}

export interface FakeUser {
	id: number;
	username: string;
	inactive: boolean;
}

export interface FakeGrant {
	userId: number;
	created: Date;
	/** null = lifetime access. */
	expiration: Date | null;
}

export interface FakeSession {
	sessionid: string;
	sessionidSign: string;
}

export interface FakeCredentials {
	username: string;
	password: string;
	/** When set, password login answers 2FA_required and needs this code on the TOTP step. */
	totpCode?: string;
}

export class FakeState {
	readonly scripts = new Map<string, FakeScript>();
	/** Keyed by lower-cased username: TradingView usernames are unique regardless of case. */
	readonly users = new Map<string, FakeUser>();
	/** pine_id → user id → grant. */
	readonly grants = new Map<string, Map<number, FakeGrant>>();
	session: FakeSession;
	credentials: FakeCredentials;
	/** Temporary cookies handed out between the password step and the 2FA step. */
	readonly pendingTwoFactor = new Set<string>();
	private nextUserId = 1000;
	/** id → user, kept by addUser so list_users stays fast with 10,000s of users (bench:tv). */
	private readonly byId = new Map<number, FakeUser>();
	private counter = 0;

	constructor(
		readonly now: () => Date = () => new Date(),
		session?: FakeSession,
		credentials?: FakeCredentials
	) {
		this.session = session ?? this.newSession();
		this.credentials = credentials ?? { username: 'vendor', password: 'vendor-password' };
	}

	/** Empties every map; the session and credentials are kept. */
	clear(): void {
		this.scripts.clear();
		this.users.clear();
		this.byId.clear();
		this.grants.clear();
		this.pendingTwoFactor.clear();
	}

	/** Deterministic tokens (a counter, not randomness) so runs are reproducible. */
	token(prefix: string): string {
		this.counter += 1;
		return `${prefix}${this.counter.toString(36).padStart(6, '0')}fake`;
	}

	newSession(): FakeSession {
		return { sessionid: this.token('sid'), sessionidSign: `v3:${this.token('sign')}=` };
	}

	/** What a browser logout does: the pasted cookies stop working. */
	expireSession(): void {
		this.session = this.newSession();
	}

	addScript(script: Partial<FakeScript> & Pick<FakeScript, 'pineId'>): FakeScript {
		const full: FakeScript = {
			name: `Script ${script.pineId.slice(-4)}`,
			version: '1.0',
			access: 3,
			owner: 'vendor',
			...script
		};
		this.scripts.set(full.pineId, full);
		return full;
	}

	addUser(username: string, options: { id?: number; inactive?: boolean } = {}): FakeUser {
		const id = options.id ?? this.nextUserId++;
		const user: FakeUser = { id, username, inactive: options.inactive ?? false };
		this.users.set(username.toLowerCase(), user);
		this.byId.set(id, user);
		return user;
	}

	findUser(username: string, exact = false): FakeUser | undefined {
		const user = this.users.get(username.toLowerCase());
		return user && (!exact || user.username === username) ? user : undefined;
	}

	userById(id: number): FakeUser | undefined {
		const indexed = this.byId.get(id);
		// The index holds what addUser added; a user set on `users` directly is found by the scan.
		if (indexed && this.users.get(indexed.username.toLowerCase()) === indexed) return indexed;
		for (const user of this.users.values()) if (user.id === id) return user;
		return undefined;
	}

	grantsOf(pineId: string): Map<number, FakeGrant> {
		let grants = this.grants.get(pineId);
		if (!grants) {
			grants = new Map();
			this.grants.set(pineId, grants);
		}
		return grants;
	}

	/** Arrange a grant directly (tests and the demo seed); the HTTP calls go through the server. */
	grant(pineId: string, username: string, expiration: Date | null, created?: Date): FakeGrant {
		const user = this.findUser(username) ?? this.addUser(username);
		const grant: FakeGrant = { userId: user.id, created: created ?? this.now(), expiration };
		this.grantsOf(pineId).set(user.id, grant);
		return grant;
	}

	/** The grant of a user on a script by username (any case), for assertions. */
	grantOf(pineId: string, username: string): FakeGrant | undefined {
		const user = this.findUser(username);
		return user ? this.grants.get(pineId)?.get(user.id) : undefined;
	}
}

/** `PUB;` + 32 letters/digits, as TRADINGVIEW.md describes (mixed case for older ids). */
export const PINE_ID = /^PUB;[A-Za-z0-9]{32}$/;

/** A demo vendor for `npm run tv:fake` and the demo: a few scripts, users and grants. */
export function seedDemo(state: FakeState): void {
	const day = 86_400_000;
	const now = state.now().getTime();
	const scripts = [
		state.addScript({
			pineId: 'PUB;7a1e2c3d4b5f60718293a4b5c6d7e8f9',
			name: 'Trend Rider',
			version: '4.0'
		}),
		state.addScript({
			pineId: 'PUB;0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e',
			name: 'Volume Pulse',
			version: '2.1'
		}),
		state.addScript({
			pineId: 'PUB;MixedCaseOldScriptId0123456789Ab',
			name: 'Session Ranges',
			version: '11.0'
		})
	];
	state.addScript({
		pineId: 'PUB;ffffeeeeddddccccbbbbaaaa99998888',
		name: 'Someone Else’s Oscillator',
		owner: 'other'
	});
	const names = ['JohnDoe', 'alice_trades', 'BobFX', 'carol', 'DaveScalps', 'eve_btc', 'Frank99'];
	for (const name of names) state.addUser(name);
	state.addUser('ghost_user', { inactive: true });
	const [first, second] = scripts;
	if (!first || !second) return;
	state.grant(first.pineId, 'JohnDoe', new Date(now + 30 * day), new Date(now - 5 * day));
	state.grant(first.pineId, 'alice_trades', null, new Date(now - 40 * day));
	state.grant(first.pineId, 'BobFX', new Date(now - 2 * day), new Date(now - 32 * day));
	state.grant(second.pineId, 'carol', new Date(now + 7 * day), new Date(now - 1 * day));
}
