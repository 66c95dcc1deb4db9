import 'fake-indexeddb/auto';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationReadRow, NotificationRow } from '$lib/shared/schemas/notification';
import { PineGateDb } from '../db';
import { unreadOverwritten } from './overwritten';

let db: PineGateDb | undefined;
afterEach(async () => {
	await db?.delete();
	db = undefined;
});

const me = uuidv7();
const other = uuidv7();

function notice(overrides: Partial<NotificationRow>): NotificationRow {
	return {
		id: uuidv7(),
		kind: 'edit_overwritten',
		entity: 'clients',
		entityId: uuidv7(),
		data: { field: 'notes' },
		at: '2026-12-01T00:00:00.000Z',
		userId: me,
		version: 1,
		deletedAt: null,
		...overrides
	};
}

function read(notificationId: string, userId: string): NotificationReadRow {
	return {
		id: uuidv7(),
		notificationId,
		userId,
		readAt: '2026-12-01T00:00:00.000Z',
		version: 1,
		deletedAt: null
	};
}

describe('unreadOverwritten', () => {
	it("finds this user's unread notices of the asked records of the entity, by record, in order", async () => {
		db = new PineGateDb(`pinegate-overwritten-${uuidv7()}`);
		await db.open();
		const [a, b, c, d] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
		const first = notice({ entityId: a, data: { field: 'notes' } });
		const second = notice({ entityId: a, data: { field: 'email' } });
		const ofB = notice({ entityId: b });
		const readByMe = notice({ entityId: b });
		const readByOther = notice({ entityId: c });
		await db.notifications.bulkPut([
			second,
			first,
			ofB,
			readByMe,
			readByOther,
			notice({ entityId: a, userId: other }),
			notice({ entityId: a, kind: 'expiry_reminder' }),
			notice({ entityId: a, entity: 'indicators' }),
			notice({ entityId: d })
		]);
		await db.notificationReads.bulkPut([read(readByMe.id, me), read(readByOther.id, other)]);

		const found = await unreadOverwritten(db, 'clients', [a, b, c], me);
		expect([...found.keys()].sort()).toEqual([a, b, c].sort());
		// Oldest first (UUIDv7 ids), as stored.
		expect(found.get(a)?.map((n) => n.id)).toEqual([first.id, second.id].sort());
		expect(found.get(b)?.map((n) => n.id)).toEqual([ofB.id]);
		expect(found.get(c)?.map((n) => n.id)).toEqual([readByOther.id]);

		expect((await unreadOverwritten(db, 'clients', [d], other)).size).toBe(0);
		expect((await unreadOverwritten(db, 'clients', [], me)).size).toBe(0);
		expect((await unreadOverwritten(db, 'clients', [a], null)).size).toBe(0);
		expect((await unreadOverwritten(db, 'indicators', [a], me)).get(a)).toHaveLength(1);
	});
});
