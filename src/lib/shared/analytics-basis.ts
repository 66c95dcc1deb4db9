import { isoMs } from './iso-time';
import { KeySlots } from './key-slots';
import { termTable, type TermEvent, type TermTable } from './terms';
import type { AnalyticsRows } from './analytics';

// The part of the analytics (analytics.ts) that depends on the rows only — not on the range, nor
// on the time: timestamps decoded, terms derived, ids turned into dense numbers, the terms joined
// to the clients. It is kept per rows array (a WeakMap keyed by the array itself): a change of
// range or the minute tick reads no row, only typed arrays, and a sync that changed one table
// redoes that table's part only. This relies on the arrays not being changed in place, which
// holds on the page: Dexie and the client store hand out a new array whenever the data changes.
//
// Typed arrays are kept few and small on purpose: the rows are 1.5 million live objects, and
// allocating much more than ~60 MB of array buffers makes V8 collect the whole heap (~150 ms).

type Clients = AnalyticsRows['clients'];
type Accesses = AnalyticsRows['accesses'];
type Events = AnalyticsRows['events'];

export interface ClientBasis {
	/** Registration times of the clients not deleted (an unreadable one: −∞, before any period). */
	registered: Float64Array;
	/** Dense numbers for the ids of the clients not deleted whose status is active. */
	active: KeySlots;
}

export interface EventBasis {
	terms: TermTable;
	/** Each term's indicator, as an index into `indicatorIds`. */
	indicator: Int32Array;
	indicatorIds: string[];
}

export interface AccessBasis {
	/** Each grant's end (∞: lifetime); NaN for deleted and revoked grants, which never count. */
	endsMs: Float64Array;
	/** Each grant's indicator, as an index into `indicatorIds`. */
	indicator: Int32Array;
	indicatorIds: string[];
}

/**
 * When active clients held an open grant: per client, the union of its terms' [start, min(end,
 * revoke time)) as disjoint spans [starts[i], ends[i]). A client is then active at t when one of
 * its spans holds t, and each span holding t is a different client.
 */
export interface OpenSpans {
	starts: Float64Array;
	ends: Float64Array;
}

function cached<K extends object, V>(cache: WeakMap<K, V>, key: K, make: (key: K) => V): V {
	let value = cache.get(key);
	if (value === undefined) {
		value = make(key);
		cache.set(key, value);
	}
	return value;
}

const clientCache = new WeakMap<Clients, ClientBasis>();
const eventCache = new WeakMap<Events, EventBasis>();
const accessCache = new WeakMap<Accesses, AccessBasis>();
const spanCache = new WeakMap<Events, WeakMap<Clients, OpenSpans>>();

export const clientBasis = (clients: Clients) => cached(clientCache, clients, makeClientBasis);
export const eventBasis = (events: Events) => cached(eventCache, events, makeEventBasis);
export const accessBasis = (accesses: Accesses) => cached(accessCache, accesses, makeAccessBasis);

export function openSpans(events: Events, clients: Clients): OpenSpans {
	const byClients = cached(spanCache, events, () => new WeakMap<Clients, OpenSpans>());
	return cached(byClients, clients, () => makeOpenSpans(events, clients));
}

function makeClientBasis(clients: Clients): ClientBasis {
	const registered = new Float64Array(clients.length);
	const active = new KeySlots(clients.length);
	let count = 0;
	for (const client of clients) {
		if (client.deletedAt) continue;
		const ms = isoMs(client.registeredAt);
		registered[count++] = Number.isNaN(ms) ? -Infinity : ms;
		if (client.status === 'active') active.slot(client.id);
	}
	return { registered: registered.subarray(0, count), active };
}

function makeEventBasis(events: Events): EventBasis {
	const terms = termTable(events);
	const indicator = new Int32Array(terms.count);
	const indicators = new KeySlots();
	// A grant's terms are consecutive and share its indicator: compare with the previous term's
	// id before hashing.
	let lastId: string | null = null;
	let last = -1;
	for (let k = 0; k < terms.count; k++) {
		const id = (events[terms.event[k] as number] as TermEvent).indicatorId;
		if (id !== lastId) {
			lastId = id;
			last = indicators.slot(id);
		}
		indicator[k] = last;
	}
	return { terms, indicator, indicatorIds: indicators.keys };
}

function makeAccessBasis(accesses: Accesses): AccessBasis {
	const endsMs = new Float64Array(accesses.length);
	const indicator = new Int32Array(accesses.length);
	const indicators = new KeySlots();
	for (let i = 0; i < accesses.length; i++) {
		const access = accesses[i] as Accesses[number];
		indicator[i] = indicators.slot(access.indicatorId);
		if (access.deletedAt || access.revokedAt) endsMs[i] = NaN;
		else if (access.endsAt === null) endsMs[i] = Infinity;
		else {
			// An unreadable end has always counted as open and expiring never, as a lifetime grant.
			const ms = isoMs(access.endsAt);
			endsMs[i] = Number.isNaN(ms) ? Infinity : ms;
		}
	}
	return { endsMs, indicator, indicatorIds: indicators.keys };
}

/**
 * Each term's client, as its number in `clientBasis(clients).active` (-1: not an active client).
 * The join of ~460,000 terms to 100,000 client ids is the costliest step after the terms (each
 * lookup a few cache misses), so it is made once per grant: a grant's terms are consecutive and
 * name the same client.
 */
function termClients(terms: TermTable, events: Events, active: KeySlots): Int32Array {
	const client = new Int32Array(terms.count);
	let lastId: string | null = null;
	let last = -1;
	for (let k = 0; k < terms.count; k++) {
		const id = (events[terms.event[k] as number] as TermEvent).clientId;
		if (id !== lastId) {
			lastId = id;
			last = active.find(id);
		}
		client[k] = last;
	}
	return client;
}

// A term is open over [start, min(end, revoke time)); an unreadable start counts as open from
// always, an unreadable end as never open (as the comparisons with NaN always did).
const openFrom = (terms: TermTable, k: number) => {
	const start = terms.startsMs[k] as number;
	return start === start ? start : -Infinity;
};
const openUntil = (terms: TermTable, k: number) =>
	Math.min(terms.endsMs[k] as number, terms.revokedMs[k] as number);

function makeOpenSpans(events: Events, clients: Clients): OpenSpans {
	const { terms } = eventBasis(events);
	const { active } = clientBasis(clients);
	const client = termClients(terms, events, active);
	// The terms of each client together: a counting sort by client.
	const first = new Int32Array(active.size + 1);
	for (let k = 0; k < terms.count; k++) {
		const c = client[k] as number;
		if (c !== -1 && openFrom(terms, k) < openUntil(terms, k))
			first[c + 1] = (first[c + 1] as number) + 1;
	}
	for (let c = 0; c < active.size; c++)
		first[c + 1] = (first[c + 1] as number) + (first[c] as number);
	const byClient = new Int32Array(first[active.size] as number);
	const fill = first.slice(0, -1);
	for (let k = 0; k < terms.count; k++) {
		const c = client[k] as number;
		if (c !== -1 && openFrom(terms, k) < openUntil(terms, k)) {
			byClient[fill[c] as number] = k;
			fill[c] = (fill[c] as number) + 1;
		}
	}
	// Per client: its terms by start, overlapping or touching ones merged.
	const starts = new Float64Array(byClient.length);
	const ends = new Float64Array(byClient.length);
	let spans = 0;
	for (let c = 0; c < active.size; c++) {
		const from = first[c] as number;
		const to = first[c + 1] as number;
		if (from === to) continue;
		sortByStart(terms, byClient, from, to);
		let s = openFrom(terms, byClient[from] as number);
		let e = openUntil(terms, byClient[from] as number);
		for (let j = from + 1; j < to; j++) {
			const k = byClient[j] as number;
			if (openFrom(terms, k) <= e) e = Math.max(e, openUntil(terms, k));
			else {
				starts[spans] = s;
				ends[spans++] = e;
				s = openFrom(terms, k);
				e = openUntil(terms, k);
			}
		}
		starts[spans] = s;
		ends[spans++] = e;
	}
	return { starts: starts.subarray(0, spans), ends: ends.subarray(0, spans) };
}

/** Orders list[from … to) by open start: insertion sort for a client's few terms, else a sort. */
function sortByStart(terms: TermTable, list: Int32Array, from: number, to: number): void {
	if (to - from > 32) {
		list.subarray(from, to).sort((a, b) => openFrom(terms, a) - openFrom(terms, b) || 0);
		return;
	}
	for (let j = from + 1; j < to; j++) {
		const k = list[j] as number;
		const s = openFrom(terms, k);
		let h = j;
		for (; h > from && openFrom(terms, list[h - 1] as number) > s; h--)
			list[h] = list[h - 1] as number;
		list[h] = k;
	}
}
