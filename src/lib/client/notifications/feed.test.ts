import { describe, expect, it } from 'vitest';
import type { NotificationReadRow, NotificationRow } from '$lib/shared/schemas/notification';
import { translate } from '$lib/shared/i18n';
import { feedItems, messageParams, namedIds, unreadCount } from './feed';

const ME = '0190a000-0000-7000-8000-000000000001';
const COLLEAGUE = '0190a000-0000-7000-8000-000000000002';
const CLIENT = '0190a000-0000-7000-8000-00000000c001';
const INDICATOR = '0190a000-0000-7000-8000-00000000i001'.replace('i', 'a');
const ACCESS = '0190a000-0000-7000-8000-00000000a0c1';

let n = 0;
function note(overrides: Partial<NotificationRow>): NotificationRow {
	n += 1;
	return {
		id: `0190a000-0000-7000-8000-0000000010${String(n).padStart(2, '0')}`,
		kind: 'expiring_7d',
		entity: 'accesses',
		entityId: ACCESS,
		data: { clientId: CLIENT, indicatorId: INDICATOR, endsAt: '2026-03-08T10:00:00.000Z' },
		at: `2026-03-01T10:00:${String(n).padStart(2, '0')}.000Z`,
		userId: null,
		version: n,
		deletedAt: null,
		...overrides
	};
}
const read = (notificationId: string, userId = ME): NotificationReadRow => ({
	id: `${notificationId.slice(0, -4)}ffff`,
	notificationId,
	userId,
	readAt: '2026-03-02T00:00:00.000Z',
	version: 100,
	deletedAt: null
});
const names = {
	client: (id: string | undefined) => (id === CLIENT ? 'Ana Pérez' : undefined),
	indicator: (id: string | undefined) => (id === INDICATOR ? 'Trend Pro' : undefined)
};

describe('notification feed', () => {
	const everyone = note({});
	const mine = note({
		kind: 'edit_overwritten',
		entity: 'clients',
		entityId: CLIENT,
		userId: ME,
		data: { field: 'notes' }
	});
	const theirs = note({ kind: 'edit_overwritten', userId: COLLEAGUE });
	const session = note({
		kind: 'tradingview_session_expired',
		entity: 'tradingview_session',
		entityId: null,
		data: {}
	});
	const deleted = note({ deletedAt: '2026-03-03T00:00:00.000Z' });
	const rows = [everyone, mine, theirs, session, deleted];

	it('counts per person: a colleague reading a broadcast does not read it for me', () => {
		expect(unreadCount(rows, [], ME)).toBe(3);
		expect(unreadCount(rows, [read(everyone.id, COLLEAGUE)], ME)).toBe(3);
		expect(unreadCount(rows, [read(everyone.id)], ME)).toBe(2);
		expect(unreadCount(rows, [], COLLEAGUE)).toBe(3);
	});

	it('lists mine and everyone’s, newest first, with names, links and read state', () => {
		const items = feedItems(rows, [read(mine.id)], ME, names);
		expect(items.map((i) => i.id)).toEqual([session.id, mine.id, everyone.id]);
		expect(items.map((i) => i.read)).toEqual([false, true, false]);
		expect(items[2]).toMatchObject({
			message: 'notifications.kinds.expiring_7d',
			params: { client: 'Ana Pérez', indicator: 'Trend Pro', date: '2026-03-08T10:00:00.000Z' },
			target: { page: 'access', id: ACCESS }
		});
		expect(items[1]?.target).toEqual({ page: 'client', id: CLIENT });
		expect(items[0]?.target).toEqual({ page: 'settings' });
	});

	it('renders every kind in both languages, and an unknown kind without failing', () => {
		const kinds = [
			'expiring_7d',
			'expiring_1d',
			'expired',
			'tradingview_sync_failed',
			'new_client',
			'double_renewal',
			'mystery'
		];
		const items = feedItems(
			kinds.map((kind) => note({ kind })),
			[],
			ME,
			names
		);
		for (const item of items) {
			const params = messageParams(item, (iso) => iso.slice(0, 10));
			for (const locale of ['en', 'es'] as const) {
				const textOf = translate(locale, item.message, params);
				expect(textOf).not.toMatch(/[{}]/);
				if (item.kind !== 'mystery' && item.kind !== 'new_client')
					expect(textOf).toContain('Trend Pro');
			}
		}
		expect(items.find((i) => i.kind === 'mystery')?.message).toBe('notifications.kinds.unknown');
		expect(
			translate(
				'en',
				'notifications.kinds.expiring_1d',
				messageParams(
					items.find((i) => i.kind === 'expiring_1d')!,
					(iso) => iso.slice(0, 10)
				)
			)
		).toBe('Ana Pérez · Trend Pro ends tomorrow or sooner (2026-03-08).');
	});

	it('a new client is unread for the team but not for the person who created it', () => {
		const created = note({
			kind: 'new_client',
			entity: 'clients',
			entityId: CLIENT,
			data: { byUserId: ME }
		});
		expect(unreadCount([created], [], ME)).toBe(0);
		expect(unreadCount([created], [], COLLEAGUE)).toBe(1);
		expect(feedItems([created], [], COLLEAGUE, names)[0]).toMatchObject({
			read: false,
			params: { client: 'Ana Pérez' },
			target: { page: 'client', id: CLIENT }
		});
	});

	it('links indicators, and nothing for a record kind it cannot open or a missing id', () => {
		const rows = [
			note({ entity: 'indicators', entityId: INDICATOR, data: { indicatorId: INDICATOR } }),
			note({ entity: 'accesses', entityId: null }),
			note({ entity: 'transactions', entityId: ACCESS, data: 'not an object' })
		];
		const items = feedItems(rows, [], ME, names);
		expect(items.map((i) => i.target)).toEqual([null, null, { page: 'indicator', id: INDICATOR }]);
		// Data that is not an object names nobody, and every missing name becomes a dash.
		const params = messageParams(items[0]!, () => 'never called');
		expect(params).toEqual({
			client: '—',
			indicator: '—',
			date: '—',
			reason: '—',
			field: '—',
			entity: 'transactions'
		});
	});

	it('falls back to the username the notification carried when the client is not on the device', () => {
		const row = note({
			kind: 'new_client',
			entity: 'clients',
			entityId: '0190a000-0000-7000-8000-00000000ffff',
			data: { username: 'tv_newbie', reason: 'TV_TIMEOUT' }
		});
		expect(feedItems([row], [], ME, names)[0]?.params).toMatchObject({
			client: 'tv_newbie',
			reason: 'TV_TIMEOUT'
		});
	});

	it('names only the clients and indicators the notifications point at, once each', () => {
		const other = '0190a000-0000-7000-8000-00000000c002';
		const ids = namedIds([
			note({}),
			note({}),
			note({ entity: 'clients', entityId: other, data: {} }),
			note({ entity: 'clients', entityId: null, data: null })
		]);
		expect(ids.clientIds.sort()).toEqual([CLIENT, other].sort());
		expect(ids.indicatorIds).toEqual([INDICATOR]);
	});
});
