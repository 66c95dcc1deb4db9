import type { PineGateDb } from '../db';
import { unreadCount } from './feed';

/** The bell shows "99+" above this many unread. */
export const UNREAD_SHOWN_MAX = 99;
const BATCH = 200;

/**
 * This person's unread notifications, counted only as far as the bell shows them: at most
 * `UNREAD_SHOWN_MAX + 1`. Newest first (ids are uuidv7), a batch at a time with that batch's reads
 * alone, until more than the bell shows are found. The bell used to read every notification and
 * every read at each app start and each change: 18,896 reminders on the bench set after its first
 * reminders run, a structured clone of the whole table on every page load (docs/decisions.md §24d).
 */
export async function unreadUpTo(
	db: Pick<PineGateDb, 'notifications' | 'notificationReads'>,
	userId: string
): Promise<number> {
	let unread = 0;
	let before: string | undefined;
	for (;;) {
		const batch = await (
			before === undefined
				? db.notifications.orderBy(':id')
				: db.notifications.where(':id').below(before)
		)
			.reverse()
			.limit(BATCH)
			.toArray();
		const last = batch.at(-1);
		if (!last) return unread;
		const reads = await db.notificationReads
			.where('notificationId')
			.anyOf(batch.map((row) => row.id))
			.toArray();
		unread += unreadCount(batch, reads, userId);
		if (unread > UNREAD_SHOWN_MAX) return UNREAD_SHOWN_MAX + 1;
		if (batch.length < BATCH) return unread;
		before = last.id;
	}
}
