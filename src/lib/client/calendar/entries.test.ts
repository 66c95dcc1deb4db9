import { describe, expect, it } from 'vitest';
import type { AccessRow } from '$lib/shared/schemas/access';
import {
	agenda,
	expirationState,
	expirations,
	groupByDay,
	hasExpiration,
	monthDays,
	upcoming,
	type Expiration
} from './entries';

type Grant = Parameters<typeof expirations>[0][number];

let serial = 0;
function grant(endsAt: string | null, extra: Partial<AccessRow> = {}): Grant {
	serial += 1;
	return {
		id: `0190-${String(serial).padStart(4, '0')}`,
		clientId: 'client-1',
		indicatorId: 'indicator-1',
		endsAt,
		revokedAt: null,
		accessType: 'paid',
		updatedAt: '2026-01-01T00:00:00.000Z',
		deletedAt: null,
		...extra
	};
}

const clients = new Map([
	['client-1', { tradingviewUsername: 'trader_joe', fullName: 'Joe Trader' }],
	['client-2', { tradingviewUsername: 'pine_ann', fullName: null }]
]);
const indicators = new Map([['indicator-1', { name: 'Trend Pulse' }]]);

describe('what the calendar shows', () => {
	it('keeps grants with an end that are neither revoked nor deleted', () => {
		expect(hasExpiration(grant('2026-11-14T10:00:00Z'))).toBe(true);
		expect(hasExpiration(grant(null))).toBe(false);
		expect(
			hasExpiration(grant('2026-11-14T10:00:00Z', { revokedAt: '2026-11-01T00:00:00Z' }))
		).toBe(false);
		expect(
			hasExpiration(grant('2026-11-14T10:00:00Z', { deletedAt: '2026-11-01T00:00:00Z' }))
		).toBe(false);
	});

	it('lists expirations earliest first with names, on their day in the zone', () => {
		const later = grant('2026-11-20T09:00:00Z', { clientId: 'client-2' });
		const lifetime = grant(null);
		const earlier = grant('2026-11-14T23:30:00Z');
		const revoked = grant('2026-11-15T00:00:00Z', { revokedAt: '2026-11-10T00:00:00Z' });
		const list = expirations(
			[later, lifetime, earlier, revoked],
			clients,
			indicators,
			'Europe/Madrid'
		);
		expect(list.map((e) => e.accessId)).toEqual([earlier.id, later.id]);
		expect(list[0]).toMatchObject({
			day: '2026-11-15', // 23:30Z is 00:30 on the 15th in Madrid
			clientUsername: 'trader_joe',
			clientFullName: 'Joe Trader',
			indicatorName: 'Trend Pulse',
			endsMs: Date.parse('2026-11-14T23:30:00Z')
		});
		expect(list[1]).toMatchObject({ day: '2026-11-20', clientUsername: 'pine_ann' });
	});

	it('keeps an expiration whose client or indicator has not synced yet, without names', () => {
		const [orphan] = expirations(
			[grant('2026-11-14T10:00:00Z', { clientId: 'missing', indicatorId: 'missing' })],
			clients,
			indicators,
			'UTC'
		);
		expect(orphan).toMatchObject({ clientUsername: null, indicatorName: null });
	});

	it('breaks ties on the same instant by grant id, whatever the input order', () => {
		const a = grant('2026-11-14T10:00:00Z');
		const b = grant('2026-11-14T10:00:00Z');
		const ids = (list: Expiration[]) => list.map((e) => e.accessId);
		expect(ids(expirations([b, a], clients, indicators, 'UTC'))).toEqual([a.id, b.id]);
		expect(ids(expirations([a, b], clients, indicators, 'UTC'))).toEqual([a.id, b.id]);
	});
});

describe('expirationState', () => {
	const endsAt = '2026-11-14T12:00:00.000Z';
	const end = Date.parse(endsAt);
	const day = 86_400_000;
	it('is expiring within 7 days, active before, expired at the end', () => {
		expect(expirationState({ endsAt }, end - 7 * day - 1)).toBe('active');
		expect(expirationState({ endsAt }, end - 7 * day)).toBe('expiring');
		expect(expirationState({ endsAt }, end - 1)).toBe('expiring');
		expect(expirationState({ endsAt }, end)).toBe('expired');
	});
});

describe('grouping by day, agenda and month lists', () => {
	const list = expirations(
		[
			grant('2026-11-14T08:00:00Z'),
			grant('2026-11-14T21:00:00Z'),
			grant('2026-11-16T10:00:00Z'),
			grant('2026-11-30T22:59:00Z'),
			grant('2026-11-30T23:00:00Z'),
			grant('2026-12-02T10:00:00Z')
		],
		clients,
		indicators,
		'Europe/Madrid'
	);
	const byDay = groupByDay(list);

	it('groups by local day, keeping each day in time order', () => {
		expect([...byDay.keys()]).toEqual([
			'2026-11-14',
			'2026-11-16',
			'2026-11-30',
			'2026-12-01',
			'2026-12-02'
		]);
		expect(byDay.get('2026-11-14')?.map((e) => e.endsAt)).toEqual([
			'2026-11-14T08:00:00Z',
			'2026-11-14T21:00:00Z'
		]);
		// 23:59 local on the 30th stays in November; local midnight opens December.
		expect(byDay.get('2026-11-30')).toHaveLength(1);
		expect(byDay.get('2026-12-01')?.[0]?.endsAt).toBe('2026-11-30T23:00:00Z');
	});

	it('lists the agenda from a day, whole days, up to a number of entries', () => {
		const all = agenda(byDay, '2026-11-15', 100);
		expect(all.days.map((d) => d.day)).toEqual([
			'2026-11-16',
			'2026-11-30',
			'2026-12-01',
			'2026-12-02'
		]);
		expect(all.more).toBe(false);
		// Two entries wanted: the 14th alone already has two, so it stops there and says more follow.
		const first = agenda(byDay, '2026-11-14', 2);
		expect(first.days.map((d) => d.day)).toEqual(['2026-11-14']);
		expect(first.more).toBe(true);
		// Three wanted: the 16th brings it to three; a day is never cut in half.
		expect(agenda(byDay, '2026-11-14', 3).days.map((d) => d.day)).toEqual([
			'2026-11-14',
			'2026-11-16'
		]);
		expect(agenda(byDay, '2026-12-03', 10)).toEqual({ days: [], more: false });
	});

	it('lists the days of one month that have expirations', () => {
		expect(monthDays(byDay, '2026-11').map((d) => d.day)).toEqual([
			'2026-11-14',
			'2026-11-16',
			'2026-11-30'
		]);
		expect(monthDays(byDay, '2026-10')).toEqual([]);
	});

	it('exports only what ends after now', () => {
		const now = Date.parse('2026-11-14T21:00:00Z');
		// The 21:00Z end is exactly now: it has ended, so it is not upcoming.
		expect(upcoming(list, now).map((e) => e.endsAt)).toEqual([
			'2026-11-16T10:00:00Z',
			'2026-11-30T22:59:00Z',
			'2026-11-30T23:00:00Z',
			'2026-12-02T10:00:00Z'
		]);
	});
});
