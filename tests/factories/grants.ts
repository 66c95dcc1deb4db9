import { DAY_MS, ID_STREAMS } from './clients';
import { REFUND_REASONS, REVOKE_REASONS } from './names';
import { Random, idStream } from './random';
import type {
	AccessEventRecord,
	AccessType,
	ClientRecord,
	Currency,
	GrantHistory,
	IndicatorRecord,
	Preset,
	TransactionRecord,
	TvState
} from './types';

export interface GrantFactoryOptions {
	seed: string | number;
	/** How many grants (accesses) to make, revoked ones included. */
	count: number;
	now: Date;
	clients: readonly ClientRecord[];
	indicators: readonly IndicatorRecord[];
}

/** The state a grant is generated to have at `now` (DESIGN.md §3 grant rules; lifetime apart). */
export type TargetState = 'active' | 'expiring' | 'expired' | 'revoked' | 'lifetime';

/** A grant is expiring when it ends within this long after `now`. */
const EXPIRING_MS = 7 * DAY_MS;
/** Grants closed (ended or revoked) longer ago than this need no TradingView action. */
const HISTORICAL_MS = 180 * DAY_MS;

interface IndicatorInfo {
	record: IndicatorRecord;
	createdMs: number;
	/** Latest time a grant or renewal may happen: now, or when the indicator was retired. */
	latestMs: number;
	/** Monthly price in minor units. */
	monthlyPrice: number;
}

/** One term, times relative to the grant's start. `end` is null for lifetime. */
interface Term {
	at: number;
	preset: Preset;
	days: number | null;
	previousEnd: number | null;
	end: number | null;
}

interface Plan {
	terms: Term[];
	/** End of the last term (relative), null for lifetime. */
	span: number | null;
	/** Time of the last renewal (relative; 0 when there is none). */
	lastAt: number;
}

interface PlacedGrant {
	type: AccessType;
	startMs: number;
	plan: Plan;
	revokedMs: number | null;
	revokeReason: string | null;
}

const PAID_PRESETS: ReadonlyArray<readonly [readonly [Preset, number], number]> = [
	[['30d', 30], 55],
	[['90d', 90], 22],
	[['365d', 365], 15]
];

const PRICE_FACTOR: Record<Preset, number> = {
	'7d': 0.35,
	'30d': 1,
	'90d': 2.7,
	'365d': 9,
	lifetime: 25,
	custom: 1
};

/**
 * Grants that respect the grant rules, with their `access_events` (a `granted` event each,
 * `renewed` events with previous and new ends, `revoked` for revoked ones; actor `system`) and the
 * payments of their paid terms.
 *
 * - At most one open (not revoked) grant per (client, indicator): a pair picked twice becomes a
 *   history of revoked grants followed by one that may be open, in time order.
 * - A state mix at `now`: active, expiring (ends within 7 days), expired, revoked and lifetime.
 *   Inactive clients only have expired or revoked grants.
 * - Every grant and renewal happens after the client registered and the indicator was created,
 *   at or before `now`, and before the indicator was retired (a retired indicator takes no new
 *   grants or renewals; its grants run to their end). Renewals extend from max(renewal time,
 *   current end): early renewals chain terms, late ones restart from the renewal time.
 * - `tv_state` is `pending` (nothing verified on TradingView yet), except grants that closed more
 *   than 180 days before `now`, which are `not_applicable` (long gone from TradingView).
 *
 * A generator: 300,000 grants need not sit in memory at once. Iterating again yields the same
 * grants.
 */
export function* makeGrants(options: GrantFactoryOptions): Generator<GrantHistory> {
	const { clients, indicators } = options;
	const nowMs = options.now.getTime();
	if (options.count === 0) return;
	if (clients.length === 0 || indicators.length === 0)
		throw new Error('grants need at least one client and one indicator');

	const setup = new Random(options.seed, 'grants:setup');
	const info: IndicatorInfo[] = indicators.map((record) => ({
		record,
		createdMs: record.createdAt.getTime(),
		latestMs: record.status === 'retired' ? Math.min(nowMs, record.updatedAt.getTime()) : nowMs,
		monthlyPrice: setup.pick([1900, 2900, 3900, 4900, 5900, 7900, 9900])
	}));
	const currencies: Currency[] = clients.map(() => (setup.chance(0.7) ? 'USD' : 'EUR'));

	// Popularity: production indicators by a Zipf-like curve, retired ones middling, development rare.
	let rank = 0;
	const weights = info.map(({ record }) =>
		record.status === 'production' ? 1 / (++rank) ** 0.7 : record.status === 'retired' ? 0.35 : 0.08
	);
	const totalWeight = weights.reduce((a, b) => a + b, 0);

	const pairs = samplePairs(
		options,
		info,
		weights,
		totalWeight,
		new Random(options.seed, 'grants:pairs')
	);

	const random = new Random(options.seed, 'grants');
	const nextAccessId = idStream(options.seed, ID_STREAMS.accesses);
	const nextEventId = idStream(options.seed, ID_STREAMS.accessEvents);
	const nextTransactionId = idStream(options.seed, ID_STREAMS.transactions);
	const stripeRefs = new Set<string>();
	let invoiceNumber = 0;

	const build = (
		clientIndex: number,
		indicator: IndicatorInfo,
		grant: PlacedGrant
	): GrantHistory => {
		const client = clients[clientIndex] as ClientRecord;
		const accessId = nextAccessId();
		const { plan, startMs } = grant;
		const abs = (rel: number | null) => (rel === null ? null : new Date(startMs + rel));
		const endsAt = abs(plan.span);
		const base = {
			accessId,
			clientId: client.id,
			indicatorId: indicator.record.id,
			actor: 'system',
			relatedEventId: null,
			deletedAt: null
		};
		const events: AccessEventRecord[] = plan.terms.map((term, index) => ({
			id: nextEventId(),
			...base,
			kind: index === 0 ? 'granted' : 'renewed',
			at: new Date(startMs + term.at),
			previousEndsAt: abs(term.previousEnd),
			newEndsAt: abs(term.end),
			preset: term.preset,
			note: null
		}));
		if (grant.revokedMs !== null) {
			events.push({
				id: nextEventId(),
				...base,
				kind: 'revoked',
				at: new Date(grant.revokedMs),
				previousEndsAt: endsAt,
				newEndsAt: null,
				preset: null,
				note: grant.revokeReason
			});
		}

		const payment = (
			atMs: number,
			amount: number,
			status: 'paid' | 'failed'
		): TransactionRecord => {
			const at = new Date(atMs);
			const stripe = random.chance(0.4);
			let reference: string | null = null;
			if (stripe) {
				do reference = `pi_${random.alphanumeric(24)}`;
				while (stripeRefs.has(reference));
				stripeRefs.add(reference);
			} else if (random.chance(0.5)) {
				reference = `INV-${at.getUTCFullYear()}-${String(++invoiceNumber).padStart(6, '0')}`;
			}
			return {
				id: nextTransactionId(),
				clientId: client.id,
				amount,
				currency: currencies[clientIndex] ?? 'USD',
				occurredAt: at,
				status,
				paymentReference: reference,
				source: stripe ? 'stripe' : 'manual',
				createdAt: at,
				updatedAt: at,
				deletedAt: null
			};
		};
		const transactions: TransactionRecord[] = [];
		if (grant.type === 'paid') {
			const currency = currencies[clientIndex] ?? 'USD';
			for (const term of plan.terms) {
				const amount = price(random, indicator.monthlyPrice, term, currency);
				const late = term.previousEnd !== null && term.at > term.previousEnd;
				if (late && random.chance(0.3)) {
					// A failed charge when the term ran out, paid later by hand or on retry.
					transactions.push(payment(startMs + (term.previousEnd as number), amount, 'failed'));
				}
				transactions.push(payment(startMs + term.at, amount, 'paid'));
			}
			const last = transactions[transactions.length - 1];
			if (last && grant.revokeReason && REFUND_REASONS.has(grant.revokeReason)) {
				last.status = 'refunded';
				last.updatedAt = new Date(grant.revokedMs ?? last.occurredAt.getTime());
			}
		}
		const closedMs =
			grant.revokedMs ??
			(plan.span !== null && startMs + plan.span <= nowMs ? startMs + plan.span : null);
		const tvState: TvState =
			closedMs !== null && closedMs < nowMs - HISTORICAL_MS ? 'not_applicable' : 'pending';
		const lastEventMs = Math.max(startMs + plan.lastAt, grant.revokedMs ?? 0);
		return {
			access: {
				id: accessId,
				clientId: client.id,
				indicatorId: indicator.record.id,
				startsAt: new Date(startMs),
				endsAt,
				revokedAt: grant.revokedMs === null ? null : new Date(grant.revokedMs),
				revokeReason: grant.revokeReason,
				accessType: grant.type,
				tvState,
				tvError: null,
				tvAttempts: 0,
				tvVerifiedAt: null,
				createdAt: new Date(startMs),
				updatedAt: new Date(lastEventMs),
				deletedAt: null
			},
			events,
			transactions
		};
	};

	for (const [key, grantCount] of pairs) {
		const clientIndex = Math.floor(key / info.length);
		const indicator = info[key % info.length] as IndicatorInfo;
		const client = clients[clientIndex] as ClientRecord;
		const lo = Math.max(client.registeredAt.getTime(), indicator.createdMs);
		const hi = indicator.latestMs;
		// Leave room before the last grant for the revoked ones that preceded it.
		const lastLo =
			grantCount > 1 ? lo + Math.min((grantCount - 1) * 3 * DAY_MS, Math.floor((hi - lo) / 2)) : lo;
		const last = placeLast(random, client, indicator, lastLo, hi, nowMs);
		const slot = (last.startMs - lo) / (grantCount - 1 || 1);
		for (let j = 0; j < grantCount - 1; j++) {
			const type = pickType(random, indicator, 'revoked');
			const [preset, days] = firstPreset(random, type, 'revoked');
			const duration = days * DAY_MS;
			const startMs = lo + Math.floor(j * slot + random.next() * slot * 0.3);
			const revokedMs = startMs + Math.floor(random.next() * Math.min(slot * 0.6, duration - 1));
			yield build(clientIndex, indicator, {
				type,
				startMs,
				plan: {
					terms: [{ at: 0, preset, days, previousEnd: null, end: duration }],
					span: duration,
					lastAt: 0
				},
				revokedMs,
				revokeReason: random.pick(REVOKE_REASONS)
			});
		}
		yield build(clientIndex, indicator, last);
	}
}

/**
 * Which (client, indicator) pairs get grants and how many each: `count` grants in all. Clients are
 * skewed (some have many grants, many have none), indicators weighted by popularity. A pair drawn
 * again sometimes becomes a second grant for it (a revoked history), otherwise another pair is drawn.
 * Returns pair key (clientIndex * indicators + indicatorIndex) → grants, in first-drawn order.
 */
function samplePairs(
	options: GrantFactoryOptions,
	info: readonly IndicatorInfo[],
	weights: readonly number[],
	totalWeight: number,
	random: Random
): Map<number, number> {
	const clientCount = options.clients.length;
	const pairs = new Map<number, number>();
	const keys: number[] = [];
	const pickIndicator = () => {
		let x = random.next() * totalWeight;
		for (let i = 0; i < weights.length; i++) {
			x -= weights[i] as number;
			if (x < 0) return i;
		}
		return weights.length - 1;
	};
	for (let k = 0; k < options.count; k++) {
		let placed = false;
		for (let attempt = 0; attempt < 20 && !placed; attempt++) {
			const clientIndex = Math.floor(clientCount * random.next() ** 1.25);
			const indicatorIndex = pickIndicator();
			const indicator = info[indicatorIndex] as IndicatorInfo;
			const client = options.clients[clientIndex] as ClientRecord;
			// Clients who registered after an indicator was retired cannot have had it.
			if (Math.max(client.registeredAt.getTime(), indicator.createdMs) > indicator.latestMs)
				continue;
			const key = clientIndex * info.length + indicatorIndex;
			const existing = pairs.get(key);
			if (existing === undefined) {
				pairs.set(key, 1);
				keys.push(key);
				placed = true;
			} else if (attempt >= 3 || random.chance(0.35)) {
				pairs.set(key, existing + 1);
				placed = true;
			}
		}
		if (!placed) {
			// Dense (few clients × indicators): lengthen an existing pair's history.
			const key = keys.length > 0 ? random.pick(keys) : undefined;
			if (key === undefined) throw new Error('no (client, indicator) pair can take a grant');
			pairs.set(key, (pairs.get(key) ?? 0) + 1);
		}
	}
	return pairs;
}

function pickTarget(random: Random, client: ClientRecord): TargetState {
	if (client.status === 'inactive') return random.chance(0.75) ? 'expired' : 'revoked';
	return random.weighted<TargetState>([
		['active', 34],
		['expiring', 7],
		['expired', 39],
		['revoked', 12],
		['lifetime', 8]
	]);
}

function pickType(random: Random, indicator: IndicatorInfo, state: TargetState): AccessType {
	const development = indicator.record.status === 'development';
	if (state === 'lifetime') return development || random.chance(0.6) ? 'complimentary' : 'paid';
	if (development) return random.chance(0.6) ? 'trial' : 'complimentary';
	return random.weighted<AccessType>([
		['trial', 18],
		['paid', 67],
		['complimentary', 15]
	]);
}

function firstPreset(random: Random, type: AccessType, state: TargetState): [Preset, number] {
	if (type === 'trial') {
		// A 7-day trial cannot be more than 7 days from its end: active trials are longer, custom ones.
		if (state === 'active') return ['custom', random.between(14, 30)];
		return random.chance(0.75) ? ['7d', 7] : ['custom', 14];
	}
	const custom: [Preset, number] = ['custom', random.between(10, type === 'paid' ? 60 : 180)];
	if (type === 'paid') return random.weighted([...PAID_PRESETS, [custom, 8]]) as [Preset, number];
	return random.weighted<readonly [Preset, number]>([
		[['30d', 30], 35],
		[['90d', 90], 25],
		[['365d', 365], 10],
		[custom, 30]
	]) as [Preset, number];
}

/**
 * The terms of a timed grant, relative to its start. `attempt` > 0 asks for a shorter history
 * (fewer renewals, then one short term) when the longer one does not fit the time available.
 */
function planTerms(random: Random, type: AccessType, state: TargetState, attempt: number): Plan {
	if (state === 'lifetime')
		return {
			terms: [{ at: 0, preset: 'lifetime', days: null, previousEnd: null, end: null }],
			span: null,
			lastAt: 0
		};
	let [preset, days] =
		attempt >= 3
			? type === 'trial'
				? state === 'active'
					? (['custom', 14] as [Preset, number])
					: (['7d', 7] as [Preset, number])
				: (['30d', 30] as [Preset, number])
			: firstPreset(random, type, state);
	const terms: Term[] = [{ at: 0, preset, days, previousEnd: null, end: days * DAY_MS }];
	let renewals = 0;
	if (type === 'paid') {
		const max = attempt === 0 ? 10 : attempt === 1 ? 2 : 0;
		while (renewals < max && random.chance(0.6)) renewals++;
	} else if (type === 'complimentary' && attempt < 2 && random.chance(0.25)) {
		renewals = 1;
	}
	for (let r = 0; r < renewals; r++) {
		const previous = terms[terms.length - 1] as Term;
		const previousEnd = previous.end as number;
		const previousLength = (previous.days ?? 30) * DAY_MS;
		if (!random.chance(0.8)) [preset, days] = random.weighted(PAID_PRESETS) as [Preset, number];
		const timing = random.next();
		let at: number;
		let from: number;
		if (timing < 0.7) {
			// Renewed before the end: the new term follows on.
			at = previousEnd - Math.floor(random.next() * Math.min(10 * DAY_MS, previousLength / 2));
			from = previousEnd;
		} else if (timing < 0.9) {
			// Renewed within a week after the end (still counts as a renewal for the metrics).
			at = previousEnd + Math.floor(random.next() * 7 * DAY_MS);
			from = at;
		} else {
			// Came back after a lapse: the new term starts from the renewal, never from the past.
			at = previousEnd + 7 * DAY_MS + Math.floor(random.next() * 90 * DAY_MS);
			from = at;
		}
		terms.push({ at, preset, days, previousEnd, end: from + days * DAY_MS });
	}
	const last = terms[terms.length - 1] as Term;
	return { terms, span: last.end, lastAt: last.at };
}

/** The window of start times that gives `state` at `now`, or null when none does. */
function startWindow(
	state: TargetState,
	plan: Plan,
	lo: number,
	hi: number,
	nowMs: number
): [number, number] | null {
	const latest = hi - plan.lastAt;
	const span = plan.span ?? 0;
	let window: [number, number];
	switch (state) {
		case 'lifetime':
		case 'revoked':
			window = [lo, latest];
			break;
		case 'expired':
			window = [lo, Math.min(latest, nowMs - span)];
			break;
		case 'expiring':
			window = [Math.max(lo, nowMs - span + 1), Math.min(latest, nowMs + EXPIRING_MS - span)];
			break;
		case 'active':
			window = [Math.max(lo, nowMs + EXPIRING_MS - span + 1), latest];
			break;
	}
	return window[0] <= window[1] ? window : null;
}

/** The last (possibly open) grant of a pair, started in [lo, hi]. */
function placeLast(
	random: Random,
	client: ClientRecord,
	indicator: IndicatorInfo,
	lo: number,
	hi: number,
	nowMs: number
): PlacedGrant {
	const target = pickTarget(random, client);
	const type = pickType(random, indicator, target);
	// The target state first, shortening the history if needed; then fall back to a state that
	// fits (a client who registered yesterday cannot have an expired 30-day grant); an inactive
	// client's grant stays closed. `revoked` always fits, so the loop always ends with a grant.
	const tries: Array<[TargetState, number]> = [
		[target, 0],
		[target, 1],
		[target, 2],
		[target, 3],
		...(client.status === 'inactive'
			? (['expired', 'revoked'] as const)
			: (['expired', 'active', 'expiring', 'revoked'] as const)
		).map((state): [TargetState, number] => [state, 3])
	];
	for (const [state, attempt] of tries) {
		const stateType =
			state === 'lifetime' || target !== 'lifetime' ? type : pickType(random, indicator, state);
		const plan = planTerms(random, stateType, state, attempt);
		const window = startWindow(state, plan, lo, hi, nowMs);
		if (!window) continue;
		const startMs = window[0] + Math.floor(random.next() * (window[1] - window[0] + 1));
		let revokedMs: number | null = null;
		let revokeReason: string | null = null;
		if (state === 'revoked') {
			const from = startMs + plan.lastAt;
			const to = Math.min(nowMs, startMs + (plan.span ?? nowMs - startMs) - 1);
			revokedMs = from + Math.floor(random.next() * Math.max(0, to - from + 1));
			revokeReason = random.pick(REVOKE_REASONS);
		}
		return { type: stateType, startMs, plan, revokedMs, revokeReason };
	}
	throw new Error('unreachable: a revoked grant always fits');
}

/** Price of a term in minor units: the indicator's monthly price scaled by the term, ending in 99. */
function price(random: Random, monthly: number, term: Term, currency: Currency): number {
	const factor = term.preset === 'custom' ? (term.days ?? 30) / 30 : PRICE_FACTOR[term.preset];
	const discount = random.chance(0.12) ? random.pick([0.1, 0.2, 0.25]) : 0;
	const exchange = currency === 'EUR' ? 0.92 : 1;
	const units = Math.max(1, Math.round((monthly * factor * exchange * (1 - discount)) / 100));
	return units * 100 - 1;
}
