import type { PineGateDb } from '../db';
import { unreadCount } from './feed';
import { newestFirst } from './page';

/** The bell shows "99+" above this many unread. */
export const UNREAD_SHOWN_MAX = 99;

/**
 * This person's unread notifications, counted only as far as the bell shows them: at most
 * `UNREAD_SHOWN_MAX + 1`. Newest first, a batch at a time with that batch's reads alone
 * (`newestFirst`), until more than the bell shows are found. The bell used to read every
 * notification and every read at each app start and each change: 18,896 reminders on the bench
 * set after its first reminders run, a structured clone of the whole table on every page load
 * (docs/decisions.md §24d).
 */
export async function unreadUpTo(
	db: Pick<PineGateDb, 'notifications' | 'notificationReads'>,
	userId: string
): Promise<number> {
	let unread = 0;
	for await (const { rows, reads } of newestFirst(db)) {
		unread += unreadCount(rows, reads, userId);
		if (unread > UNREAD_SHOWN_MAX) return UNREAD_SHOWN_MAX + 1;
	}
	return unread;
}
