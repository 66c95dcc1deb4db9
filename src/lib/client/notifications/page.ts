import type { NotificationReadRow, NotificationRow } from '$lib/shared/schemas/notification';
import type { PineGateDb } from '../db';
import { isReadBy, isVisibleTo, readIds } from './feed';

type Notifications = Pick<PineGateDb, 'notifications' | 'notificationReads'>;

const BATCH = 200;

/**
 * Every notification, newest first (by `at`, then id, as the page lists them), a batch at a time
 * with that batch's reads, for readers that stop early: the page and the bell used to read the
 * whole table and every read, at each change: 18,896 reminders on the bench set
 * (docs/decisions.md §24d, §24e).
 */
export async function* newestFirst(
	db: Notifications
): AsyncGenerator<{ rows: NotificationRow[]; reads: NotificationReadRow[] }> {
	let before: [string, string] | undefined;
	for (;;) {
		const rows = await (
			before === undefined
				? db.notifications.orderBy('[at+id]')
				: db.notifications.where('[at+id]').below(before)
		)
			.reverse()
			.limit(BATCH)
			.toArray();
		const last = rows.at(-1);
		if (!last) return;
		const reads = await db.notificationReads
			.where('notificationId')
			.anyOf(rows.map((row) => row.id))
			.toArray();
		yield { rows, reads };
		if (rows.length < BATCH) return;
		before = [last.at, last.id];
	}
}

/**
 * The first `limit` notifications this person sees (only the unread ones when asked), newest
 * first, with their reads, and whether there are more.
 */
export async function feedPage(
	db: Notifications,
	userId: string,
	options: { limit: number; onlyUnread: boolean }
): Promise<{ rows: NotificationRow[]; reads: NotificationReadRow[]; more: boolean }> {
	const rows: NotificationRow[] = [];
	const reads: NotificationReadRow[] = [];
	for await (const batch of newestFirst(db)) {
		const read = readIds(batch.reads, userId);
		reads.push(...batch.reads);
		for (const row of batch.rows) {
			if (!isVisibleTo(row, userId)) continue;
			if (options.onlyUnread && isReadBy(row, read, userId)) continue;
			if (rows.length === options.limit) return { rows, reads, more: true };
			rows.push(row);
		}
	}
	return { rows, reads, more: false };
}

/** The ids of every notification this person has not read ("Mark all as read"). */
export async function unreadIds(db: Notifications, userId: string): Promise<string[]> {
	const ids: string[] = [];
	for await (const batch of newestFirst(db)) {
		const read = readIds(batch.reads, userId);
		for (const row of batch.rows)
			if (isVisibleTo(row, userId) && !isReadBy(row, read, userId)) ids.push(row.id);
	}
	return ids;
}
