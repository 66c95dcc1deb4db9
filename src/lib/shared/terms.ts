import { DAY_MS } from './grants';
import { isoMs } from './iso-time';
import { KeySlots } from './key-slots';
import type { AccessEventRow } from './schemas/access-event';

// DESIGN.md §3 "Metrics": a *term* is one granted or renewed period of a grant. The one
// definition, as a table of typed arrays (`termTable`, what the analytics read for 500,000 events)
// and as objects (`termsOf`, for everything else). Re-exported by metrics.ts.

/** A renewal at most this long after a term's end still counts as renewing it. */
export const RENEWAL_GRACE_MS = 7 * DAY_MS;

export interface Term {
	accessId: string;
	clientId: string;
	indicatorId: string;
	kind: 'new' | 'renewal';
	/** When the term was sold (the granted/renewed event). */
	at: string;
	startsAt: string;
	/** null: lifetime. */
	endsAt: string | null;
	/** A renewal of the same grant happened before the end or within the grace after it. */
	renewed: boolean;
	/** The grant was revoked before this term ended. */
	revoked: boolean;
	/** `at`, `startsAt` and `endsAt` in epoch milliseconds, so reports need not parse them again. */
	atMs: number;
	startsMs: number;
	endsMs: number | null;
	/** When the grant was revoked (its first `revoked` event), whichever term this is; null: never. */
	revokedMs: number | null;
}

export type TermEvent = Pick<
	AccessEventRow,
	| 'id'
	| 'accessId'
	| 'clientId'
	| 'indicatorId'
	| 'kind'
	| 'at'
	| 'previousEndsAt'
	| 'newEndsAt'
	| 'deletedAt'
>;

/** Terms column by column; term k was sold by `events[event[k]]`. */
export interface TermTable {
	count: number;
	event: Int32Array;
	atMs: Float64Array;
	startsMs: Float64Array;
	/** Infinity: lifetime. */
	endsMs: Float64Array;
	/** Infinity: the grant was never revoked. */
	revokedMs: Float64Array;
	/** 1: a renewal, 0: a new grant. */
	renewal: Uint8Array;
	renewed: Uint8Array;
	revoked: Uint8Array;
}

/**
 * The terms of every grant, from its history: each `granted` or `renewed` event starts one. A
 * renewal's term starts at max(event time, previous end) — renewing never starts in the past.
 * A grant's events are taken in time order, ties by event id (the order the server's SQL uses);
 * terms come grouped by grant (in order of first appearance), each grant's in time order.
 *
 * No object is made per event: the events are grouped by grant into one array of indexes, each
 * timestamp is decoded once, and a grant's few events are put in time order by insertion sort.
 */
export function termTable(events: readonly TermEvent[]): TermTable {
	const { order, runs, at, sales } = groupByGrant(events);
	const table: TermTable = {
		count: sales,
		event: new Int32Array(sales),
		atMs: new Float64Array(sales),
		startsMs: new Float64Array(sales),
		endsMs: new Float64Array(sales),
		revokedMs: new Float64Array(sales),
		renewal: new Uint8Array(sales),
		renewed: new Uint8Array(sales),
		revoked: new Uint8Array(sales)
	};
	let k = 0;
	for (let r = 0; r + 1 < runs.length; r++) {
		const from = runs[r] as number;
		const to = runs[r + 1] as number;
		sortRun(events, order, at, from, to);
		let revokedMs = Infinity;
		for (let j = from; j < to; j++) {
			const i = order[j] as number;
			if ((events[i] as TermEvent).kind === 'revoked') {
				revokedMs = at[i] as number;
				break;
			}
		}
		let previous = -1;
		for (let j = from; j < to; j++) {
			const i = order[j] as number;
			const event = events[i] as TermEvent;
			if (event.kind === 'revoked') continue;
			const atMs = at[i] as number;
			const renewal = event.kind === 'renewed';
			const previousEnd = renewal && event.previousEndsAt ? isoMs(event.previousEndsAt) : -Infinity;
			const endsMs = event.newEndsAt === null ? Infinity : isoMs(event.newEndsAt);
			// The sale before this one is renewed by it when this is a renewal in time (lifetime
			// terms end never, so nothing renews them).
			if (previous !== -1 && renewal) {
				const end = table.endsMs[previous] as number;
				if (end !== Infinity && atMs <= end + RENEWAL_GRACE_MS) table.renewed[previous] = 1;
			}
			table.event[k] = i;
			table.atMs[k] = atMs;
			table.startsMs[k] = Math.max(atMs, previousEnd);
			table.endsMs[k] = endsMs;
			table.revokedMs[k] = revokedMs;
			table.renewal[k] = renewal ? 1 : 0;
			table.revoked[k] = revokedMs < endsMs ? 1 : 0;
			previous = k++;
		}
	}
	return table;
}

interface Grouped {
	/** Indexes of the events that make terms (live granted, renewed, revoked), grouped by grant. */
	order: Int32Array;
	/** Grant g's events are order[runs[g]] … order[runs[g + 1] − 1]. */
	runs: Int32Array;
	/** Each such event's time in ms, by event index. */
	at: Float64Array;
	/** How many of them are sales (granted or renewed). */
	sales: number;
}

/**
 * The events of each grant together, grants in order of first appearance, each grant's events in
 * input order. While the events come sorted by grant (the device reads them by its `accessId`
 * index) a grant's events are consecutive, found by comparing each event's grant with the
 * previous one; from the first event out of order, a hash table numbers the grants and a counting
 * sort groups them — at 300,000 grants its random memory accesses cost more than the rest.
 */
function groupByGrant(events: readonly TermEvent[]): Grouped {
	const n = events.length;
	const order = new Int32Array(n);
	const grantOf = new Int32Array(n);
	const at = new Float64Array(n);
	let grants: KeySlots | null = null;
	let count = 0;
	let lastKey = '';
	let sales = 0;
	let kept = 0;
	for (let i = 0; i < n; i++) {
		const event = events[i] as TermEvent;
		if (event.deletedAt) continue;
		const kind = event.kind;
		if (kind !== 'granted' && kind !== 'renewed' && kind !== 'revoked') continue;
		if (kind !== 'revoked') sales++;
		at[i] = isoMs(event.at);
		const key = event.accessId;
		let slot: number;
		if (grants !== null) slot = grants.slot(key);
		else if (key === lastKey && count > 0) slot = count - 1;
		else if (key > lastKey || count === 0) {
			slot = count++;
			lastKey = key;
		} else {
			grants = new KeySlots(n / 2);
			for (let j = 0; j < kept; j++) {
				const first = order[j] as number;
				if (j === 0 || grantOf[j] !== grantOf[j - 1])
					grants.slot((events[first] as TermEvent).accessId);
			}
			slot = grants.slot(key);
		}
		order[kept] = i;
		grantOf[kept++] = slot;
	}
	if (grants !== null) count = grants.size;
	// runs[g] = where grant g starts in `order`: counts per grant, then running sums.
	const runs = new Int32Array(count + 1);
	for (let j = 0; j < kept; j++) {
		const g = (grantOf[j] as number) + 1;
		runs[g] = (runs[g] as number) + 1;
	}
	for (let g = 0; g < count; g++) runs[g + 1] = (runs[g + 1] as number) + (runs[g] as number);
	if (grants === null) return { order: order.subarray(0, kept), runs, at, sales };
	const grouped = new Int32Array(kept);
	const fill = runs.slice(0, count);
	for (let j = 0; j < kept; j++) {
		const g = grantOf[j] as number;
		grouped[fill[g] as number] = order[j] as number;
		fill[g] = (fill[g] as number) + 1;
	}
	return { order: grouped, runs, at, sales };
}

/** Puts order[from … to) in time order, ties by event id (a grant has a few events). */
function sortRun(
	events: readonly TermEvent[],
	order: Int32Array,
	at: Float64Array,
	from: number,
	to: number
): void {
	for (let j = from + 1; j < to; j++) {
		const i = order[j] as number;
		const atI = at[i] as number;
		let h = j;
		for (; h > from; h--) {
			const before = order[h - 1] as number;
			const atBefore = at[before] as number;
			if (!(
				atI < atBefore ||
				(atI === atBefore && (events[i] as TermEvent).id < (events[before] as TermEvent).id)
			))
				break;
			order[h] = before;
		}
		order[h] = i;
	}
}

/** The terms as objects (see `termTable`). */
export function termsOf(events: readonly TermEvent[]): Term[] {
	const table = termTable(events);
	const terms: Term[] = [];
	for (let k = 0; k < table.count; k++) {
		const event = events[table.event[k] as number] as TermEvent;
		const atMs = table.atMs[k] as number;
		const startsMs = table.startsMs[k] as number;
		const endsMs = table.endsMs[k] as number;
		const revokedMs = table.revokedMs[k] as number;
		terms.push({
			accessId: event.accessId,
			clientId: event.clientId,
			indicatorId: event.indicatorId,
			kind: table.renewal[k] === 1 ? 'renewal' : 'new',
			at: event.at,
			startsAt: startsMs === atMs ? event.at : (event.previousEndsAt as string),
			endsAt: event.newEndsAt,
			renewed: table.renewed[k] === 1,
			revoked: table.revoked[k] === 1,
			atMs,
			startsMs,
			endsMs: endsMs === Infinity ? null : endsMs,
			revokedMs: revokedMs === Infinity ? null : revokedMs
		});
	}
	return terms;
}
