import { sql, type SQL } from 'drizzle-orm';
import { byPopularity, type AnalyticsReport } from '$lib/shared/analytics';
import { analyticsPeriods, type Span } from '$lib/shared/analytics-range';
import type { IndicatorPopularity, Rate } from '$lib/shared/metrics';
import type { DbOrTx } from '../db/client';
import { rowsOf } from '../db/rows';

// The analytics figures computed by SQL (docs/analytics.md), for reports: the same definitions as
// `analyticsReport` on a device, whose numbers a test on a seeded dataset holds equal to these.
// The periods come from the shared `analyticsPeriods` (UTC calendar boundaries computed once, in
// TypeScript); everything counted is counted here, in the database. Intervals are written in
// hours, never days, so the session's time zone cannot stretch one across a DST change.

const iso = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

/** Spans as rows (i, s, e) of a JSON parameter, in order. */
function spans(list: readonly Span[]): SQL {
	const json = JSON.stringify(
		list.map((span, i) => ({
			i,
			s: new Date(span.startMs).toISOString(),
			e: new Date(span.endMs).toISOString()
		}))
	);
	return sql`(select (x->>'i')::int as i, (x->>'s')::timestamptz as s, (x->>'e')::timestamptz as e
		from json_array_elements(${json}::json) as x)`;
}

/**
 * The terms of DESIGN.md §3 (the shared `termTable`): one per granted or renewed event; a grant's
 * sales in time order, ties by event id; renewed when the next sale is a renewal at most 7 days
 * after the end; revoked when the grant's first revoke came before the end.
 */
const termsCte = sql`ev as (
		select id, access_id, client_id, indicator_id, kind, at, previous_ends_at, new_ends_at,
			min(at) filter (where kind = 'revoked') over (partition by access_id) as revoked_at
		from access_events
		where deleted_at is null and kind in ('granted', 'renewed', 'revoked')
	), sales as (
		select ev.*, lead(kind) over w as next_kind, lead(at) over w as next_at
		from ev where kind <> 'revoked'
		window w as (partition by access_id order by at, id)
	), terms as materialized (
		select s.client_id, s.indicator_id, s.kind = 'renewed' as renewal, s.at,
			case when s.kind = 'renewed' and s.previous_ends_at > s.at then s.previous_ends_at
				else s.at end as starts_at,
			s.new_ends_at as ends_at,
			coalesce(s.new_ends_at is not null and s.next_kind = 'renewed'
				and s.next_at <= s.new_ends_at + interval '168 hours', false) as renewed,
			(s.revoked_at is not null
				and (s.new_ends_at is null or s.revoked_at < s.new_ends_at)) as revoked,
			s.revoked_at
		from sales s
	)`;

async function query<T>(db: DbOrTx, statement: SQL): Promise<T[]> {
	return rowsOf<T>(await db.execute(statement));
}

const rate = (renewed: number, total: number): Rate => ({
	renewed,
	total,
	rate: total === 0 ? null : renewed / total
});

/** `analyticsReport` of the whole database, for [from, to) cut to `now`. */
export async function analyticsReportSql(
	db: DbOrTx,
	range: { from: Date; to: Date; now: Date }
): Promise<AnalyticsReport> {
	const nowMs = range.now.getTime();
	const now = iso(nowMs);
	const { fromMs, toMs, granularity, periods, months, weeksAhead } = analyticsPeriods(range);
	const samples = periods.map((p) => ({ startMs: p.endMs, endMs: p.endMs }));

	// Joins, not a subquery per sample: a correlated subquery over `terms` made PostgreSQL rebuild
	// the terms (a window over every event) once per sample — seconds for 2,000 grants.
	const clients = await query<{ i: number; all: number; active: number }>(
		db,
		sql`with ${termsCte}, samples as ${spans(samples)}, registered as (
			select p.i, count(c.id)::int as n from samples p
			join clients c on c.deleted_at is null and c.registered_at <= p.s
			group by p.i
		), active as (
			select p.i, count(distinct t.client_id)::int as n from samples p
			join terms t on t.starts_at <= p.s
				and p.s < least(coalesce(t.ends_at, 'infinity'), coalesce(t.revoked_at, 'infinity'))
			join clients c on c.id = t.client_id and c.deleted_at is null and c.status = 'active'
			group by p.i
		)
		select p.i, coalesce(r.n, 0) as "all", coalesce(a.n, 0) as active
		from samples p left join registered r on r.i = p.i left join active a on a.i = p.i
		order by p.i`
	);

	const indicators = await query<IndicatorPopularity>(
		db,
		sql`with ${termsCte}, open as (
			select indicator_id, count(*)::int as n from accesses
			where deleted_at is null and revoked_at is null and (ends_at is null or ends_at > ${now})
			group by indicator_id
		), sold as (
			select indicator_id,
				count(*) filter (where at >= ${now} - interval '720 hours')::int as n30,
				count(*)::int as n90
			from terms where at <= ${now} and at >= ${now} - interval '2160 hours'
			group by indicator_id
		)
		select coalesce(o.indicator_id, s.indicator_id)::text as "indicatorId",
			coalesce(o.n, 0) as "openGrants", coalesce(s.n30, 0) as "newTerms30",
			coalesce(s.n90, 0) as "newTerms90"
		from open o full join sold s on s.indicator_id = o.indicator_id`
	);

	const subscriptions = await query<{ i: number; new: number; renewal: number }>(
		db,
		sql`with ${termsCte}, months as ${spans(months)}
		select m.i, (count(t.at) filter (where not t.renewal))::int as new,
			(count(t.at) filter (where t.renewal))::int as renewal
		from months m left join terms t on t.at >= m.s and t.at < m.e
		group by m.i order by m.i`
	);

	const renewals = await query<{ i: number; renewed: number; total: number }>(
		db,
		sql`with ${termsCte}, months as ${spans(months)}
		select m.i, (count(t.at) filter (where t.renewed))::int as renewed, count(t.at)::int as total
		from months m left join terms t on t.ends_at >= m.s and t.ends_at < m.e and not t.revoked
			and (t.renewed or t.ends_at + interval '168 hours' <= ${now})
		group by m.i order by m.i`
	);

	const expirations = await query<{ i: number; count: number }>(
		db,
		sql`with weeks as ${spans(weeksAhead)}
		select w.i, count(a.id)::int as count
		from weeks w left join accesses a on a.deleted_at is null and a.revoked_at is null
			and a.ends_at > w.s and a.ends_at <= w.e
		group by w.i order by w.i`
	);

	const renewalMonths = months.map((m, i) => {
		const row = renewals[i];
		return { ...m, ...rate(row?.renewed ?? 0, row?.total ?? 0) };
	});
	return {
		fromMs,
		toMs,
		nowMs,
		granularity,
		clients: periods.map((p, i) => ({
			...p,
			all: clients[i]?.all ?? 0,
			active: clients[i]?.active ?? 0
		})),
		indicators: indicators.sort(byPopularity),
		subscriptions: months.map((m, i) => ({
			...m,
			new: subscriptions[i]?.new ?? 0,
			renewal: subscriptions[i]?.renewal ?? 0
		})),
		renewals: renewalMonths,
		renewalOverall: rate(
			renewalMonths.reduce((n, m) => n + m.renewed, 0),
			renewalMonths.reduce((n, m) => n + m.total, 0)
		),
		expirations: weeksAhead.map((w, i) => ({ ...w, count: expirations[i]?.count ?? 0 }))
	};
}
