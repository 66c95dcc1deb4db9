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
 * One pass groups the events by grant as linked lists over indexes (no array per grant), each
 * timestamp is decoded once, and a grant's few events are ordered by insertion sort.
 */
export function termTable(events: readonly TermEvent[]): TermTable {
	const n = events.length;
	// Grants are found by comparing each event's grant with the previous one while the events come
	// sorted by grant (the device reads them by its `accessId` index), and by a hash table from the
	// first event out of order: at 300,000 grants the table's random memory accesses cost more than
	// everything else here.
	let grants: KeySlots | null = null;
	let lastKey = '';
	const heads: number[] = [];
	const tails: number[] = [];
	const next = new Int32Array(n).fill(-1);
	const at = new Float64Array(n);
	let sales = 0;
	for (let i = 0; i < n; i++) {
		const event = events[i] as TermEvent;
		if (event.deletedAt) continue;
		if (event.kind !== 'granted' && event.kind !== 'renewed' && event.kind !== 'revoked') continue;
		if (event.kind !== 'revoked') sales++;
		at[i] = isoMs(event.at);
		const key = event.accessId;
		let slot: number;
		if (grants === null && key >= lastKey) {
			slot = key === lastKey && heads.length > 0 ? heads.length - 1 : heads.length;
			lastKey = key;
		} else {
			if (grants === null) {
				grants = new KeySlots(n / 2);
				for (const head of heads) grants.slot((events[head] as TermEvent).accessId);
			}
			slot = grants.slot(key);
		}
		if (slot === heads.length) {
			heads.push(i);
			tails.push(i);
		} else {
			next[tails[slot] as number] = i;
			tails[slot] = i;
		}
	}
	const earlier = (a: number, b: number) =>
		(at[a] as number) < (at[b] as number) ||
		(at[a] === at[b] && (events[a] as TermEvent).id < (events[b] as TermEvent).id);

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
	const list: number[] = [];
	let k = 0;
	for (const head of heads) {
		list.length = 0;
		for (let i = head; i !== -1; i = next[i] as number) {
			let j = list.length;
			list.push(i);
			while (j > 0 && earlier(i, list[j - 1] as number)) {
				list[j] = list[j - 1] as number;
				j--;
			}
			list[j] = i;
		}
		let revokedMs = Infinity;
		for (const i of list)
			if ((events[i] as TermEvent).kind === 'revoked') {
				revokedMs = at[i] as number;
				break;
			}
		let previous = -1;
		for (const i of list) {
			const event = events[i] as TermEvent;
			if (event.kind === 'revoked') continue;
			const atMs = at[i] as number;
			const renewal = event.kind === 'renewed';
			const previousEnd = renewal && event.previousEndsAt ? isoMs(event.previousEndsAt) : -Infinity;
			const endsMs = event.newEndsAt === null ? Infinity : isoMs(event.newEndsAt);
			// The term before this one is renewed by this sale when it is a renewal in time.
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
