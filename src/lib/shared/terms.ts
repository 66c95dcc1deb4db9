import { DAY_MS } from './grants';
import { readEvents, RENEWED, REVOKED, type EventColumns } from './terms-read';
import { f64, i32, u8, type Arena } from './terms-memory';
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
 * No object is made per event: the events are read once into typed arrays (terms-read.ts), and a
 * grant's few events are put in time order by insertion sort.
 */
export function termTable(events: readonly TermEvent[]): TermTable {
	return termsOfColumns(events, readEvents(events));
}

/**
 * The terms from the events' columns (`events` is read again only to break ties of time), in new
 * arrays or the arena's (terms-memory.ts).
 */
export function termsOfColumns(
	events: readonly TermEvent[],
	{ kind, at, start, end, order, runs, sales }: EventColumns,
	arena: Arena | null = null
): TermTable {
	const table: TermTable = {
		count: sales,
		event: i32(arena, sales),
		atMs: f64(arena, sales),
		startsMs: f64(arena, sales),
		endsMs: f64(arena, sales),
		revokedMs: f64(arena, sales),
		renewal: u8(arena, sales),
		renewed: u8(arena, sales).fill(0),
		revoked: u8(arena, sales)
	};
	let k = 0;
	for (let r = 0; r + 1 < runs.length; r++) {
		const from = runs[r] as number;
		const to = runs[r + 1] as number;
		sortRun(events, order, at, from, to);
		let revokedMs = Infinity;
		for (let j = from; j < to; j++) {
			const i = order[j] as number;
			if (kind[i] === REVOKED) {
				revokedMs = at[i] as number;
				break;
			}
		}
		let previous = -1;
		for (let j = from; j < to; j++) {
			const i = order[j] as number;
			const code = kind[i] as number;
			if (code === REVOKED) continue;
			const atMs = at[i] as number;
			const endsMs = end[i] as number;
			// The sale before this one is renewed by it when this is a renewal in time (lifetime
			// terms end never, so nothing renews them).
			if (previous !== -1 && code === RENEWED) {
				const previousEnd = table.endsMs[previous] as number;
				if (previousEnd !== Infinity && atMs <= previousEnd + RENEWAL_GRACE_MS)
					table.renewed[previous] = 1;
			}
			table.event[k] = i;
			table.atMs[k] = atMs;
			table.startsMs[k] = start[i] as number;
			table.endsMs[k] = endsMs;
			table.revokedMs[k] = revokedMs;
			table.renewal[k] = code === RENEWED ? 1 : 0;
			table.revoked[k] = revokedMs < endsMs ? 1 : 0;
			previous = k++;
		}
	}
	return table;
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
