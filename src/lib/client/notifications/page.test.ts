import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationReadRow, NotificationRow } from '$lib/shared/schemas/notification';
import { PineGateDb } from '../db';
import { feedItems } from './feed';
import { feedPage, unreadIds } from './page';

const me = uuidv7();
const other = uuidv7();
const names = { client: () => undefined, indicator: () => undefined };

let db: PineGateDb;
beforeAll(async () => {
	db = new PineGateDb(`pinegate-feed-page-${uuidv7()}`);
	await db.open();
});
afterAll(async () => {
	await db.delete();
});

const spec = fc.record({
	/** Few distinct times, so that rows share one and the id orders them. */
	minute: fc.nat({ max: 20 }),
	owner: fc.constantFrom<'me' | 'other' | 'all'>('me', 'other', 'all'),
	deleted: fc.boolean(),
	readByMe: fc.boolean(),
	readByOther: fc.boolean(),
	mine: fc.boolean()
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

function rowsOf(specs: readonly Spec[]) {
	return specs.map((s) => {
		const row: NotificationRow = {
			id: uuidv7(),
			kind: 'expiring_7d',
			entity: 'accesses',
			entityId: uuidv7(),
			// A notice about what this person did counts as read (feed.ts, isReadBy).
			data: s.mine ? { byUserId: me } : {},
			at: new Date(Date.UTC(2026, 10, 1, 0, s.minute)).toISOString(),
			userId: s.owner === 'me' ? me : s.owner === 'other' ? other : null,
			version: 1,
			deletedAt: s.deleted ? '2026-11-02T00:00:00.000Z' : null
		};
		const reads: NotificationReadRow[] = [];
		const read = (userId: string) =>
			reads.push({
				id: uuidv7(),
				notificationId: row.id,
				userId,
				readAt: '2026-11-02T00:00:00.000Z',
				version: 1,
				deletedAt: null
			});
		if (s.readByMe) read(me);
		if (s.readByOther) read(other);
		return { row, reads };
	});
}

describe('feedPage', () => {
	it("lists what the whole table's feed lists, newest first, a page at a time", async () => {
		// Up to 450 rows: more than two of the page's batches of 200.
		await fc.assert(
			fc.asyncProperty(
				fc.array(spec, { maxLength: 450, size: 'max' }),
				fc.integer({ min: 1, max: 260 }),
				fc.boolean(),
				async (specs, limit, onlyUnread) => {
					const made = rowsOf(specs);
					const rows = made.map((m) => m.row);
					const reads = made.flatMap((m) => m.reads);
					await db.notifications.clear();
					await db.notificationReads.clear();
					await db.notifications.bulkPut(rows);
					await db.notificationReads.bulkPut(reads);

					const all = feedItems(rows, reads, me, names).filter((i) => !onlyUnread || !i.read);
					const page = await feedPage(db, me, { limit, onlyUnread });
					const items = feedItems(page.rows, page.reads, me, names);
					expect(items).toEqual(all.slice(0, limit));
					expect(page.more).toBe(all.length > limit);

					const unread = feedItems(rows, reads, me, names).filter((i) => !i.read);
					expect(await unreadIds(db, me)).toEqual(unread.map((i) => i.id));
				}
			),
			{ numRuns: 25 }
		);
	});
});
