import { accessBasis, clientBasis, eventBasis, openSpans } from './analytics-basis';
import { analyticsPeriods, type Granularity, type Span } from './analytics-range';
import { DAY_MS } from './grants';
import { type IndicatorPopularity, type MonthCount, type Rate } from './metrics';
import { RENEWAL_GRACE_MS, type TermEvent } from './terms';
import type { AccessRow } from './schemas/access';
import type { ClientRow } from './schemas/client';

// The analytics page's figures (issue 7, docs/analytics.md), one pure function over the device's
// rows. The server computes the same figures in SQL (`server/reports/analytics.ts`); a test on a
// seeded dataset holds the two equal. Built for 100,000 clients, 300,000 grants and 500,000 events
// per call: what depends on the rows only (decoded times, the terms, ids as dense numbers, the
// times bucketed by day) is computed once per rows array by analytics-basis.ts; each figure is
// then a count of times between two period boundaries, made here.

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

/** The arrays must not be changed in place once passed: what is derived from them is kept. */
export interface AnalyticsRows {
	clients: readonly Pick<ClientRow, 'id' | 'status' | 'registeredAt' | 'deletedAt'>[];
	accesses: readonly Pick<AccessRow, 'indicatorId' | 'revokedAt' | 'endsAt' | 'deletedAt'>[];
	events: readonly TermEvent[];
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

	// Clients over time, at each period's end t: registered by t, and active clients with a grant
	// open at t (their open spans holding t).
	const clients = clientBasis(rows.clients);
	const spans = openSpans(rows.events, rows.clients);
	const clientPoints = periods.map((p) => ({
		...p,
		all: clients.registered.countAtOrBefore(p.endMs),
		active: spans.starts.countAtOrBefore(p.endMs) - spans.ends.countAtOrBefore(p.endMs)
	}));

	const terms = eventBasis(rows.events);
	const subscriptions = months.map((m) => ({
		...m,
		new: terms.soldNew.countIn(m.startMs, m.endMs),
		renewal: terms.soldRenewal.countIn(m.startMs, m.endMs)
	}));
	// renewalRate's rule: a term ending in the month counts once decided — renewed, or ended at
	// least the grace before now (lifetime and revoked terms are not in these indexes).
	const decidedBy = nowMs - RENEWAL_GRACE_MS;
	const renewed = months.map((m) => terms.renewedEnds.countIn(m.startMs, m.endMs));
	const ended = months.map((m, i) => {
		const lost = terms.unrenewedEnds;
		const upTo = Math.min(lost.countBefore(m.endMs), lost.countAtOrBefore(decidedBy));
		return (renewed[i] as number) + Math.max(0, upTo - lost.countBefore(m.startMs));
	});

	// Popular indicators: terms sold in the last 90 and 30 days (now − at ∈ [0, 90 d]), open
	// grants now (ending after now, or lifetime).
	const sold30 = new Int32Array(terms.indicatorIds.length);
	const sold90 = new Int32Array(terms.indicatorIds.length);
	const countSale = (k: number) => {
		const j = terms.indicator[k] as number;
		sold90[j] = (sold90[j] as number) + 1;
		if (nowMs - (terms.terms.atMs[k] as number) <= 30 * DAY_MS)
			sold30[j] = (sold30[j] as number) + 1;
	};
	terms.soldNew.forEachBetween(nowMs - 90 * DAY_MS, nowMs, countSale);
	terms.soldRenewal.forEachBetween(nowMs - 90 * DAY_MS, nowMs, countSale);
	const grants = accessBasis(rows.accesses);
	const open = new Int32Array(grants.indicatorIds.length);
	grants.ends.forEachAfter(nowMs, (g) => {
		const j = grants.indicator[g] as number;
		open[j] = (open[j] as number) + 1;
	});

	// Expirations: open grants ending in week k ahead, (now + 7k days, now + 7(k+1) days].
	const expirations = weeksAhead.map((week) => ({
		...week,
		count: grants.ends.countAtOrBefore(week.endMs) - grants.ends.countAtOrBefore(week.startMs)
	}));

	// Every indicator with an open grant or a sale in 90 days (the two tables number them apart).
	const popularity = new Map<string, IndicatorPopularity>();
	const popular = (indicatorId: string) => {
		let entry = popularity.get(indicatorId);
		if (!entry) {
			entry = { indicatorId, openGrants: 0, newTerms30: 0, newTerms90: 0 };
			popularity.set(indicatorId, entry);
		}
		return entry;
	};
	terms.indicatorIds.forEach((id, j) => {
		if (sold90[j] === 0) return;
		const entry = popular(id);
		entry.newTerms30 += sold30[j] as number;
		entry.newTerms90 += sold90[j] as number;
	});
	grants.indicatorIds.forEach((id, j) => {
		if (open[j] !== 0) popular(id).openGrants += open[j] as number;
	});

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
		clients: clientPoints,
		indicators: [...popularity.values()].sort(byPopularity),
		subscriptions,
		renewals: months.map((m, i) => ({ ...m, ...rate(renewed[i] as number, ended[i] as number) })),
		renewalOverall: rate(renewedTotal, endedTotal),
		expirations
	};
}
