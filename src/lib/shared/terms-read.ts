import { fewKeys, idHash, slotOf } from './analytics-join';
import { KeySlots } from './key-slots';
import { i32, scratchF64, scratchI32, scratchU8, type Arena } from './terms-memory';
import { isoMsInto } from './terms-time';
import type { TermEvent } from './terms';

// The one pass over the event rows that the terms (terms.ts) and the analytics (analytics-basis.ts)
// need. At 500,000 events the rows are ~250 MB of objects and strings, and a pass over them costs
// about what streaming that memory costs, whatever little it reads; so each event is read once,
// here, into typed arrays, and what comes after reads only those.
//
// Plain functions and local variables on purpose: V8 keeps the maps (hidden classes) of class
// instances only while one lives, and code compiled against them is thrown away at the next full
// collection — with `KeySlots` for the indicators here, this pass ran unoptimised for part of
// every cold report. (`KeySlots` remains for grants out of order, a path the device never takes.)

export const GRANTED = 1;
export const RENEWED = 2;
export const REVOKED = 3;

/**
 * Each event's kind code (0: left out — deleted, or a kind that makes no term) and times. Scratch
 * arrays (terms-memory.ts): valid until the next `readEvents`.
 */
export interface EventColumns {
	kind: Uint8Array;
	at: Float64Array;
	/** A sale's start: its time, or for a renewal its previous end when later. */
	start: Float64Array;
	/** A sale's end (Infinity: lifetime). */
	end: Float64Array;
	/** Indexes of the events with a kind, grouped by grant. */
	order: Int32Array;
	/** Grant g's events are order[runs[g]] … order[runs[g + 1] − 1]. */
	runs: Int32Array;
	/** How many of them are sales (granted or renewed). */
	sales: number;
}

/** A sale's indicator and client, read in the same pass when the analytics need them. */
export interface EventParties {
	/** Per event, its indicator as an index into `indicatorIds`. */
	indicator: Int32Array;
	indicatorIds: string[];
	/**
	 * Per event, its client id as a number c: the id of `events[clientEvent[c]]`, of hash
	 * `clientHashes[c]` (taken while the string was in cache, for analytics-join.ts). Neighbours
	 * naming the same id share a number; events far apart may name it under two.
	 */
	client: Int32Array;
	clientEvent: Int32Array;
	clientHashes: Int32Array;
}

/**
 * Reads every event once. The events of each grant are grouped, grants in order of first
 * appearance, each grant's events in input order. While the events come sorted by grant (the
 * device reads them by its `accessId` index) a grant's events are consecutive, found by comparing
 * each event's grant with the previous one; from the first event out of order, a hash table
 * numbers the grants and a counting sort groups them — at 300,000 grants its random memory
 * accesses cost more than the rest.
 *
 * With `parties`, each sale's indicator and client too (the arrays to keep, in that arena).
 * Neighbouring events mostly belong to one grant, so each id is first compared with the previous
 * event's (strings still in cache) and only looked up when it differs.
 */
export function readEvents(events: readonly TermEvent[]): EventColumns;
export function readEvents(
	events: readonly TermEvent[],
	parties: Arena
): EventColumns & EventParties;
export function readEvents(
	events: readonly TermEvent[],
	parties?: Arena
): EventColumns & Partial<EventParties> {
	const withParties = parties !== undefined;
	const n = events.length;
	const kind = scratchU8('kind', n);
	const at = scratchF64('at', n);
	const start = scratchF64('start', n);
	const end = scratchF64('end', n);
	const order = scratchI32('order', n);
	const grantOf = scratchI32('grantOf', n);
	const partyCount = withParties ? n : 0;
	const indicator = scratchI32('indicator', partyCount);
	const client = scratchI32('client', partyCount);
	const indicators = fewKeys();
	const clientEvent = scratchI32('clientEvent', partyCount);
	const clientHashes = scratchI32('clientHashes', partyCount);
	let clients = 0;
	let grants: KeySlots | null = null;
	let count = 0;
	let lastKey = '';
	let lastIndicator: string | null = null;
	let lastIndicatorSlot = -1;
	let lastClient: string | null = null;
	let lastEndsAt: string | null = null;
	let lastEndsMs = 0;
	let sales = 0;
	let kept = 0;
	for (let i = 0; i < n; i++) {
		const event = events[i] as TermEvent;
		if (event.deletedAt) continue;
		const type = event.kind;
		const code =
			type === 'granted'
				? GRANTED
				: type === 'renewed'
					? RENEWED
					: type === 'revoked'
						? REVOKED
						: 0;
		if (code === 0) continue;
		kind[i] = code;
		isoMsInto(event.at, at, i);
		const atMs = at[i] as number;
		const key = event.accessId;
		let slot: number;
		if (grants !== null) slot = grants.slot(key);
		else if (key === lastKey && count > 0) slot = count - 1;
		else if (key > lastKey || count === 0) {
			slot = count++;
			lastKey = key;
		} else {
			grants = numberGrants(events, order, grantOf, kept);
			slot = grants.slot(key);
		}
		order[kept] = i;
		grantOf[kept++] = slot;
		if (code === REVOKED) continue;
		sales++;
		const previousEndsAt = code === RENEWED ? event.previousEndsAt : null;
		if (!previousEndsAt) start[i] = atMs;
		else {
			// A renewal's previous end is mostly the end the event before it set: decoded already.
			if (previousEndsAt === lastEndsAt) start[i] = lastEndsMs;
			else isoMsInto(previousEndsAt, start, i);
			start[i] = Math.max(atMs, start[i] as number);
		}
		const newEndsAt = event.newEndsAt;
		if (newEndsAt === null) end[i] = Infinity;
		else isoMsInto(newEndsAt, end, i);
		lastEndsAt = newEndsAt;
		lastEndsMs = end[i] as number;
		if (!withParties) continue;
		const indicatorId = event.indicatorId;
		if (indicatorId !== lastIndicator) {
			lastIndicator = indicatorId;
			lastIndicatorSlot = slotOf(indicators, indicatorId);
		}
		indicator[i] = lastIndicatorSlot;
		const clientId = event.clientId;
		if (clientId !== lastClient) {
			lastClient = clientId;
			clientEvent[clients] = i;
			clientHashes[clients++] = idHash(clientId);
		}
		client[i] = clients - 1;
	}
	const grouped =
		grants === null
			? { order: order.subarray(0, kept), runs: runsOf(grantOf, kept, count) }
			: groupByGrant(order, grantOf, kept, grants.size);
	return {
		kind,
		at,
		start,
		end,
		order: grouped.order,
		runs: grouped.runs,
		sales,
		indicator,
		indicatorIds: indicators.keys,
		client,
		clientEvent: copy(clientEvent, clients, parties ?? null),
		clientHashes: copy(clientHashes, clients, parties ?? null)
	};
}

function copy(scratch: Int32Array, length: number, arena: Arena | null): Int32Array {
	const kept = i32(arena, length);
	kept.set(scratch.subarray(0, length));
	return kept;
}

/** A hash table of the grants read so far, numbered as they were (in order of appearance). */
function numberGrants(
	events: readonly TermEvent[],
	order: Int32Array,
	grantOf: Int32Array,
	kept: number
): KeySlots {
	const grants = new KeySlots(order.length / 2);
	for (let j = 0; j < kept; j++)
		if (j === 0 || grantOf[j] !== grantOf[j - 1])
			grants.slot((events[order[j] as number] as TermEvent).accessId);
	return grants;
}

/** runs[g] = where grant g starts in the grouped order: counts per grant, then running sums. */
function runsOf(grantOf: Int32Array, kept: number, count: number): Int32Array {
	const runs = scratchI32('runs', count + 1).fill(0);
	for (let j = 0; j < kept; j++) {
		const g = (grantOf[j] as number) + 1;
		runs[g] = (runs[g] as number) + 1;
	}
	for (let g = 0; g < count; g++) runs[g + 1] = (runs[g + 1] as number) + (runs[g] as number);
	return runs;
}

/** The events grouped by grant, by a counting sort, when they did not come so. */
function groupByGrant(order: Int32Array, grantOf: Int32Array, kept: number, count: number) {
	const runs = runsOf(grantOf, kept, count);
	const grouped = scratchI32('grouped', kept);
	const fill = scratchI32('grantFill', count);
	fill.set(runs.subarray(0, count));
	for (let j = 0; j < kept; j++) {
		const g = grantOf[j] as number;
		grouped[fill[g] as number] = order[j] as number;
		fill[g] = (fill[g] as number) + 1;
	}
	return { order: grouped, runs };
}
