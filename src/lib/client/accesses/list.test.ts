import { describe, expect, it } from 'vitest';
import { DAY_MS } from '$lib/shared/grants';
import type { AccessRow } from '$lib/shared/schemas/access';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';
import type { ClientRow } from '$lib/shared/schemas/client';
import {
	accessFiltersToParams,
	countByState,
	defaultAccessFilters,
	endOfTomorrow,
	expiringBefore,
	expiringThisWeek,
	filterAccesses,
	EXPIRING_SHOWN,
	parseAccessFilters,
	shownExpiring,
	unresolvedConflicts,
	withStates
} from './list';
import { deviceAccess } from '../../../../tests/factories/device-rows';

const now = new Date('2026-05-01T12:00:00.000Z');
const at = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
let n = 0;
const grant = (over: Partial<AccessRow>): AccessRow =>
	deviceAccess({
		id: `g${++n}`,
		clientId: 'c1',
		indicatorId: 'i1',
		startsAt: at(-30),
		endsAt: at(30),
		createdAt: at(-30),
		updatedAt: at(-30),
		...over
	});
const client = (id: string, fullName: string, username: string): ClientRow => ({
	id,
	tradingviewUsername: username,
	tvUsernameState: 'unverified',
	email: null,
	fullName,
	registeredAt: at(-100),
	status: 'active',
	notes: null,
	createdAt: at(-100),
	updatedAt: at(-100),
	version: 1,
	deletedAt: null
});
const clients = new Map([
	['c1', client('c1', 'José Núñez', 'jnunez')],
	['c2', client('c2', 'Ann Lee', 'annlee')]
]);

describe('accesses list', () => {
	const rows = [
		grant({ id: 'active', endsAt: at(30) }),
		grant({ id: 'expiring', endsAt: at(3), clientId: 'c2', accessType: 'trial' }),
		grant({ id: 'soon', endsAt: at(0.5), indicatorId: 'i2' }),
		grant({ id: 'expired', endsAt: at(-1), tvState: 'verified' }),
		grant({ id: 'revoked', revokedAt: at(-2) }),
		grant({ id: 'lifetime', endsAt: null })
	];
	const items = withStates(rows, (id) => clients.get(id), now);

	it('counts every state from the server-time estimate', () => {
		expect(countByState(items)).toEqual({ active: 2, expiring: 2, expired: 1, revoked: 1 });
	});

	it('filters by state, indicator, client text (accent-insensitive), type and TradingView state', () => {
		const ids = (f: Partial<typeof defaultAccessFilters>) =>
			filterAccesses(items, { ...defaultAccessFilters, ...f }).map((i) => i.access.id);
		expect(ids({})).toEqual(['soon', 'expiring', 'active', 'lifetime', 'expired', 'revoked']);
		expect(ids({ state: 'expiring' })).toEqual(['soon', 'expiring']);
		expect(ids({ indicator: 'i2' })).toEqual(['soon']);
		expect(ids({ q: 'NUNEZ' })).not.toContain('expiring');
		expect(ids({ q: 'ann' })).toEqual(['expiring']);
		expect(ids({ type: 'trial' })).toEqual(['expiring']);
		expect(ids({ tv: 'verified' })).toEqual(['expired']);
	});

	it('round-trips filters through the URL and ignores unknown values', () => {
		const filters = {
			...defaultAccessFilters,
			state: 'expired' as const,
			q: 'ann',
			type: 'paid' as const,
			page: 3
		};
		expect(parseAccessFilters(accessFiltersToParams(filters))).toEqual(filters);
		expect(parseAccessFilters(new URLSearchParams('state=bogus&type=x&page=-2'))).toEqual(
			defaultAccessFilters
		);
		expect(accessFiltersToParams(defaultAccessFilters).toString()).toBe('');
	});

	it('panels: expiring in 7 days, and by the end of tomorrow', () => {
		expect(expiringThisWeek(items).map((i) => i.access.id)).toEqual(['soon', 'expiring']);
		expect(expiringBefore(items, endOfTomorrow(now, 'UTC')).map((i) => i.access.id)).toEqual([
			'soon'
		]);
	});

	it('names the grants the expiring panels show, once each, for the renewal presets to read', () => {
		const week = withStates(
			Array.from({ length: EXPIRING_SHOWN + 5 }, (_, i) =>
				grant({ id: `w${String(i).padStart(2, '0')}`, endsAt: at(1 + i / 10) })
			),
			(id) => clients.get(id),
			now
		);
		const sorted = expiringThisWeek(week);
		const tomorrow = expiringBefore(sorted, endOfTomorrow(now, 'UTC'));
		const ids = shownExpiring(sorted, tomorrow).map((item) => item.access.id);
		// The week's first rows, the soonest first; tomorrow's are among them and are not repeated.
		expect(ids).toEqual(sorted.slice(0, EXPIRING_SHOWN).map((item) => item.access.id));
		expect(tomorrow.length).toBeGreaterThan(0);
		// A panel's rows beyond the shown ones are left out; another panel's rows are added.
		const other = [grant({ id: 'other', endsAt: at(2) })];
		const more = withStates(other, (id) => clients.get(id), now);
		expect(shownExpiring(sorted, more).map((item) => item.access.id)).toEqual([...ids, 'other']);
		expect(shownExpiring()).toEqual([]);
	});

	it('the end of tomorrow is local midnight, across a DST change', () => {
		expect(endOfTomorrow(new Date('2026-05-01T23:30:00Z'), 'UTC').toISOString()).toBe(
			'2026-05-03T00:00:00.000Z'
		);
		// 00:30 on 1 May in Madrid is still 30 April in UTC.
		expect(endOfTomorrow(new Date('2026-04-30T22:30:00Z'), 'Europe/Madrid').toISOString()).toBe(
			'2026-05-02T22:00:00.000Z'
		);
		// Spring forward in New York on 8 March 2026: midnight of 9 March is 04:00 UTC, not 05:00.
		expect(endOfTomorrow(new Date('2026-03-07T15:00:00Z'), 'America/New_York').toISOString()).toBe(
			'2026-03-09T04:00:00.000Z'
		);
	});

	it('a conflict stays unresolved until a conflict_resolved event names it', () => {
		const event = (id: string, kind: AccessEventRow['kind'], related: string | null) =>
			({ id, kind, relatedEventId: related, at: at(0) }) as AccessEventRow;
		const events = [
			event('r1', 'renewed', null),
			event('x1', 'conflict_flagged', 'r1'),
			event('x2', 'conflict_flagged', 'r2'),
			event('s1', 'conflict_resolved', 'x1')
		];
		expect(unresolvedConflicts(events).map((e) => e.id)).toEqual(['x2']);
	});
});
