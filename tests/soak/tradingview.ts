/**
 * The fake TradingView for the soak: the vendor's scripts and users, seeded random transient faults
 * while the soak runs, and an audit of every write it received. Each request is annotated, as it
 * arrives, with the fake's state for its (script, user) pair at that moment; that is what tells a
 * needed write from a repeated one.
 */
import {
	startFakeTradingView,
	type FakeTradingView,
	type RecordedRequest
} from '../fake-tradingview/server';
import type { CallFault } from '../fake-tradingview/faults';
import type { Catalogue } from './actions';

/** A pair's state on TradingView: absent, or a member until `expiration` (ms; null = lifetime). */
type PairState = { member: false } | { member: true; expiration: number | null };

interface Annotated {
	request: RecordedRequest;
	pair: string;
	before: PairState;
}

const WRITES = ['/pine_perm/add/', '/pine_perm/modify_user_expiration/', '/pine_perm/remove/'];
const LIST = '/pine_perm/list_users/';

export const TV_FAULTS: CallFault[] = [
	{ kind: 'server_error', status: 503 },
	{ kind: 'server_error', status: 502 },
	{ kind: 'rate_limit', retryAfter: '1' },
	{ kind: 'drop' },
	{ kind: 'drop', applied: true },
	{ kind: 'slow', delayMs: 300, applied: true }
];

export interface SoakTradingView {
	fake: FakeTradingView;
	catalogue: Catalogue;
	/** Every matching call gets a random transient fault with this probability (0 stops them). */
	setFaultRate(probability: number, seed: number): void;
	audit(): TradingViewAudit;
	/** Pairs whose state on the fake differs from what `wanted` says. */
	mismatches(wanted: Map<string, PairState>): string[];
	close(): Promise<void>;
}

export interface TradingViewAudit {
	calls: number;
	writes: number;
	faultsByKind: Record<string, number>;
	/** Writes that set a pair to the state it already had, after a read had already shown it. */
	repeatedWrites: string[];
}

export const pairKey = (pineId: string, username: string) => `${pineId}|${username.toLowerCase()}`;

const sameState = (a: PairState, b: PairState) =>
	a.member === b.member && (!a.member || (b.member && a.expiration === b.expiration));

/** What a write asks for; seconds only, as TradingView and the worker's read-back compare. */
function targetOf(request: RecordedRequest): PairState {
	if (request.path === '/pine_perm/remove/') return { member: false };
	const raw = request.body.expiration;
	const expiration = raw ? Math.floor(new Date(raw).getTime() / 1000) * 1000 : null;
	return { member: true, expiration };
}

export async function startSoakTradingView(seed: number): Promise<SoakTradingView> {
	const fake = await startFakeTradingView();
	const pineIds = Array.from(
		{ length: 10 },
		(_, i) => `PUB;${(seed.toString(16) + i.toString(16)).padStart(32, '0').slice(-32)}`
	);
	for (const pineId of pineIds) fake.state.addScript({ pineId, name: `Soak ${pineId.slice(-4)}` });
	const usernames = Array.from({ length: 80 }, (_, i) => `soak_trader_${i}`);
	for (const name of usernames) fake.state.addUser(name);
	const catalogue: Catalogue = {
		pineIds,
		usernames,
		unknownUsernames: ['nobody_known_1', 'nobody_known_2', 'nobody_known_3']
	};

	const stateOf = (pineId: string, username: string): PairState => {
		const grant = fake.state.grantOf(pineId, username);
		if (!grant) return { member: false };
		return {
			member: true,
			expiration:
				grant.expiration === null ? null : Math.floor(grant.expiration.getTime() / 1000) * 1000
		};
	};
	const annotated: Annotated[] = [];
	const push = fake.requests.push.bind(fake.requests);
	// The fake records a request before it answers it: the pair's state here is the state before.
	fake.requests.push = (...entries: RecordedRequest[]) => {
		for (const request of entries) {
			const pineId = request.body.pine_id;
			const username = request.path === LIST ? request.body.username : request.body.username_recip;
			if (pineId && username && (WRITES.includes(request.path) || request.path === LIST))
				annotated.push({
					request,
					pair: pairKey(pineId, username),
					before: stateOf(pineId, username)
				});
		}
		return push(...entries);
	};

	return {
		fake,
		catalogue,
		setFaultRate(probability, faultSeed) {
			fake.faults.reset();
			if (probability > 0)
				fake.faults.random({
					probability,
					faults: TV_FAULTS,
					seed: faultSeed,
					path: /^\/pine_perm\//
				});
		},
		audit() {
			const faultsByKind: Record<string, number> = {};
			for (const request of fake.requests) {
				if (!request.fault) continue;
				const applied = request.faultApplied ? ' (change made)' : '';
				const label = `${request.fault}${request.status ? ` ${request.status}` : ''}${applied}`;
				faultsByKind[label] = (faultsByKind[label] ?? 0) + 1;
			}
			// Per pair: the state a successful read last showed; a write that asks for exactly the
			// state the pair has and that a read already showed repeats a verified change.
			const shown = new Map<string, PairState>();
			const repeatedWrites: string[] = [];
			let writes = 0;
			for (const { request, pair, before } of annotated) {
				if (request.path === LIST) {
					if (request.status === 200) shown.set(pair, before);
					continue;
				}
				writes++;
				const target = targetOf(request);
				const seen = shown.get(pair);
				if (seen && sameState(seen, before) && sameState(before, target))
					repeatedWrites.push(`${request.path} ${pair} ${JSON.stringify(target)}`);
			}
			return { calls: fake.requests.length, writes, faultsByKind, repeatedWrites };
		},
		mismatches(wanted) {
			const out: string[] = [];
			for (const [pair, state] of wanted) {
				const [pineId = '', username = ''] = pair.split('|');
				const actual = stateOf(pineId, username);
				if (!sameState(actual, state))
					out.push(
						`${pair}: server wants ${JSON.stringify(state)}, TradingView has ${JSON.stringify(actual)}`
					);
			}
			return out;
		},
		close: () => fake.close()
	};
}

export type { PairState };
