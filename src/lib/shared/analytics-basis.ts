import { isoMs } from './iso-time';
import { KeySlots } from './key-slots';
import { termTable, type TermEvent, type TermTable } from './terms';
import { TimeIndex, timeIndex } from './time-index';
import type { AnalyticsRows } from './analytics';

// The part of the analytics (analytics.ts) that depends on the rows only — not on the range, nor
// on the time: timestamps decoded, terms derived, ids turned into dense numbers, and every time a
// figure counts put into a TimeIndex, so that a report is a few dozen counts. It is kept per rows
// array (a WeakMap keyed by the array itself): a change of range or the minute tick reads no row
// at all, and a sync that changed one table redoes that table's part only. This relies on the
// arrays not being changed in place, which holds on the page: Dexie and the client store hand out
// a new array whenever the data changes.

type Clients = AnalyticsRows['clients'];
type Accesses = AnalyticsRows['accesses'];
type Events = AnalyticsRows['events'];

export interface ClientBasis {
	/** Registration times of the clients not deleted (an unreadable one: −∞, before any period). */
	registered: TimeIndex;
	/** Dense numbers for the ids of the clients not deleted whose status is active. */
	active: KeySlots;
}

export interface EventBasis {
	terms: TermTable;
	/** Sale times of the terms: new grants, renewals. Items are term numbers. */
	soldNew: TimeIndex;
	soldRenewal: TimeIndex;
	/** Ends of the terms the renewal rate looks at (not revoked): renewed ones, the others. */
	renewedEnds: TimeIndex;
	unrenewedEnds: TimeIndex;
	/** Each term's indicator, as an index into `indicatorIds`. */
	indicator: Int32Array;
	indicatorIds: string[];
}

export interface AccessBasis {
	/** Ends of the grants neither deleted nor revoked (∞: lifetime). Items are grant numbers. */
	ends: TimeIndex;
	/** Each grant's indicator, as an index into `indicatorIds`. */
	indicator: Int32Array;
	indicatorIds: string[];
}

/**
 * When active clients held an open grant: per client, the union of its terms' [start, min(end,
 * revoke time)) as disjoint spans. A client is then active at t when one of its spans holds t,
 * and the active clients at t number #(span starts ≤ t) − #(span ends ≤ t).
 */
export interface OpenSpans {
	starts: TimeIndex;
	ends: TimeIndex;
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
	for (let i = 0; i < clients.length; i++) {
		const client = clients[i] as Clients[number];
		if (client.deletedAt) {
			registered[i] = NaN; // left out
			continue;
		}
		const ms = isoMs(client.registeredAt);
		registered[i] = Number.isNaN(ms) ? -Infinity : ms;
		if (client.status === 'active') active.slot(client.id);
	}
	return { registered: timeIndex(registered, clients.length, () => true), active };
}

function makeEventBasis(events: Events): EventBasis {
	const terms = termTable(events);
	const n = terms.count;
	const indicator = new Int32Array(n);
	const indicators = new KeySlots();
	// A grant's terms are consecutive and share its indicator: compare with the previous term's
	// id before hashing.
	let lastId: string | null = null;
	let last = -1;
	for (let k = 0; k < n; k++) {
		const id = (events[terms.event[k] as number] as TermEvent).indicatorId;
		if (id !== lastId) {
			lastId = id;
			last = indicators.slot(id);
		}
		indicator[k] = last;
	}
	const { atMs, endsMs, renewal, renewed, revoked } = terms;
	return {
		terms,
		soldNew: timeIndex(atMs, n, (k) => renewal[k] === 0),
		soldRenewal: timeIndex(atMs, n, (k) => renewal[k] === 1),
		renewedEnds: timeIndex(endsMs, n, (k) => revoked[k] === 0 && renewed[k] === 1),
		unrenewedEnds: timeIndex(endsMs, n, (k) => revoked[k] === 0 && renewed[k] === 0),
		indicator,
		indicatorIds: indicators.keys
	};
}

function makeAccessBasis(accesses: Accesses): AccessBasis {
	const endsMs = new Float64Array(accesses.length);
	const indicator = new Int32Array(accesses.length);
	const indicators = new KeySlots();
	for (let i = 0; i < accesses.length; i++) {
		const access = accesses[i] as Accesses[number];
		indicator[i] = indicators.slot(access.indicatorId);
		if (access.deletedAt || access.revokedAt)
			endsMs[i] = NaN; // left out
		else if (access.endsAt === null) endsMs[i] = Infinity;
		else {
			// An unreadable end has always counted as open and expiring never, as a lifetime grant.
			const ms = isoMs(access.endsAt);
			endsMs[i] = Number.isNaN(ms) ? Infinity : ms;
		}
	}
	return {
		ends: timeIndex(endsMs, accesses.length, () => true),
		indicator,
		indicatorIds: indicators.keys
	};
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

function makeOpenSpans(events: Events, clients: Clients): OpenSpans {
	const { terms } = eventBasis(events);
	const { active } = clientBasis(clients);
	const client = termClients(terms, events, active);
	// A term is open over [start, min(end, revoke time)); an unreadable start counts as open from
	// always, an unreadable end as never open (as the comparisons with NaN always did).
	const start = new Float64Array(terms.count);
	const end = new Float64Array(terms.count);
	// The terms of each client together: a counting sort by client.
	const first = new Int32Array(active.size + 1);
	for (let k = 0; k < terms.count; k++) {
		const s = terms.startsMs[k] as number;
		start[k] = s === s ? s : -Infinity;
		end[k] = Math.min(terms.endsMs[k] as number, terms.revokedMs[k] as number);
		const c = client[k] as number;
		if (c !== -1 && (start[k] as number) < (end[k] as number))
			first[c + 1] = (first[c + 1] as number) + 1;
	}
	for (let c = 0; c < active.size; c++)
		first[c + 1] = (first[c + 1] as number) + (first[c] as number);
	const byClient = new Int32Array(first[active.size] as number);
	const fill = first.slice(0, -1);
	for (let k = 0; k < terms.count; k++) {
		const c = client[k] as number;
		if (c !== -1 && (start[k] as number) < (end[k] as number)) {
			byClient[fill[c] as number] = k;
			fill[c] = (fill[c] as number) + 1;
		}
	}
	// Per client: its terms by start, overlapping or touching ones merged.
	const spanStart = new Float64Array(byClient.length);
	const spanEnd = new Float64Array(byClient.length);
	let spans = 0;
	for (let c = 0; c < active.size; c++) {
		const from = first[c] as number;
		const to = first[c + 1] as number;
		if (from === to) continue;
		sortByStart(byClient, from, to, start);
		let s = start[byClient[from] as number] as number;
		let e = end[byClient[from] as number] as number;
		for (let j = from + 1; j < to; j++) {
			const k = byClient[j] as number;
			if ((start[k] as number) <= e) e = Math.max(e, end[k] as number);
			else {
				spanStart[spans] = s;
				spanEnd[spans++] = e;
				s = start[k] as number;
				e = end[k] as number;
			}
		}
		spanStart[spans] = s;
		spanEnd[spans++] = e;
	}
	return {
		starts: timeIndex(spanStart, spans, () => true),
		ends: timeIndex(spanEnd, spans, () => true)
	};
}

/** Orders terms[from … to) by start: insertion sort for a client's few terms, else a sort. */
function sortByStart(terms: Int32Array, from: number, to: number, start: Float64Array): void {
	if (to - from > 32) {
		terms.subarray(from, to).sort((a, b) => (start[a] as number) - (start[b] as number) || 0);
		return;
	}
	for (let j = from + 1; j < to; j++) {
		const k = terms[j] as number;
		const s = start[k] as number;
		let h = j;
		for (; h > from && (start[terms[h - 1] as number] as number) > s; h--)
			terms[h] = terms[h - 1] as number;
		terms[h] = k;
	}
}
