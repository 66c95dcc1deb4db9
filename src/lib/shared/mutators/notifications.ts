import { z } from 'zod';
import { uuidSchema } from '../schemas/common';
import { defineMutator } from '../sync/mutator';

/** At most this many notifications per "Mark all read" (the device sends several if needed). */
export const MARK_READ_BATCH = 200;

/**
 * Marks notifications read for the signed-in person only (read state is per user: a broadcast
 * notification read on the desktop stays unread for a colleague). Each read row's id is chosen by
 * the device; when two devices of one person mark the same notification, the first read wins and
 * the second changes nothing — under a lock, as (notification, user) is unique on the server.
 * Notifications that are gone, or addressed to someone else, are skipped: reading is never refused.
 */
export const notificationMarkRead = defineMutator({
	name: 'notification.markRead',
	args: z.object({
		reads: z
			.array(z.object({ notificationId: uuidSchema, readId: uuidSchema }))
			.min(1)
			.max(MARK_READ_BATCH)
	}),
	permission: 'records.view',
	target: (args) => ({ entity: 'notifications', id: args.reads[0]?.notificationId ?? '' }),
	async apply(tx, { reads }, ctx) {
		const userId = ctx.actor.userId;
		const readAt = ctx.now.toISOString();
		for (const { notificationId, readId } of reads) {
			await tx.lock(`notification-read:${notificationId}:${userId}`);
			const notification = await tx.get('notifications', notificationId);
			if (!notification || (notification.userId !== null && notification.userId !== userId))
				continue;
			const existing = await tx.findBy('notificationReads', 'notificationId', notificationId);
			if (existing.some((read) => read.userId === userId)) continue;
			if (await tx.isDeleted('notificationReads', readId)) continue;
			await tx.insert('notificationReads', { id: readId, notificationId, userId, readAt });
		}
	}
});
