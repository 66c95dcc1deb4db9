import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationReadRow, NotificationRow } from '$lib/shared/schemas/notification';
import { PineGateDb } from '../db';
import { unreadCount } from './feed';
import { UNREAD_SHOWN_MAX, unreadUpTo } from './unread';

const ME = '0190a000-0000-7000-8000-000000000001';
const COLLEAGUE = '0190a000-0000-7000-8000-000000000002';
let counter = 0;
const opened: PineGateDb[] = [];

afterEach(async () => {
	for (const db of opened.splice(0)) await db.delete();
});

const id = (n: number, tail: string) =>
	`0190a000-0000-7000-8000-${tail}${String(n).padStart(8, '0')}`;

/** One notification: to everyone or one person, maybe deleted, maybe of my own doing, maybe read. */
const spec = fc.record({
	to: fc.constantFrom(null, ME, COLLEAGUE),
	deleted: fc.boolean(),
	mine: fc.boolean(),
	readBy: fc.constantFrom(null, ME, COLLEAGUE)
});

async function deviceWith(rows: NotificationRow[], reads: NotificationReadRow[]) {
	const db = new PineGateDb(`pinegate-unread-${++counter}`);
	await db.open();
	opened.push(db);
	await db.notifications.bulkPut(rows);
	await db.notificationReads.bulkPut(reads);
	return db;
}

function notification(n: number, userId: string | null = null): NotificationRow {
	return {
		id: id(n, '0000'),
		kind: 'expiring_7d',
		entity: 'accesses',
		entityId: id(n, 'aaaa'),
		data: {},
		at: '2026-03-01T10:00:00.000Z',
		userId,
		version: n + 1,
		deletedAt: null
	};
}

const readOf = (n: number, userId = ME): NotificationReadRow => ({
	id: id(n, 'ffff'),
	notificationId: id(n, '0000'),
	userId,
	readAt: '2026-03-02T00:00:00.000Z',
	version: n + 1,
	deletedAt: null
});

describe('unreadUpTo', () => {
	it('counts the one unread notification where one batch ends and the next begins once', async () => {
		// Newest first in batches of 200: of 250, the first batch ends at number 50.
		const rows = Array.from({ length: 250 }, (_, n) => notification(n));
		const reads = rows.flatMap((_, n) => (n === 50 ? [] : [readOf(n)]));
		expect(await unreadUpTo(await deviceWith(rows, reads), ME)).toBe(1);
	});

	it('counts as the whole table does, up to one more than the bell shows', async () => {
		await fc.assert(
			fc.asyncProperty(
				// Long runs of one kind, so a batch can hold only read ones and the count goes on.
				fc.array(fc.tuple(spec, fc.integer({ min: 1, max: 180 })), { maxLength: 6 }),
				async (runs) => {
					const rows: NotificationRow[] = [];
					const reads: NotificationReadRow[] = [];
					for (const [note, length] of runs)
						for (let k = 0; k < length; k++) {
							const n = rows.length;
							rows.push({
								...notification(n, note.to),
								...(note.mine ? { kind: 'client_created', data: { byUserId: ME } } : {}),
								deletedAt: note.deleted ? '2026-03-02T00:00:00.000Z' : null
							});
							if (note.readBy) reads.push(readOf(n, note.readBy));
						}
					const db = await deviceWith(rows, reads);
					for (const user of [ME, COLLEAGUE])
						expect(await unreadUpTo(db, user)).toBe(
							Math.min(unreadCount(rows, reads, user), UNREAD_SHOWN_MAX + 1)
						);
				}
			),
			{ numRuns: 25 }
		);
	});
});
