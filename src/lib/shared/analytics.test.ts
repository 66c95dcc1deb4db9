import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../tests/factories';
import { analyticsReport, byPopularity } from './analytics';
import { analyticsPeriods, rangeOf } from './analytics-range';
import { isoMs } from './iso-time';
import { activeClientCount, popularIndicators, renewalRate, termsOf } from './metrics';
import type { AccessEventRow } from './schemas/access-event';

const NOW = new Date('2026-05-01T00:00:00.000Z');
const I1 = 'i1';
const I2 = 'i2';
const day = (text: string) => `${text}T00:00:00.000Z`;
const ms = (text: string) => Date.parse(day(text));

let eventCount = 0;
function event(
	accessId: string,
	clientId: string,
	indicatorId: string,
	kind: AccessEventRow['kind'],
	at: string,
	previousEndsAt: string | null,
	newEndsAt: string | null
) {
	const id = `e${String(++eventCount).padStart(3, '0')}`;
	return {
		id,
		accessId,
		clientId,
		indicatorId,
		kind,
		at,
		previousEndsAt,
		newEndsAt,
		deletedAt: null
	};
}
const client = (
	id: string,
	status: 'active' | 'inactive',
	registeredAt: string,
	deleted = false
) => ({
	id,
	status,
	registeredAt: day(registeredAt),
	deletedAt: deleted ? day('2026-04-01') : null
});
const access = (
	clientId: string,
	indicatorId: string,
	endsAt: string | null,
	revoked = false,
	deleted = false
) => ({
	clientId,
	indicatorId,
	endsAt,
	revokedAt: revoked ? day('2026-02-15') : null,
	deletedAt: deleted ? day('2026-04-02') : null
});

// Hand-computed fixture (the numbers in the expectations below are worked out in the comments).
// c1 active (registered Dec 15), c2 active (Jan 8), c3 inactive (Jan 5), c4 active but deleted,
// c5 active (Apr 20).
// A c1·I1: granted Jan 1 → Jan 31, renewed Jan 25 → Mar 2 (term Jan 31–Mar 2), renewed Mar 8
//   (within the grace) → Apr 7. B c2·I2: Jan 10 → Feb 9, renewed Feb 20 (late) → Mar 22.
// C c3·I1 lifetime from Feb 5. D c2·I1 Feb 1 → Mar 3, revoked Feb 15. F c5·I2 Apr 24 → May 8
// (exactly 7 days after now). G c2·I1 Apr 8 (+1 ms) → May 8 (+1 ms). H c1·I2 Mar 1 noon → Jun 30.
const clients = [
	client('c1', 'active', '2025-12-15'),
	client('c2', 'active', '2026-01-08'),
	client('c3', 'inactive', '2026-01-05'),
	client('c4', 'active', '2026-03-20', true),
	client('c5', 'active', '2026-04-20')
];
const events = [
	event('A', 'c1', I1, 'granted', day('2026-01-01'), null, day('2026-01-31')),
	event('A', 'c1', I1, 'renewed', day('2026-01-25'), day('2026-01-31'), day('2026-03-02')),
	event('A', 'c1', I1, 'renewed', day('2026-03-08'), day('2026-03-02'), day('2026-04-07')),
	event('B', 'c2', I2, 'granted', day('2026-01-10'), null, day('2026-02-09')),
	event('B', 'c2', I2, 'renewed', day('2026-02-20'), day('2026-02-09'), day('2026-03-22')),
	event('C', 'c3', I1, 'granted', day('2026-02-05'), null, null),
	event('D', 'c2', I1, 'granted', day('2026-02-01'), null, day('2026-03-03')),
	event('D', 'c2', I1, 'revoked', day('2026-02-15'), day('2026-03-03'), null),
	event('F', 'c5', I2, 'granted', day('2026-04-24'), null, day('2026-05-08')),
	event('G', 'c2', I1, 'granted', '2026-04-08T00:00:00.001Z', null, '2026-05-08T00:00:00.001Z'),
	event('H', 'c1', I2, 'granted', '2026-03-01T12:00:00.000Z', null, day('2026-06-30'))
];
const accesses = [
	access('c1', I1, day('2026-04-07')), // A: expired
	access('c2', I2, day('2026-03-22')), // B: expired
	access('c3', I1, null), // C: lifetime, open
	access('c2', I1, day('2026-03-03'), true), // D: revoked
	access('c5', I2, day('2026-05-08')), // F: open, ends now + 7 days → week 1
	access('c2', I1, '2026-05-08T00:00:00.001Z'), // G: open, 1 ms into week 2
	access('c1', I2, day('2026-06-30')), // H: open, beyond 8 weeks
	access('c4', I1, day('2026-05-03'), false, true) // deleted: nowhere
];
const rows = { clients, accesses, events };

describe('analyticsReport on a hand-computed fixture', () => {
	// Jan 1 – Apr 30 (120 days): per month; counted at Feb 1, Mar 1, Apr 1 and May 1 (= now).
	const range = rangeOf({ preset: 'custom', fromDay: '2026-01-01', toDay: '2026-04-30' }, NOW);
	const report = analyticsReport(rows, { ...range, now: NOW });

	it('clients over time: registered by each period end, and active with a grant open then', () => {
		expect(report.granularity).toBe('month');
		expect(
			report.clients.map((p) => [new Date(p.endMs).toISOString().slice(0, 10), p.all, p.active])
		).toEqual([
			// c1, c2, c3; active: c1 (A's 2nd term), c2 (B, and D until its revoke: counted once).
			['2026-02-01', 3, 2],
			// c1 (A until Mar 2), c2 (B's renewal Feb 20 – Mar 22).
			['2026-03-01', 3, 2],
			// c4 is deleted; c1 only (A's 3rd term, H); c2's B ended, D revoked, G not yet.
			['2026-04-01', 3, 1],
			// + c5; c1 (H), c2 (G), c5 (F); c3 holds a lifetime grant but is inactive.
			['2026-05-01', 4, 3]
		]);
	});

	it('the last point is the dashboard definition at now', () => {
		expect(report.clients.at(-1)?.active).toBe(activeClientCount(clients, accesses, NOW));
	});

	it('subscriptions per month: terms sold, new versus renewal', () => {
		expect(report.subscriptions.map((m) => [m.month, m.new, m.renewal])).toEqual([
			['2026-01', 2, 1], // A, B new; A renewed Jan 25
			['2026-02', 2, 1], // C, D new; B renewed
			['2026-03', 1, 1], // H new; A renewed Mar 8
			['2026-04', 2, 0] // G, F new
		]);
	});

	it('renewal rate per month and over the range (lifetime and revoked terms left out)', () => {
		expect(report.renewals.map((m) => [m.month, m.renewed, m.total, m.rate])).toEqual([
			['2026-01', 1, 1, 1], // A's 1st term, renewed before its end
			['2026-02', 0, 1, 0], // B's 1st term, renewed 11 days late
			['2026-03', 1, 2, 0.5], // A's 2nd (within the grace) yes, B's 2nd no, D revoked
			['2026-04', 0, 1, 0] // A's 3rd, ended Apr 7: decided by Apr 14
		]);
		expect(report.renewalOverall).toEqual({ renewed: 2, total: 5, rate: 0.4 });
	});

	it('popular indicators: open grants now, terms sold in the last 30 and 90 days', () => {
		// I1: C and G open (D revoked); G in 30 days; A's Mar 8, C, D, G in 90 (since Jan 31).
		// I2: F and H open; F in 30 days; B's Feb 20, F, H in 90. Tied on both, I1 sold more.
		expect(report.indicators).toEqual([
			{ indicatorId: I1, openGrants: 2, newTerms30: 1, newTerms90: 4 },
			{ indicatorId: I2, openGrants: 2, newTerms30: 1, newTerms90: 3 }
		]);
	});

	it('expirations per week ahead: ends in (now + 7k days, now + 7(k+1) days]', () => {
		expect(report.expirations.map((w) => w.count)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
		expect(report.expirations[0]).toMatchObject({
			startMs: NOW.getTime(),
			endMs: ms('2026-05-08')
		});
	});
});

describe('a short range is counted per week', () => {
	// Apr 1 (a Wednesday) – May 1: weeks from Monday, the first and last cut to the range.
	const report = analyticsReport(rows, {
		...rangeOf({ preset: '30d', fromDay: '', toDay: '' }, NOW),
		now: NOW
	});

	it('clients over time per week', () => {
		expect(report.granularity).toBe('week');
		expect(
			report.clients.map((p) => [new Date(p.startMs).toISOString().slice(0, 10), p.all, p.active])
		).toEqual([
			['2026-04-01', 3, 1], // at Apr 6: c1 (A, H); G starts Apr 8
			['2026-04-06', 3, 2], // at Apr 13: + c2 (G)
			['2026-04-13', 4, 2], // at Apr 20: c5 registered that midnight, F not before Apr 24
			['2026-04-20', 4, 3], // at Apr 27: + c5 (F)
			['2026-04-27', 4, 3] // at May 1
		]);
	});

	it('months cut to the range', () => {
		expect(report.subscriptions).toEqual([
			{ month: '2026-04', startMs: ms('2026-04-01'), endMs: NOW.getTime(), new: 2, renewal: 0 }
		]);
		expect(report.renewalOverall).toEqual({ renewed: 0, total: 1, rate: 0 });
	});
});

describe('ranges', () => {
	const now = new Date('2026-11-28T15:30:00.000Z');

	it('12 months: from the first of the month eleven months back to now', () => {
		const periods = analyticsPeriods({
			...rangeOf({ preset: '12m', fromDay: '', toDay: '' }, now),
			now
		});
		expect(periods.months.map((m) => m.month)).toEqual([
			'2025-12',
			'2026-01',
			'2026-02',
			'2026-03',
			'2026-04',
			'2026-05',
			'2026-06',
			'2026-07',
			'2026-08',
			'2026-09',
			'2026-10',
			'2026-11'
		]);
		expect(periods.months.at(-1)?.endMs).toBe(now.getTime());
	});

	it('a custom range includes its last day, is cut to now, and falls back when invalid', () => {
		expect(rangeOf({ preset: 'custom', fromDay: '2026-03-01', toDay: '2026-03-31' }, now)).toEqual({
			from: new Date(day('2026-03-01')),
			to: new Date(day('2026-04-01'))
		});
		const future = analyticsPeriods({
			from: new Date(day('2026-11-01')),
			to: new Date(day('2027-01-01')),
			now
		});
		expect(future.toMs).toBe(now.getTime());
		expect(rangeOf({ preset: 'custom', fromDay: '2026-03-31', toDay: '2026-03-01' }, now)).toEqual(
			rangeOf({ preset: '12m', fromDay: '', toDay: '' }, now)
		);
	});

	it('decodes device timestamps like Date.parse', () => {
		for (const text of [
			'1969-12-31T23:59:59.999Z',
			'2024-02-29T12:34:56.789Z',
			'2026-05-01T00:00:00Z'
		])
			expect(isoMs(text)).toBe(Date.parse(text));
	});
});

describe('agrees with the shared metric functions on a generated dataset', () => {
	const now = new Date('2026-11-28T00:00:00.000Z');
	const data = buildDataset({ seed: 'analytics', clients: 300, indicators: 6, accesses: 900, now });
	const iso = (d: Date | null) => d?.toISOString() ?? null;
	const deviceRows = {
		clients: data.clients.map((c) => ({
			...c,
			registeredAt: c.registeredAt.toISOString(),
			deletedAt: null
		})),
		accesses: data.accesses.map((a) => ({
			...a,
			endsAt: iso(a.endsAt),
			revokedAt: iso(a.revokedAt),
			deletedAt: null
		})),
		events: data.accessEvents.map((e) => ({
			...e,
			at: e.at.toISOString(),
			previousEndsAt: iso(e.previousEndsAt),
			newEndsAt: iso(e.newEndsAt),
			deletedAt: null
		}))
	};
	const range = rangeOf({ preset: '12m', fromDay: '', toDay: '' }, now);
	const report = analyticsReport(deviceRows, { ...range, now });
	const terms = termsOf(deviceRows.events);

	it('renewal rate per month is renewalRate over that month', () => {
		for (const month of report.renewals)
			expect({ renewed: month.renewed, total: month.total, rate: month.rate }).toEqual(
				renewalRate(terms, new Date(month.startMs), new Date(month.endMs), now)
			);
		expect(report.renewalOverall.total).toBeGreaterThan(0);
	});

	it('popular indicators are popularIndicators, totally ordered', () => {
		expect(report.indicators).toEqual(
			popularIndicators(deviceRows.accesses, terms, now).sort(byPopularity)
		);
	});

	it('the last point counts every client and the active ones', () => {
		expect(report.clients.at(-1)).toMatchObject({
			all: data.clients.length,
			active: activeClientCount(deviceRows.clients, deviceRows.accesses, now)
		});
	});

	it('events in any order give the same terms (grouped by comparison or by the hash table)', () => {
		const key = (t: { accessId: string; atMs: number }) => `${t.accessId} ${t.atMs}`;
		const sortedByGrant = [...deviceRows.events].sort((a, b) =>
			a.accessId < b.accessId ? -1 : a.accessId > b.accessId ? 1 : 0
		);
		const reversed = termsOf([...deviceRows.events].reverse());
		expect(termsOf(sortedByGrant).sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(
			reversed.sort((a, b) => (key(a) < key(b) ? -1 : 1))
		);
		expect(analyticsReport({ ...deviceRows, events: sortedByGrant }, { ...range, now })).toEqual(
			report
		);
	});

	it('subscriptions count every term sold in the range', () => {
		const sold = terms.filter((t) => t.atMs >= range.from.getTime() && t.atMs < now.getTime());
		expect(report.subscriptions.reduce((n, m) => n + m.new + m.renewal, 0)).toBe(sold.length);
		expect(sold.length).toBeGreaterThan(0);
	});
});
