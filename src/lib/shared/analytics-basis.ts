import { addId, fewKeys, idHash, idTable, slotOf, type IdTable } from './analytics-join';
import { cached, newCache } from './analytics-memory';
import { openSpansOf, type OpenSpans } from './analytics-spans';
import { termsOfColumns, type TermTable } from './terms';
import { readEvents } from './terms-read';
import { f64, i32, type Arena } from './terms-memory';
import { isoMsInto } from './terms-time';
import type { AnalyticsRows } from './analytics';

export type { OpenSpans } from './analytics-spans';

// The part of the analytics (analytics.ts) that depends on the rows only — not on the range, nor
// on the time: timestamps decoded, terms derived, ids turned into dense numbers, the terms joined
// to the clients. It is kept per rows array (the latest two of each table, analytics-memory.ts): a
// change of range or the minute tick reads no row, only typed arrays, and a sync that changed one
// table redoes that table's part only. This relies on the arrays not being changed in place, which
// holds on the page: Dexie and the client store hand out a new array whenever the data changes.
//
// Typed arrays are kept few and small on purpose: the rows are 1.5 million live objects, and
// allocating much more than ~60 MB of array buffers makes V8 collect the whole heap (~150 ms).
// Each table's rows are read in one pass (see terms-read.ts for why).

type Clients = AnalyticsRows['clients'];
type Accesses = AnalyticsRows['accesses'];
type Events = AnalyticsRows['events'];

export interface ClientBasis {
	/** Registration times of the clients not deleted (an unreadable one: −∞, before any period). */
	registered: Float64Array;
	/** The ids of the clients not deleted whose status is active, each numbered by its row. */
	active: IdTable;
}

export interface EventBasis {
	terms: TermTable;
	/** Each term's indicator, as an index into `indicatorIds`. */
	indicator: Int32Array;
	indicatorIds: string[];
	/** Each term's client id, as a number (see `EventParties`). */
	client: Int32Array;
	clientEvent: Int32Array;
	clientHashes: Int32Array;
}

export interface AccessBasis {
	/** Each grant's end (∞: lifetime); NaN for deleted and revoked grants, which never count. */
	endsMs: Float64Array;
	/** Each grant's indicator, as an index into `indicatorIds`. */
	indicator: Int32Array;
	indicatorIds: string[];
}

const clientCache = newCache<ClientBasis>();
const eventCache = newCache<EventBasis>();
const accessCache = newCache<AccessBasis>();
const spanCache = newCache<OpenSpans>();

export const clientBasis = (clients: Clients) =>
	cached(clientCache, [clients], (arena) => makeClientBasis(clients, arena));
export const eventBasis = (events: Events) =>
	cached(eventCache, [events], (arena) => makeEventBasis(events, arena));
export const accessBasis = (accesses: Accesses) =>
	cached(accessCache, [accesses], (arena) => makeAccessBasis(accesses, arena));

export function openSpans(events: Events, clients: Clients): OpenSpans {
	return cached(spanCache, [events, clients], (arena) => {
		const { terms, client, clientEvent, clientHashes } = eventBasis(events);
		const { active } = clientBasis(clients);
		return openSpansOf({ terms, client, clientEvent, clientHashes, events, active }, arena);
	});
}

function makeClientBasis(clients: Clients, arena: Arena): ClientBasis {
	const registered = f64(arena, clients.length);
	const active = idTable(clients.length, arena);
	let count = 0;
	for (let row = 0; row < clients.length; row++) {
		const client = clients[row] as Clients[number];
		if (client.deletedAt) continue;
		isoMsInto(client.registeredAt, registered, count);
		if (Number.isNaN(registered[count])) registered[count] = -Infinity;
		count++;
		if (client.status === 'active') addId(active, client.id, row, idHash(client.id));
	}
	return { registered: registered.subarray(0, count), active };
}

function makeEventBasis(events: Events, arena: Arena): EventBasis {
	const columns = readEvents(events, arena);
	const terms = termsOfColumns(events, columns, arena);
	const indicator = i32(arena, terms.count);
	const client = i32(arena, terms.count);
	for (let k = 0; k < terms.count; k++) {
		const i = terms.event[k] as number;
		indicator[k] = columns.indicator[i] as number;
		client[k] = columns.client[i] as number;
	}
	return {
		terms,
		indicator,
		indicatorIds: columns.indicatorIds,
		client,
		clientEvent: columns.clientEvent,
		clientHashes: columns.clientHashes
	};
}

function makeAccessBasis(accesses: Accesses, arena: Arena): AccessBasis {
	const endsMs = f64(arena, accesses.length);
	const indicator = i32(arena, accesses.length);
	const indicators = fewKeys();
	for (let i = 0; i < accesses.length; i++) {
		const access = accesses[i] as Accesses[number];
		indicator[i] = slotOf(indicators, access.indicatorId);
		if (access.deletedAt || access.revokedAt) endsMs[i] = NaN;
		else if (access.endsAt === null) endsMs[i] = Infinity;
		else {
			// An unreadable end has always counted as open and expiring never, as a lifetime grant.
			isoMsInto(access.endsAt, endsMs, i);
			if (Number.isNaN(endsMs[i])) endsMs[i] = Infinity;
		}
	}
	return { endsMs, indicator, indicatorIds: indicators.keys };
}
