import { analyticsPeriods, type Granularity, type Span } from './analytics-range';
import { DAY_MS } from './grants';
import { isoMs } from './iso-time';
import { KeySlots } from './key-slots';
import { type IndicatorPopularity, type MonthCount, type Rate } from './metrics';
import { RENEWAL_GRACE_MS, termTable, type TermEvent, type TermTable } from './terms';
import type { AccessRow } from './schemas/access';
import type { ClientRow } from './schemas/client';

// The analytics page's figures (issue 7, docs/analytics.md), one pure function over the device's
// rows. The server computes the same figures in SQL (`server/reports/analytics.ts`); a test on a
// seeded dataset holds the two equal. Built for 100,000 clients, 300,000 grants and 500,000 events
// per call: one pass per table, each timestamp decoded once, binary searches over the periods.

export interface ClientsPoint extends Span {
	/** Clients not deleted, registered at or before the period's end. */
	all: number;
	/** Of those, status active with a grant open at the period's end (see `clientsOverTime`). */
	active: number;
}

export interface RenewalMonth extends Rate, Span {
	month: string;
}

export interface ExpirationWeek extends Span {
	/** Open grants ending in (startMs, endMs]. */
	count: number;
}

export interface AnalyticsReport {
	fromMs: number;
	toMs: number;
	nowMs: number;
	granularity: Granularity;
	clients: ClientsPoint[];
	/** Every indicator with an open grant or a term sold in the last 90 days, most popular first. */
	indicators: IndicatorPopularity[];
	subscriptions: Array<MonthCount & Span>;
	renewals: RenewalMonth[];
	/** The renewal rate over the whole range. */
	renewalOverall: Rate;
	expirations: ExpirationWeek[];
}

export interface AnalyticsRows {
	clients: readonly Pick<ClientRow, 'id' | 'status' | 'registeredAt' | 'deletedAt'>[];
	accesses: readonly Pick<AccessRow, 'indicatorId' | 'revokedAt' | 'endsAt' | 'deletedAt'>[];
	events: readonly TermEvent[];
}

// The terms depend on the events only, not on the range or the time: the page recomputes on every
// range change and once a minute, and reuses them while Dexie hands it the same events array.
const termCache = new WeakMap<readonly TermEvent[], TermTable>();

function termsFor(events: readonly TermEvent[]): TermTable {
	let table = termCache.get(events);
	if (!table) {
		table = termTable(events);
		termCache.set(events, table);
	}
	return table;
}

/** Index of the first value ≥ x in an ascending array (its length when none). */
function firstAtOrAfter(sorted: readonly number[], x: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if ((sorted[mid] as number) < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Index of the span of consecutive `spans` holding x, or -1. */
function spanIndex(starts: readonly number[], spans: readonly Span[], x: number): number {
	const i = firstAtOrAfter(starts, x + 1) - 1;
	return i >= 0 && x < (spans[i] as Span).endMs ? i : -1;
}

const rate = (renewed: number, total: number): Rate => ({
	renewed,
	total,
	rate: total === 0 ? null : renewed / total
});

/** Sorting of the popular indicators: open grants, then recent sales, then id (a total order). */
export function byPopularity(a: IndicatorPopularity, b: IndicatorPopularity): number {
	return (
		b.openGrants - a.openGrants ||
		b.newTerms30 - a.newTerms30 ||
		b.newTerms90 - a.newTerms90 ||
		(a.indicatorId < b.indicatorId ? -1 : a.indicatorId > b.indicatorId ? 1 : 0)
	);
}

/**
 * Everything the analytics page shows, for the range [from, to) (cut to `now`) and at `now` (the
 * server's time as the device estimates it).
 *
 * - Clients over time, per period: `all` = clients registered at or before the period's end `t`;
 *   `active` = clients whose status is active *today* (the status has no history) and who had a
 *   grant open at `t`: a term of theirs with startsAt ≤ t < its end, and its grant not revoked at
 *   or before t. At t = now this is the dashboard's "active clients".
 * - Popular indicators: open grants now; terms sold (new and renewed) in the last 30 and 90 days.
 * - Subscriptions: terms sold per month of the range, new grants versus renewals.
 * - Renewal rate per month and over the range: the shared `renewalRate` definition.
 * - Expirations: open grants by week ahead of now.
 */
export function analyticsReport(
	rows: AnalyticsRows,
	range: { from: Date; to: Date; now: Date }
): AnalyticsReport {
	const nowMs = range.now.getTime();
	const { fromMs, toMs, granularity, periods, months, weeksAhead } = analyticsPeriods(range);
	const samples = periods.map((p) => p.endMs);

	// Clients registered by each period's end: a histogram of first periods, then running sums.
	const all = new Array<number>(samples.length).fill(0);
	const activeClients = new KeySlots(rows.clients.length);
	for (const client of rows.clients) {
		if (client.deletedAt) continue;
		const first = firstAtOrAfter(samples, isoMs(client.registeredAt));
		if (first < samples.length) all[first] = (all[first] as number) + 1;
		if (client.status === 'active') activeClients.slot(client.id);
	}
	for (let i = 1; i < all.length; i++) all[i] = (all[i] as number) + (all[i - 1] as number);

	const events = rows.events;
	const terms = termsFor(events);
	const active = new Array<number>(samples.length).fill(0);
	// seen[i × clients + c]: client c already counted at sample i (a client with two open grants
	// counts once).
	const clientCount = activeClients.size;
	const seen = new Uint8Array(samples.length * clientCount);
	const firstSample = samples[0] ?? Infinity;
	const monthStarts = months.map((m) => m.startMs);
	const subscriptions = months.map((m) => ({ ...m, new: 0, renewal: 0 }));
	const renewed = new Array<number>(months.length).fill(0);
	const ended = new Array<number>(months.length).fill(0);
	const indicators = new KeySlots();
	const popularity: IndicatorPopularity[] = [];
	const popular = (indicatorId: string) => {
		const slot = indicators.slot(indicatorId);
		if (slot === popularity.length)
			popularity.push({ indicatorId, openGrants: 0, newTerms30: 0, newTerms90: 0 });
		return popularity[slot] as IndicatorPopularity;
	};

	let lastAccess = '';
	let client = -1;
	for (let k = 0; k < terms.count; k++) {
		const atMs = terms.atMs[k] as number;
		const startsMs = terms.startsMs[k] as number;
		const endsMs = terms.endsMs[k] as number;
		const end = Math.min(endsMs, terms.revokedMs[k] as number);
		let i = end > firstSample ? firstAtOrAfter(samples, startsMs) : samples.length;
		if (i < samples.length && (samples[i] as number) < end) {
			// Looked up once per grant (its terms are consecutive): the client table's random
			// memory accesses are the costliest step here.
			const event = events[terms.event[k] as number] as TermEvent;
			if (event.accessId !== lastAccess) {
				lastAccess = event.accessId;
				client = activeClients.find(event.clientId);
			}
			if (client !== -1)
				for (; i < samples.length && (samples[i] as number) < end; i++) {
					const key = i * clientCount + client;
					if (seen[key] === 0) {
						seen[key] = 1;
						active[i] = (active[i] as number) + 1;
					}
				}
		}
		if (atMs >= fromMs && atMs < toMs) {
			const month = subscriptions[spanIndex(monthStarts, months, atMs)];
			if (month) month[terms.renewal[k] === 1 ? 'renewal' : 'new']++;
		}
		// renewalRate's rule: lifetime (endsMs Infinity), revoked and still undecided terms are out.
		if (terms.revoked[k] === 0 && endsMs >= fromMs && endsMs < toMs) {
			const isRenewed = terms.renewed[k] === 1;
			if (isRenewed || endsMs + RENEWAL_GRACE_MS <= nowMs) {
				const i = spanIndex(monthStarts, months, endsMs);
				if (i >= 0) {
					ended[i] = (ended[i] as number) + 1;
					if (isRenewed) renewed[i] = (renewed[i] as number) + 1;
				}
			}
		}
		const age = nowMs - atMs;
		if (age >= 0 && age <= 90 * DAY_MS) {
			const entry = popular((events[terms.event[k] as number] as TermEvent).indicatorId);
			entry.newTerms90++;
			if (age <= 30 * DAY_MS) entry.newTerms30++;
		}
	}

	const expirations = weeksAhead.map((week) => ({ ...week, count: 0 }));
	const horizon = nowMs + weeksAhead.length * 7 * DAY_MS;
	for (const access of rows.accesses) {
		if (access.deletedAt || access.revokedAt) continue;
		if (access.endsAt === null) {
			popular(access.indicatorId).openGrants++;
			continue;
		}
		const endsMs = isoMs(access.endsAt);
		if (endsMs <= nowMs) continue;
		popular(access.indicatorId).openGrants++;
		if (endsMs <= horizon) {
			const week = expirations[Math.ceil((endsMs - nowMs) / (7 * DAY_MS)) - 1];
			if (week) week.count++;
		}
	}

	let renewedTotal = 0;
	let endedTotal = 0;
	for (let i = 0; i < months.length; i++) {
		renewedTotal += renewed[i] as number;
		endedTotal += ended[i] as number;
	}
	return {
		fromMs,
		toMs,
		nowMs,
		granularity,
		clients: periods.map((p, i) => ({ ...p, all: all[i] as number, active: active[i] as number })),
		indicators: popularity.sort(byPopularity),
		subscriptions,
		renewals: months.map((m, i) => ({ ...m, ...rate(renewed[i] as number, ended[i] as number) })),
		renewalOverall: rate(renewedTotal, endedTotal),
		expirations
	};
}
