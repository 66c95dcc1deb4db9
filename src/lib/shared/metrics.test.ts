import { describe, expect, it } from 'vitest';
import type { AccessEventRow } from './schemas/access-event';
import {
	activeClientCount,
	indicatorMetrics,
	popularIndicators,
	renewalRate,
	subscriptionsPerMonth,
	termsOf
} from './metrics';

const C1 = 'c1';
const I1 = 'i1';
const I2 = 'i2';

let eventCount = 0;
function event(
	accessId: string,
	kind: AccessEventRow['kind'],
	at: string,
	previousEndsAt: string | null,
	newEndsAt: string | null,
	indicatorId = I1,
	clientId = C1
) {
	const id = `e${++eventCount}`;
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

// Hand-computed fixture. Grant A: granted Jan 1 for 30 days (ends Jan 31), renewed Jan 25 (before
// the end) → term 2 Jan 31 – Mar 2, renewed Mar 8 (6 days after the end, within the grace) → term 3
// Mar 8 – Apr 7, never renewed. Grant B: granted Jan 10 → Feb 9, renewed Feb 20 (11 days late, so
// term 1 counts as not renewed) → Feb 20 – Mar 22. Grant C: lifetime. Grant D: Feb 1 → Mar 3,
// revoked Feb 15.
const events = [
	event('A', 'granted', '2026-01-01T00:00:00.000Z', null, '2026-01-31T00:00:00.000Z'),
	event(
		'A',
		'renewed',
		'2026-01-25T00:00:00.000Z',
		'2026-01-31T00:00:00.000Z',
		'2026-03-02T00:00:00.000Z'
	),
	event(
		'A',
		'renewed',
		'2026-03-08T00:00:00.000Z',
		'2026-03-02T00:00:00.000Z',
		'2026-04-07T00:00:00.000Z'
	),
	event('B', 'granted', '2026-01-10T00:00:00.000Z', null, '2026-02-09T00:00:00.000Z', I2),
	event(
		'B',
		'renewed',
		'2026-02-20T00:00:00.000Z',
		'2026-02-09T00:00:00.000Z',
		'2026-03-22T00:00:00.000Z',
		I2
	),
	event('C', 'granted', '2026-02-05T00:00:00.000Z', null, null),
	event('D', 'granted', '2026-02-01T00:00:00.000Z', null, '2026-03-03T00:00:00.000Z', I2),
	event('D', 'revoked', '2026-02-15T00:00:00.000Z', '2026-03-03T00:00:00.000Z', null, I2)
];
const now = new Date('2026-05-01T00:00:00.000Z');

describe('terms', () => {
	const terms = termsOf(events);

	it('one term per granted or renewed event, renewals starting at max(event, previous end)', () => {
		expect(
			terms.map((t) => [
				t.accessId,
				t.kind,
				t.startsAt.slice(0, 10),
				t.endsAt?.slice(0, 10) ?? null
			])
		).toEqual([
			['A', 'new', '2026-01-01', '2026-01-31'],
			['A', 'renewal', '2026-01-31', '2026-03-02'],
			['A', 'renewal', '2026-03-08', '2026-04-07'],
			['B', 'new', '2026-01-10', '2026-02-09'],
			['B', 'renewal', '2026-02-20', '2026-03-22'],
			['C', 'new', '2026-02-05', null],
			['D', 'new', '2026-02-01', '2026-03-03']
		]);
	});

	it('renewed when renewed before the end or within 7 days after it', () => {
		expect(terms.map((t) => t.renewed)).toEqual([true, true, false, false, false, false, false]);
		expect(terms.find((t) => t.accessId === 'D')?.revoked).toBe(true);
	});

	it('renewal rate per period excludes lifetime and revoked terms', () => {
		// Ending in January: A1 (renewed) → 1/1.
		expect(renewalRate(terms, new Date('2026-01-01Z'), new Date('2026-02-01Z'), now)).toEqual({
			renewed: 1,
			total: 1,
			rate: 1
		});
		// Ending in February: B1 (not renewed in time) → 0/1.
		expect(renewalRate(terms, new Date('2026-02-01Z'), new Date('2026-03-01Z'), now)).toEqual({
			renewed: 0,
			total: 1,
			rate: 0
		});
		// Ending in March: A2 (renewed within grace), B2 (not), D (revoked: excluded) → 1/2.
		expect(renewalRate(terms, new Date('2026-03-01Z'), new Date('2026-04-01Z'), now)).toEqual({
			renewed: 1,
			total: 2,
			rate: 0.5
		});
		// Overall: A1, A2, A3, B1, B2 → 2/5.
		expect(renewalRate(terms, new Date(0), new Date('2100-01-01Z'), now)).toEqual({
			renewed: 2,
			total: 5,
			rate: 0.4
		});
	});

	it('a term that ended less than 7 days ago and is not renewed yet is undecided', () => {
		const early = new Date('2026-04-10T00:00:00.000Z'); // A3 ended Apr 7
		expect(renewalRate(terms, new Date('2026-04-01Z'), new Date('2026-05-01Z'), early)).toEqual({
			renewed: 0,
			total: 0,
			rate: null
		});
		const later = new Date('2026-04-15T00:00:00.000Z');
		expect(renewalRate(terms, new Date('2026-04-01Z'), new Date('2026-05-01Z'), later)).toEqual({
			renewed: 0,
			total: 1,
			rate: 0
		});
	});

	it('subscriptions per month split new grants and renewals', () => {
		expect(subscriptionsPerMonth(terms, new Date('2026-03-15Z'), 3)).toEqual([
			{ month: '2026-01', new: 2, renewal: 1 },
			{ month: '2026-02', new: 2, renewal: 1 },
			{ month: '2026-03', new: 0, renewal: 1 }
		]);
	});
});

describe('grant counts', () => {
	const at = '2026-01-01T00:00:00.000Z';
	const accesses = [
		{
			clientId: 'c1',
			indicatorId: I1,
			revokedAt: null,
			endsAt: '2026-05-05T00:00:00.000Z',
			deletedAt: null
		}, // expiring
		{ clientId: 'c1', indicatorId: I2, revokedAt: null, endsAt: null, deletedAt: null }, // lifetime
		{
			clientId: 'c2',
			indicatorId: I1,
			revokedAt: null,
			endsAt: '2026-04-01T00:00:00.000Z',
			deletedAt: null
		}, // expired
		{ clientId: 'c3', indicatorId: I1, revokedAt: at, endsAt: null, deletedAt: null }, // revoked
		{
			clientId: 'c4',
			indicatorId: I1,
			revokedAt: null,
			endsAt: '2026-09-01T00:00:00.000Z',
			deletedAt: null
		} // active
	];
	const clients = [
		{ id: 'c1', status: 'active' as const, deletedAt: null },
		{ id: 'c2', status: 'active' as const, deletedAt: null },
		{ id: 'c3', status: 'active' as const, deletedAt: null },
		{ id: 'c4', status: 'inactive' as const, deletedAt: null }
	];

	it('active clients: status active and an active or expiring grant', () => {
		expect(activeClientCount(clients, accesses, now)).toBe(1);
	});

	it('indicator metrics: open grants, expiring in 7 days, all grants', () => {
		expect(indicatorMetrics(I1, accesses, [], now)).toMatchObject({
			activeUsers: 2,
			expiringIn7Days: 1,
			totalGrants: 4
		});
		expect(indicatorMetrics(I2, accesses, [], now)).toMatchObject({
			activeUsers: 1,
			expiringIn7Days: 0,
			totalGrants: 1
		});
	});

	it('popular indicators rank by open grants and count recent terms', () => {
		const terms = termsOf(events);
		const ranking = popularIndicators(accesses, terms, new Date('2026-03-10T00:00:00.000Z'));
		expect(ranking[0]).toMatchObject({ indicatorId: I1, openGrants: 3 });
		// I1 terms sold Jan 1, Jan 25, Mar 8, Feb 5 → 30 days before Mar 10: Mar 8 only; 90 days: all 4.
		expect(ranking.find((r) => r.indicatorId === I1)).toMatchObject({
			newTerms30: 1,
			newTerms90: 4
		});
	});
});
