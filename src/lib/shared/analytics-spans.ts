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
 * Per client, the union of its spans as disjoint spans, in place (a client's merged spans are
 * never more than its terms); the count of spans. The union does not depend on which start went
 * with which end, so starts and ends are sorted each on their own (no pairs to move, and the
 * typed arrays' own sort for a long list) and swept together.
 */
function mergePerClient(starts: Float64Array, ends: Float64Array, first: Int32Array): number {
	let spans = 0;
	for (let c = 0; c + 1 < first.length; c++) {
		const from = first[c] as number;
		const to = first[c + 1] as number;
		if (from === to) continue;
		sortPart(starts, from, to);
		sortPart(ends, from, to);
		spans = sweep(starts, ends, from, to, spans);
	}
	return spans;
}

/** Sorts list[from … to): insertion sort for a client's few terms, else the typed array's own. */
function sortPart(list: Float64Array, from: number, to: number): void {
	if (to - from > 32) {
		list.subarray(from, to).sort();
		return;
	}
	for (let j = from + 1; j < to; j++) {
		const value = list[j] as number;
		let h = j;
		for (; h > from && (list[h - 1] as number) > value; h--) list[h] = list[h - 1] as number;
		list[h] = value;
	}
}

/**
 * The spans [from … to) (starts and ends each sorted) as disjoint spans from position `out` on: a
 * span opens at a start when none is open and closes at the end that leaves none open; a start
 * at an end continues the span (touching spans merge). Writes never pass what was read. The next
 * free position.
 */
function sweep(
	starts: Float64Array,
	ends: Float64Array,
	from: number,
	to: number,
	out: number
): number {
	let i = from;
	let j = from;
	while (i < to) {
		const start = starts[i++] as number;
		let open = 1;
		let end = start;
		while (open > 0) {
			if (i < to && (starts[i] as number) <= (ends[j] as number)) {
				i++;
				open++;
			} else {
				end = ends[j++] as number;
				open--;
			}
		}
		starts[out] = start;
		ends[out++] = end;
	}
	return out;
}
