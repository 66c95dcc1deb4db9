import { uuidv7 } from 'uuidv7';
import { MARK_READ_BATCH, notificationMarkRead } from '$lib/shared/mutators/notifications';
import { mutate } from '../sync/sync.svelte';

/** Marks these notifications read for the signed-in person, in batches the mutator accepts. */
export async function markRead(notificationIds: readonly string[]): Promise<void> {
	for (let i = 0; i < notificationIds.length; i += MARK_READ_BATCH) {
		const reads = notificationIds
			.slice(i, i + MARK_READ_BATCH)
			.map((notificationId) => ({ notificationId, readId: uuidv7() }));
		await mutate(notificationMarkRead, { reads });
	}
}
