import {
	accessBasis,
	clientBasis,
	eventBasis,
	openSpans,
	type AccessBasis,
	type EventBasis,
	type OpenSpans
} from './analytics-basis';
import { analyticsPeriods, WEEK_MS, type Granularity, type Span } from './analytics-range';
import { DAY_MS } from './grants';
import { type IndicatorPopularity, type MonthCount, type Rate } from './metrics';
import { RENEWAL_GRACE_MS, type TermEvent } from './terms';
import type { AccessRow } from './schemas/access';
import type { ClientRow } from './schemas/client';

// The analytics page's figures (issue 7, docs/analytics.md), one pure function over the device's
// rows. The server computes the same figures in SQL (`server/reports/analytics.ts`); a test on a
// seeded dataset holds the two equal. Built for 100,000 clients, 300,000 grants and 500,000 events
// per call: what depends on the rows only (decoded times, the terms, ids as dense numbers, the
// terms joined to the clients) is computed once per rows array by analytics-basis.ts; what
// depends on the range and the time is counted here, in one pass over typed arrays per table.

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

const rate = (renewed: number, total: number): Rate => ({
	renewed,
	total,
	rate: total === 0 ? null : renewed / total
});

// The passes below are small functions of one loop each on purpose: V8 compiles a long loop
// while it runs, and code after it that has not run yet then throws the compiled code away on
// every call (measured: 140 ms per warm report instead of 10).

/** Per sample t: how many times are ≤ t (counts per first sample ≥ the time, then sums). */
function countUpTo(samples: readonly number[], times: Float64Array): Int32Array {
	const counts = new Int32Array(samples.length + 1);
	for (let i = 0; i < times.length; i++) {
		const first = firstAtOrAfter(samples, times[i] as number);
		counts[first] = (counts[first] as number) + 1;
	}
	for (let i = 1; i < samples.length; i++)
		counts[i] = (counts[i] as number) + (counts[i - 1] as number);
	return counts;
}

/** Per sample t: how many spans [s, e) hold t — those from the first ≥ s to the first ≥ e. */
function countSpans(samples: readonly number[], spans: OpenSpans): Int32Array {
	const counts = new Int32Array(samples.length + 1);
	const firstSample = samples[0] ?? Infinity;
	for (let i = 0; i < spans.starts.length; i++) {
		const end = spans.ends[i] as number;
		if (end <= firstSample) continue;
		const first = firstAtOrAfter(samples, spans.starts[i] as number);
		const after = firstAtOrAfter(samples, end);
		counts[first] = (counts[first] as number) + 1;
		counts[after] = (counts[after] as number) - 1;
	}
	for (let i = 1; i < samples.length; i++)
		counts[i] = (counts[i] as number) + (counts[i - 1] as number);
	return counts;
}

interface TermCounts {
	/** Per month: terms sold, new and renewals; terms ended and decided, and of those renewed. */
	sold: Int32Array;
	soldRenewals: Int32Array;
	ended: Int32Array;
	renewed: Int32Array;
	/** Per indicator: terms sold in the last 30 and 90 days (now − at ∈ [0, 30 d] / [0, 90 d]). */
	sold30: Int32Array;
	sold90: Int32Array;
}

/**
 * The month of each UTC day of [fromMs, toMs), as an index into `monthStarts`: every month but
 * the first (which starts at `fromMs`) starts at a UTC midnight, so all times of a day counted
 * fall in one month, and a time's month is found by a division instead of a binary search.
 */
function monthOfDay(monthStarts: readonly number[], fromMs: number, toMs: number) {
	const firstDay = Math.floor(fromMs / DAY_MS);
	const days = toMs > fromMs ? Math.floor((toMs - 1) / DAY_MS) - firstDay + 1 : 0;
	const month = new Int32Array(days);
	for (let d = 0; d < days; d++)
		month[d] = firstAtOrAfter(monthStarts, Math.max((firstDay + d) * DAY_MS, fromMs) + 1) - 1;
	return { firstDay, month };
}

function countTerms(
	{ terms, indicator, indicatorIds }: EventBasis,
	monthStarts: readonly number[],
	{ fromMs, toMs, nowMs }: { fromMs: number; toMs: number; nowMs: number }
): TermCounts {
	const months = monthStarts.length;
	const { firstDay, month } = monthOfDay(monthStarts, fromMs, toMs);
	const c: TermCounts = {
		sold: new Int32Array(months),
		soldRenewals: new Int32Array(months),
		ended: new Int32Array(months),
		renewed: new Int32Array(months),
		sold30: new Int32Array(indicatorIds.length),
		sold90: new Int32Array(indicatorIds.length)
	};
	for (let k = 0; k < terms.count; k++) {
		const atMs = terms.atMs[k] as number;
		if (atMs >= fromMs && atMs < toMs) {
			const i = month[Math.floor(atMs / DAY_MS) - firstDay] as number;
			c.sold[i] = (c.sold[i] as number) + 1;
			if (terms.renewal[k] === 1) c.soldRenewals[i] = (c.soldRenewals[i] as number) + 1;
		}
		// renewalRate's rule: lifetime (endsMs ∞), revoked and still undecided terms are out.
		const endsMs = terms.endsMs[k] as number;
		if (terms.revoked[k] === 0 && endsMs >= fromMs && endsMs < toMs) {
			const isRenewed = terms.renewed[k] === 1;
			if (isRenewed || endsMs + RENEWAL_GRACE_MS <= nowMs) {
				const i = month[Math.floor(endsMs / DAY_MS) - firstDay] as number;
				c.ended[i] = (c.ended[i] as number) + 1;
				if (isRenewed) c.renewed[i] = (c.renewed[i] as number) + 1;
			}
		}
		const age = nowMs - atMs;
		if (age >= 0 && age <= 90 * DAY_MS) {
			const j = indicator[k] as number;
			c.sold90[j] = (c.sold90[j] as number) + 1;
			if (age <= 30 * DAY_MS) c.sold30[j] = (c.sold30[j] as number) + 1;
		}
	}
	return c;
}

/** Per indicator, open grants now; per week ahead, open grants ending in it. */
function countGrants(
	{ endsMs, indicator, indicatorIds }: AccessBasis,
	nowMs: number,
	weeks: number
) {
	const open = new Int32Array(indicatorIds.length);
	const ending = new Int32Array(weeks);
	const horizon = nowMs + weeks * WEEK_MS;
	for (let g = 0; g < endsMs.length; g++) {
		const end = endsMs[g] as number;
		if (!(end > nowMs)) continue; // ended, or deleted or revoked (NaN)
		const j = indicator[g] as number;
		open[j] = (open[j] as number) + 1;
		if (end <= horizon) {
			// Week k holds (now + 7k days, now + 7(k+1) days].
			const week = Math.ceil((end - nowMs) / WEEK_MS) - 1;
			ending[week] = (ending[week] as number) + 1;
		}
	}
	return { open, ending };
}

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
	const all = countUpTo(samples, clientBasis(rows.clients).registered);
	const active = countSpans(samples, openSpans(rows.events, rows.clients));

	const events = eventBasis(rows.events);
	const termCounts = countTerms(
		events,
		months.map((m) => m.startMs),
		{ fromMs, toMs, nowMs }
	);
	const subscriptions = months.map((m, i) => {
		const renewal = termCounts.soldRenewals[i] as number;
		return { ...m, new: (termCounts.sold[i] as number) - renewal, renewal };
	});
	const renewed = termCounts.renewed;
	const ended = termCounts.ended;

	const grants = accessBasis(rows.accesses);
	const { open, ending } = countGrants(grants, nowMs, weeksAhead.length);
	const expirations = weeksAhead.map((week, k) => ({ ...week, count: ending[k] as number }));

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
	events.indicatorIds.forEach((id, j) => {
		if (termCounts.sold90[j] === 0) return;
		const entry = popular(id);
		entry.newTerms30 += termCounts.sold30[j] as number;
		entry.newTerms90 += termCounts.sold90[j] as number;
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
		clients: periods.map((p, i) => ({ ...p, all: all[i] as number, active: active[i] as number })),
		indicators: [...popularity.values()].sort(byPopularity),
		subscriptions,
		renewals: months.map((m, i) => ({ ...m, ...rate(renewed[i] as number, ended[i] as number) })),
		renewalOverall: rate(renewedTotal, endedTotal),
		expirations
	};
}
