import type { NotificationRow } from '$lib/shared/schemas/notification';
import type { EntityName } from '$lib/shared/sync/entities';
import type { PineGateDb } from '../db';
import { readIds } from '../notifications/feed';

/** No notices (one shared empty list, so rows without notices keep the same value). */
export const noNotices: readonly NotificationRow[] = Object.freeze([]);

/** No record has notices (before the first read). */
export const noOverwritten: ReadonlyMap<string, NotificationRow[]> = new Map();

/**
 * The notices, not yet read by `userId`, that a later edit replaced one of this user's changes to
 * these records of `entity` (DESIGN.md §4.8), by record id. One read for a list's rows: a query per
 * row cost every keystroke of a search fifty IndexedDB transactions and live-query subscriptions.
 */
export async function unreadOverwritten(
	db: PineGateDb,
	entity: EntityName,
	ids: readonly string[],
	userId: string | null
): Promise<ReadonlyMap<string, NotificationRow[]>> {
	const byRecord = new Map<string, NotificationRow[]>();
	if (ids.length === 0 || userId === null) return byRecord;
	const notices = (await db.notifications.where('entityId').anyOf(ids).toArray()).filter(
		(n) => n.kind === 'edit_overwritten' && n.entity === entity && n.userId === userId
	);
	if (notices.length === 0) return byRecord;
	const read = readIds(
		await db.notificationReads
			.where('notificationId')
			.anyOf(notices.map((n) => n.id))
			.toArray(),
		userId
	);
	for (const notice of notices) {
		if (read.has(notice.id) || notice.entityId === null) continue;
		const list = byRecord.get(notice.entityId);
		if (list) list.push(notice);
		else byRecord.set(notice.entityId, [notice]);
	}
	return byRecord;
}
