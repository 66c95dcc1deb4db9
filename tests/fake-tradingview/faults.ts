/**
 * Switchable behaviours of the fake: injected faults (one-shot or seeded-random) and the choices it
 * makes where TRADINGVIEW.md says [unknown]. Defaults are documented in docs/tradingview.md.
 */

/** A fault injected into a call instead of (or around) its normal answer. */
export type CallFault =
	/** 429 with `Retry-After` as given (seconds like "3" or an HTTP-date); omitted when undefined. */
	| { kind: 'rate_limit'; retryAfter?: string }
	| { kind: 'server_error'; status: 500 | 502 | 503 }
	/**
	 * The answer comes after `delayMs`. `applied` (default true): the change is made before the
	 * delay, as when a slow server did the work but the caller timed out — the case read-back exists
	 * for.
	 */
	| { kind: 'slow'; delayMs: number; applied?: boolean }
	/** The socket is destroyed without an answer; `applied` (default false) makes the change first. */
	| { kind: 'drop'; applied?: boolean };

/** Which calls a fault applies to: a path prefix (e.g. `/pine_perm/add/`) or a pattern. */
export type PathMatch = string | RegExp;

interface Queued {
	fault: CallFault;
	remaining: number;
	path?: PathMatch;
}

interface RandomRule {
	probability: number;
	faults: CallFault[];
	path?: PathMatch;
	next: () => number;
}

/** mulberry32: small seeded PRNG so random faults repeat exactly for a given seed. */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

function matches(path: string, match: PathMatch | undefined): boolean {
	if (match === undefined) return true;
	return typeof match === 'string' ? path.startsWith(match) : match.test(path);
}

export class Faults {
	/** Status for a missing, partial or stale session cookie pair. Django's default is 403. */
	badSessionStatus: 401 | 403 = 403;
	/** Password login answers this (HTTP 200 with an error code) instead of checking credentials. */
	login: 'captcha' | 'rate_limit' | null = null;
	/**
	 * modify/remove for a user without access [unknown]: 'ok' answers 200 {"status":"ok"} and changes
	 * nothing (default: the harder case for callers, who must read back); 'error' answers 422
	 * {"code":"user_has_no_access"}; 'not_found' answers 404 {"detail":"Not found."}.
	 */
	nonMember: 'ok' | 'error' | 'not_found' = 'ok';
	/** add for an existing member answers `exists`; true also replaces the expiration [seen/one]. */
	reAddUpdatesExpiration = false;
	/** Whether list_users still shows grants past their expiration [unknown]; default: shown. */
	expiredInList: 'shown' | 'hidden' = 'shown';
	/** Username lookup on add/modify/remove [guess]: any case (default) or exact spelling. */
	usernameMatch: 'any_case' | 'exact' = 'any_case';
	/** A vendor without Premium [unknown]: /pine_perm/ calls answer 403 with a detail. */
	notPremium = false;

	private queue: Queued[] = [];
	private rules: RandomRule[] = [];

	/** The next `times` matching calls get `fault` (queued faults apply in order). */
	next(fault: CallFault, options: { times?: number; path?: PathMatch } = {}): this {
		this.queue.push({ fault, remaining: options.times ?? 1, path: options.path });
		return this;
	}

	/** Each matching call gets one of `faults` with `probability`, drawn from a seeded PRNG. */
	random(options: {
		probability: number;
		faults: CallFault[];
		seed: number;
		path?: PathMatch;
	}): this {
		this.rules.push({
			probability: options.probability,
			faults: options.faults,
			path: options.path,
			next: mulberry32(options.seed)
		});
		return this;
	}

	/** Picks the fault for a call, if any; queued faults first, then random rules. */
	take(path: string): CallFault | undefined {
		const index = this.queue.findIndex((q) => matches(path, q.path));
		const queued = this.queue[index];
		if (queued) {
			queued.remaining -= 1;
			if (queued.remaining <= 0) this.queue.splice(index, 1);
			return queued.fault;
		}
		for (const rule of this.rules) {
			if (!matches(path, rule.path)) continue;
			if (rule.next() < rule.probability) {
				const pick = rule.faults[Math.floor(rule.next() * rule.faults.length)];
				if (pick) return pick;
			}
		}
		return undefined;
	}

	/** Back to the defaults: no faults, documented behaviours. */
	reset(): void {
		this.queue = [];
		this.rules = [];
		this.badSessionStatus = 403;
		this.login = null;
		this.nonMember = 'ok';
		this.reAddUpdatesExpiration = false;
		this.expiredInList = 'shown';
		this.usernameMatch = 'any_case';
		this.notPremium = false;
	}
}
