import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	analyticsReport,
	byPopularity,
	type AnalyticsReport,
	type AnalyticsRows
} from './analytics';
import { analyticsPeriods, rangeOf, type RangePreset } from './analytics-range';
import { DAY_MS } from './grants';
import { RENEWAL_GRACE_MS, termTable, type TermEvent } from './terms';
import type { IndicatorPopularity } from './metrics';

// `analyticsReport` (typed arrays, one pass per table, reused memory) against the definitions
// written the plain way (docs/analytics.md, DESIGN.md §3): any optimisation that changes a figure
// fails here on some small random dataset.

const NOW_MS = Date.parse('2026-05-01T00:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();

interface PlainTerm {
	accessId: string;
	clientId: string;
	indicatorId: string;
	renewal: boolean;
	atMs: number;
	startsMs: number;
	endsMs: number;
	revokedMs: number;
	renewed: boolean;
	revoked: boolean;
}

/** The terms: per grant, its live granted/renewed/revoked events by time then id. */
function plainTerms(events: readonly TermEvent[]): PlainTerm[] {
	const byGrant = new Map<string, TermEvent[]>();
	for (const event of events) {
		if (event.deletedAt || !['granted', 'renewed', 'revoked'].includes(event.kind)) continue;
		byGrant.set(event.accessId, [...(byGrant.get(event.accessId) ?? []), event]);
	}
	const terms: PlainTerm[] = [];
	for (const grant of byGrant.values()) {
		grant.sort(
			(a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
		);
		const revoke = grant.find((e) => e.kind === 'revoked');
		const revokedMs = revoke ? Date.parse(revoke.at) : Infinity;
		const sales = grant.filter((e) => e.kind !== 'revoked');
		sales.forEach((sale, i) => {
			const atMs = Date.parse(sale.at);
			const renewal = sale.kind === 'renewed';
			const previousEnd =
				renewal && sale.previousEndsAt ? Date.parse(sale.previousEndsAt) : -Infinity;
			const endsMs = sale.newEndsAt === null ? Infinity : Date.parse(sale.newEndsAt);
			const next = sales[i + 1];
			terms.push({
				accessId: sale.accessId,
				clientId: sale.clientId,
				indicatorId: sale.indicatorId,
				renewal,
				atMs,
				startsMs: Math.max(atMs, previousEnd),
				endsMs,
				revokedMs,
				renewed:
					next?.kind === 'renewed' &&
					endsMs !== Infinity &&
					Date.parse(next.at) <= endsMs + RENEWAL_GRACE_MS,
				revoked: revokedMs < endsMs
			});
		});
	}
	return terms;
}

/** The report, figure by figure, from its definition (see `analyticsReport`). */
function plainReport(rows: AnalyticsRows, range: { from: Date; to: Date; now: Date }) {
	const nowMs = range.now.getTime();
	const { fromMs, toMs, granularity, periods, months, weeksAhead } = analyticsPeriods(range);
	const terms = plainTerms(rows.events);
	const live = rows.clients.filter((c) => !c.deletedAt);
	const active = new Set(live.filter((c) => c.status === 'active').map((c) => c.id));
	// Open from its start (always when unreadable) until its end or its grant's revoke.
	const opens = (t: PlainTerm, ms: number) =>
		(Number.isNaN(t.startsMs) || t.startsMs <= ms) && ms < Math.min(t.endsMs, t.revokedMs);
	const clients = periods.map((p) => ({
		...p,
		all: live.filter((c) => !(Date.parse(c.registeredAt) > p.endMs)).length,
		active: new Set(
			terms.filter((t) => active.has(t.clientId) && opens(t, p.endMs)).map((t) => t.clientId)
		).size
	}));
	const inMonth = (ms: number, m: { startMs: number; endMs: number }) =>
		ms >= m.startMs && ms < m.endMs;
	const subscriptions = months.map((m) => {
		const sold = terms.filter((t) => inMonth(t.atMs, m));
		const renewal = sold.filter((t) => t.renewal).length;
		return { ...m, new: sold.length - renewal, renewal };
	});
	const decided = terms.filter(
		(t) => !t.revoked && (t.renewed || t.endsMs + RENEWAL_GRACE_MS <= nowMs)
	);
	const rate = (list: PlainTerm[]) => {
		const renewed = list.filter((t) => t.renewed).length;
		return { renewed, total: list.length, rate: list.length ? renewed / list.length : null };
	};
	const renewals = months.map((m) => ({
		...m,
		...rate(decided.filter((t) => inMonth(t.endsMs, m)))
	}));
	const accessEnd = (a: AnalyticsRows['accesses'][number]) => {
		if (a.deletedAt || a.revokedAt) return NaN;
		const ms = a.endsAt === null ? Infinity : Date.parse(a.endsAt);
		return Number.isNaN(ms) ? Infinity : ms;
	};
	const open = rows.accesses.map(accessEnd).filter((end) => end > nowMs);
	const popularity = new Map<string, IndicatorPopularity>();
	const entry = (indicatorId: string) => {
		const found = popularity.get(indicatorId) ?? {
			indicatorId,
			openGrants: 0,
			newTerms30: 0,
			newTerms90: 0
		};
		popularity.set(indicatorId, found);
		return found;
	};
	rows.accesses.forEach((a) => {
		if (accessEnd(a) > nowMs) entry(a.indicatorId).openGrants++;
	});
	for (const t of terms) {
		const age = nowMs - t.atMs;
		if (!(age >= 0 && age <= 90 * DAY_MS)) continue;
		entry(t.indicatorId).newTerms90++;
		if (age <= 30 * DAY_MS) entry(t.indicatorId).newTerms30++;
	}
	return {
		fromMs,
		toMs,
		nowMs,
		granularity,
		clients,
		indicators: [...popularity.values()].sort(byPopularity),
		subscriptions,
		renewals,
		renewalOverall: rate(
			decided.filter((t) => inMonth(t.endsMs, { startMs: fromMs, endMs: toMs }))
		),
		expirations: weeksAhead.map((w) => ({
			...w,
			count: open.filter((end) => end > w.startMs && end <= w.endMs).length
		}))
	} satisfies AnalyticsReport;
}

// Small pools, so that rows share ids, times tie, grants have several events; ids of both kinds
// the join handles (UUIDs, other text) and pairs of equal hash (the last eight characters).
const uuid = fc
	.array(fc.constantFrom(...'0123456789abcdef'), { minLength: 32, maxLength: 32 })
	.map((d) => d.join(''))
	.map(
		(h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
	);
const ids = fc.array(
	fc.oneof(
		{ weight: 1, arbitrary: uuid },
		{ weight: 3, arbitrary: fc.constantFrom('c1', 'c2', 'x-00000001', 'y-00000001') }
	),
	{ minLength: 1, maxLength: 6 }
);
const instant = fc.integer({ min: NOW_MS - 500 * DAY_MS, max: NOW_MS + 120 * DAY_MS });
// Times as the wire carries them, a few on whole days (ties), a few in another shape or unreadable.
const time = fc.oneof(
	{ weight: 6, arbitrary: instant.map(at) },
	{ weight: 2, arbitrary: instant.map((ms) => at(Math.floor(ms / DAY_MS) * DAY_MS)) },
	{
		weight: 1,
		arbitrary: instant.map((ms) =>
			at(ms)
				.replace('.000Z', 'Z')
				.replace(/\.\d+Z$/, 'Z')
		)
	}
);
const maybeUnreadable = fc.oneof(
	{ weight: 9, arbitrary: time },
	{ weight: 1, arbitrary: fc.constant('soon') }
);
const deleted = fc.option(time, { freq: 6 });

const dataset = fc
	.record({ clientIds: ids, grantIds: ids, indicatorIds: ids })
	.chain(({ clientIds, grantIds, indicatorIds }) =>
		fc.record({
			clients: fc.array(
				fc.record({
					id: fc.constantFrom(...clientIds),
					status: fc.constantFrom('active' as const, 'active' as const, 'inactive' as const),
					registeredAt: maybeUnreadable,
					deletedAt: deleted
				}),
				{ maxLength: 8 }
			),
			accesses: fc.array(
				fc.record({
					indicatorId: fc.constantFrom(...indicatorIds),
					endsAt: fc.option(maybeUnreadable, { freq: 5 }),
					revokedAt: fc.option(time, { freq: 4 }),
					deletedAt: deleted
				}),
				{ maxLength: 8 }
			),
			events: fc.array(
				fc.record({
					accessId: fc.constantFrom(...grantIds),
					clientId: fc.constantFrom(...clientIds, 'gone', 'w-00000001'),
					indicatorId: fc.constantFrom(...indicatorIds),
					kind: fc.constantFrom(
						'granted' as const,
						'granted' as const,
						'renewed' as const,
						'renewed' as const,
						'revoked' as const,
						'expired' as const,
						'tv_verified' as const
					),
					at: time,
					previousEndsAt: fc.option(maybeUnreadable, { freq: 4 }),
					newEndsAt: fc.option(maybeUnreadable, { freq: 6 }),
					deletedAt: deleted
				}),
				{ maxLength: 30 }
			),
			// As the device reads them (by grant: no hash table needed) or in any order.
			byGrant: fc.boolean()
		})
	)
	.map(({ clients, accesses, events, byGrant }) => {
		const numbered = events.map((e, i) => ({ ...e, id: `e${String(i).padStart(3, '0')}` }));
		if (byGrant)
			numbered.sort((a, b) => (a.accessId < b.accessId ? -1 : a.accessId > b.accessId ? 1 : 0));
		return { clients, accesses, events: numbered };
	});

const preset = fc.constantFrom<RangePreset>('12m', '90d', '30d', 'custom');
const day = fc.integer({ min: -400, max: 60 }).map((d) => at(NOW_MS + d * DAY_MS).slice(0, 10));
const range = fc
	.record({ preset, fromDay: day, toDay: day, nowOffset: fc.integer({ min: -40, max: 40 }) })
	.map(({ preset, fromDay, toDay, nowOffset }) => {
		const now = new Date(NOW_MS + nowOffset * 3_600_000 * 7);
		return { ...rangeOf({ preset, fromDay, toDay }, now), now };
	});

describe('analyticsReport equals its plain definition', () => {
	it('on random small datasets, ranges and times', () => {
		fc.assert(
			fc.property(dataset, range, (rows, r) => {
				expect(analyticsReport(rows, r)).toEqual(plainReport(rows, r));
			}),
			{ numRuns: 400 }
		);
	});

	// (Event times are all readable here: how an unreadable one sorts is the insertion sort's own.)
	it('terms as the plain definition has them (any event order)', () => {
		fc.assert(
			fc.property(dataset, ({ events }) => {
				const table = termTable(events);
				const got = Array.from({ length: table.count }, (_, k) => ({
					accessId: (events[table.event[k] as number] as TermEvent).accessId,
					atMs: table.atMs[k],
					startsMs: table.startsMs[k],
					endsMs: table.endsMs[k],
					revokedMs: table.revokedMs[k],
					renewal: table.renewal[k] === 1,
					renewed: table.renewed[k] === 1,
					revoked: table.revoked[k] === 1
				}));
				const want = plainTerms(events).map(({ clientId: _c, indicatorId: _i, ...t }) => t);
				expect(got).toEqual(want);
			}),
			{ numRuns: 300 }
		);
	});

	it('reports in memory that earlier reports left (reused, not zeroed) are right', () => {
		fc.assert(
			fc.property(fc.array(dataset, { minLength: 3, maxLength: 5 }), range, (sets, r) => {
				// New arrays each time: nothing is cached for them, and each evicts an older basis,
				// whose memory the next one takes.
				for (const rows of [...sets, ...sets].map((s) => ({
					clients: [...s.clients],
					accesses: [...s.accesses],
					events: [...s.events]
				})))
					expect(analyticsReport(rows, r)).toEqual(plainReport(rows, r));
			}),
			{ numRuns: 100 }
		);
	});
});
