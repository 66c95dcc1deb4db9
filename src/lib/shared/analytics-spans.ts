import { findIds, type IdTable } from './analytics-join';
import { f64, scratchF64, scratchI32, type Arena } from './terms-memory';
import type { TermEvent, TermTable } from './terms';

// The open spans of the active clients (`OpenSpans` in analytics-basis.ts): the terms joined to
// the clients through their client ids, grouped by client, and each client's merged.

/**
 * When active clients held an open grant: per client, the union of its terms' [start, min(end,
 * revoke time)) as disjoint spans [starts[i], ends[i]). A client is then active at t when one of
 * its spans holds t, and each span holding t is a different client.
 */
export interface OpenSpans {
	starts: Float64Array;
	ends: Float64Array;
}

/** The terms (and each term's client id: see `EventParties`) and the active clients. */
export interface SpanInput {
	terms: TermTable;
	client: Int32Array;
	clientEvent: Int32Array;
	clientHashes: Int32Array;
	events: readonly TermEvent[];
	active: IdTable;
}

// A term is open over [start, min(end, revoke time)); an unreadable start counts as open from
// always, an unreadable end as never open (as the comparisons with NaN always did).
const openFrom = (terms: TermTable, k: number) => {
	const start = terms.startsMs[k] as number;
	return start === start ? start : -Infinity;
};
const openUntil = (terms: TermTable, k: number) =>
	Math.min(terms.endsMs[k] as number, terms.revokedMs[k] as number);

export function openSpansOf(
	{ terms, client, clientEvent, clientHashes, events, active }: SpanInput,
	arena: Arena
): OpenSpans {
	// Per term, through its client id, its client's row when an active one (−1: none).
	const slotOf = scratchI32('slotOf', clientHashes.length);
	const idOf = (c: number) => (events[clientEvent[c] as number] as TermEvent).clientId;
	findIds(active, clientHashes, idOf, slotOf);
	const first = countPerClient(terms, client, slotOf, active.ids.length);
	const { starts, ends } = spansByClient(terms, client, slotOf, first);
	const count = mergePerClient(starts, ends, first);
	const spans = { starts: f64(arena, count), ends: f64(arena, count) };
	spans.starts.set(starts.subarray(0, count));
	spans.ends.set(ends.subarray(0, count));
	return spans;
}

/** The terms of each client together, a counting sort: first[c] = where client c's terms start. */
function countPerClient(terms: TermTable, client: Int32Array, slotOf: Int32Array, size: number) {
	const first = scratchI32('first', size + 1).fill(0);
	for (let k = 0; k < terms.count; k++) {
		const c = slotOf[client[k] as number] as number;
		if (c !== -1 && openFrom(terms, k) < openUntil(terms, k))
			first[c + 1] = (first[c + 1] as number) + 1;
	}
	for (let c = 0; c < size; c++) first[c + 1] = (first[c + 1] as number) + (first[c] as number);
	return first;
}

/**
 * Each open term's [from, until) copied to its client's place: the merge then reads the arrays in
 * order, where reading the terms through a list of their numbers missed the cache at every term.
 */
function spansByClient(
	terms: TermTable,
	client: Int32Array,
	slotOf: Int32Array,
	first: Int32Array
): OpenSpans {
	const fill = scratchI32('clientFill', first.length - 1);
	fill.set(first.subarray(0, -1));
	const starts = scratchF64('starts', first[first.length - 1] as number);
	const ends = scratchF64('ends', starts.length);
	for (let k = 0; k < terms.count; k++) {
		const c = slotOf[client[k] as number] as number;
		const from = openFrom(terms, k);
		const until = openUntil(terms, k);
		if (c !== -1 && from < until) {
			const j = fill[c] as number;
			starts[j] = from;
			ends[j] = until;
			fill[c] = j + 1;
		}
	}
	return { starts, ends };
}

/**
 * Per client: its spans by start, overlapping or touching ones merged — in place (a client's
 * merged spans are never more than its terms); the count of spans.
 */
function mergePerClient(starts: Float64Array, ends: Float64Array, first: Int32Array): number {
	let spans = 0;
	for (let c = 0; c + 1 < first.length; c++) {
		const from = first[c] as number;
		const to = first[c + 1] as number;
		if (from === to) continue;
		sortByStart(starts, ends, from, to);
		let s = starts[from] as number;
		let e = ends[from] as number;
		for (let j = from + 1; j < to; j++) {
			const start = starts[j] as number;
			if (start <= e) e = Math.max(e, ends[j] as number);
			else {
				starts[spans] = s;
				ends[spans++] = e;
				s = start;
				e = ends[j] as number;
			}
		}
		starts[spans] = s;
		ends[spans++] = e;
	}
	return spans;
}

/**
 * Orders the spans [from … to) by start: insertion sort for a client's few terms, else a sort.
 * Spans with equal starts may come in any order: their union is the same.
 */
function sortByStart(starts: Float64Array, ends: Float64Array, from: number, to: number): void {
	if (to - from > 32) {
		const order = Array.from({ length: to - from }, (_, j) => from + j).sort(
			(a, b) => (starts[a] as number) - (starts[b] as number) || 0
		);
		const sortedStarts = order.map((j) => starts[j] as number);
		const sortedEnds = order.map((j) => ends[j] as number);
		starts.set(sortedStarts, from);
		ends.set(sortedEnds, from);
		return;
	}
	for (let j = from + 1; j < to; j++) {
		const s = starts[j] as number;
		const e = ends[j] as number;
		let h = j;
		for (; h > from && (starts[h - 1] as number) > s; h--) {
			starts[h] = starts[h - 1] as number;
			ends[h] = ends[h - 1] as number;
		}
		starts[h] = s;
		ends[h] = e;
	}
}
