import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../../tests/helpers/db';
import { staffDevice } from '../../../../tests/helpers/staff';
import { makeUser, pullAll } from '../../../../tests/helpers/sync';
import { notificationReads, notifications } from '$lib/server/db/schema';
import type { SessionUser } from '../schemas/user';

describeEachDatabase('notification.markRead: read state per person', (kind) => {
	const database = useTestDatabase(
		kind,
		'clients, notifications, notification_reads, sync_clients, mutation_results, field_writes, record_edits, users'
	);
	let ana: SessionUser;
	let bob: SessionUser;

	beforeEach(async () => {
		ana = await makeUser(database.current.db, 'seller');
		bob = await makeUser(database.current.db, 'support');
	});

	async function notify(userId: string | null = null) {
		const id = uuidv7();
		await database.current.db.insert(notifications).values({
			id,
			kind: 'expiring_7d',
			entity: 'accesses',
			entityId: uuidv7(),
			data: {},
			at: new Date(),
			userId
		});
		return id;
	}
	const markRead = (device: ReturnType<typeof staffDevice>, ids: string[]) =>
		device.applied('notification.markRead', {
			reads: ids.map((notificationId) => ({ notificationId, readId: uuidv7() }))
		});

	it('two devices of one person mark a broadcast once; a colleague still sees it unread', async () => {
		const broadcast = await notify();
		const phone = staffDevice(() => database.current.db, ana);
		const desktop = staffDevice(() => database.current.db, ana);
		await markRead(phone, [broadcast]);
		await markRead(desktop, [broadcast]);
		const reads = await database.current.db
			.select()
			.from(notificationReads)
			.where(eq(notificationReads.notificationId, broadcast));
		expect(reads.map((r) => r.userId)).toEqual([ana.id]);

		const anaPull = await pullAll(database.current.db, ana, uuidv7());
		const bobPull = await pullAll(database.current.db, bob, uuidv7());
		const readsOf = (pages: typeof anaPull.pages) =>
			pages.flatMap((p) => p.rows.notificationReads ?? []);
		expect(readsOf(anaPull.pages)).toHaveLength(1);
		expect(readsOf(bobPull.pages)).toHaveLength(0);
	});

	it('someone else’s personal notification, or one that is gone, is skipped without a refusal', async () => {
		const bobsOwn = await notify(bob.id);
		const mine = await notify(ana.id);
		const device = staffDevice(() => database.current.db, ana);
		await markRead(device, [bobsOwn, uuidv7(), mine]);
		const reads = await database.current.db.select().from(notificationReads);
		expect(reads.map((r) => [r.notificationId, r.userId])).toEqual([[mine, ana.id]]);
	});

	it('a new client is announced to the team, naming who created it', async () => {
		const clientId = await staffDevice(() => database.current.db, ana).client();
		const [note] = await database.current.db
			.select()
			.from(notifications)
			.where(eq(notifications.kind, 'new_client'));
		expect(note).toMatchObject({
			entity: 'clients',
			entityId: clientId,
			userId: null,
			data: { byUserId: ana.id }
		});
	});
});
