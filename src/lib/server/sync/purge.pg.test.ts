import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { clientDelete, clientUpdate } from '$lib/shared/mutators';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { SessionUser } from '$lib/shared/schemas/user';
import { entityNames } from '$lib/shared/sync/entities';
import { testClock } from '../clock';
import { accesses, clients, fieldWrites, mutationResults, syncState } from '../db/schema';
import { appJobs } from '../jobs/jobs';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import {
	createDevice,
	prng,
	retireEngines,
	type SimulatedDevice
} from '../../../../tests/helpers/devices';
import { staffDevice } from '../../../../tests/helpers/staff';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import { toWireRow } from './tables';
import {
	MUTATION_RESULT_RETENTION_DAYS,
	PURGE_ORDER,
	TOMBSTONE_RETENTION_DAYS,
	purgeSyncHistory
} from './purge';

const T0 = new Date('2026-01-10T12:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

it('purges every synced entity, children before parents', () => {
	expect([...PURGE_ORDER].sort()).toEqual([...entityNames].sort());
	expect(PURGE_ORDER.indexOf('accessEvents')).toBeLessThan(PURGE_ORDER.indexOf('accesses'));
	expect(PURGE_ORDER.indexOf('accesses')).toBeLessThan(PURGE_ORDER.indexOf('clients'));
	expect(appJobs.get('sync-purge')?.schedule).toBe('0 4 * * *');
});

describeEachDatabase('purge of old tombstones and mutation results', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		testClock.set(T0);
		await database.exec(
			'truncate clients, indicators, accesses, access_events, notifications, sync_clients, mutation_results, field_writes, users cascade; update sync_state set purged_through_version = 0; delete from pgboss.job'
		);
		admin = await makeUser(database.db, 'admin');
	});
	afterEach(async () => {
		await retireEngines();
		testClock.reset();
	});

	const device = (name: string) => createDevice(name, () => database.db, admin, prng(7));
	const sync = async (d: SimulatedDevice) => {
		await d.engine.requestSync();
		await d.engine.idle();
	};
	const liveClients = async () =>
		(await database.db.select().from(clients))
			.filter((row) => row.deletedAt === null)
			.map((row) => toWireRow('clients', row) as ClientRow)
			.sort((a, b) => (a.id < b.id ? -1 : 1));
	const localClients = async (d: SimulatedDevice) =>
		(await d.store.transaction((tx) => tx.entity('clients').toArray())).sort((a, b) =>
			a.id < b.id ? -1 : 1
		);
	const purgedThrough = async () =>
		(await database.db.select().from(syncState))[0]?.purgedThroughVersion ?? 0;

	it('a device behind the purge re-bootstraps keeping its outbox; a recent one pulls the remaining tombstones', async () => {
		const staff = staffDevice(() => database.db, admin);
		const [oldGone, recentGone, kept, edited] = [
			await staff.client(),
			await staff.client(),
			await staff.client(),
			await staff.client()
		];
		const stale = device('stale');
		const recent = device('recent');
		await sync(stale);
		await sync(recent);
		expect(await localClients(stale)).toHaveLength(4);

		// The stale device goes away for good with an edit queued; one client is deleted meanwhile.
		stale.transport.online = false;
		stale.engine.setOnline(false);
		await stale.engine.mutate(clientUpdate, {
			id: edited,
			base: null,
			patch: { notes: 'written offline' }
		});
		await staff.applied('client.delete', { id: oldGone });
		const oldTombstone = (
			await database.db.select().from(clients).where(eq(clients.id, oldGone))
		)[0]!.version;

		testClock.set(at(100));
		await sync(recent); // learns oldGone's deletion
		await staff.applied('client.delete', { id: recentGone }); // too young to purge later

		const summary = await purgeSyncHistory(database.db, at(TOMBSTONE_RETENTION_DAYS + 1));
		expect(summary.tombstones).toEqual({ clients: 1 });
		expect(await purgedThrough()).toBe(oldTombstone);
		const remaining = await database.db.select({ id: clients.id }).from(clients);
		expect(remaining.map((row) => row.id).sort()).toEqual([recentGone, kept, edited].sort());

		// Recent cursor: an ordinary pull brings the tombstone that is still there.
		const recentRequests = recent.transport.requests;
		await sync(recent);
		expect(recent.transport.requests - recentRequests).toBe(1);
		expect(await localClients(recent)).toEqual(await liveClients());

		// Stale cursor: cursor-too-old, a full pull from 0 — which alone would never delete
		// oldGone here, since its tombstone no longer exists — and the queued edit still lands.
		stale.transport.online = true;
		stale.engine.setOnline(true);
		await stale.engine.idle();
		await sync(stale);
		const server = await liveClients();
		expect(server.map((row) => row.id).sort()).toEqual([kept, edited].sort());
		expect(server.find((row) => row.id === edited)?.notes).toBe('written offline');
		expect(await localClients(stale)).toEqual(server);
		expect(await stale.store.transaction((tx) => tx.outbox.count())).toBe(0);
		expect(await localClients(recent)).not.toEqual(server); // it has not pulled the edit yet
		await sync(recent);
		expect(await localClients(recent)).toEqual(server);
	});

	it('keeps a tombstone something still refers to, and purges it once that is gone too', async () => {
		const staff = staffDevice(() => database.db, admin);
		const client = await staff.client();
		const indicator = await staff.indicator();
		const accessId = await staff.grant(client, indicator);
		await staff.revoke(accessId);
		await staff.applied('client.delete', { id: client }); // allowed: no open grant
		expect(
			await database.db.select().from(fieldWrites).where(eq(fieldWrites.entityId, client))
		).not.toHaveLength(0);

		const later = at(TOMBSTONE_RETENTION_DAYS + 1);
		const first = await purgeSyncHistory(database.db, later);
		expect(first.tombstones).toEqual({});
		expect(first.kept).toBe(1);
		expect(await purgedThrough()).toBe(0);

		// The access (and its events, by cascade) are tombstoned and old enough too: all of it goes.
		await database.db.execute(
			sql`update access_events set deleted_at = ${T0.toISOString()} where access_id = ${accessId}`
		);
		await database.db.update(accesses).set({ deletedAt: T0 }).where(eq(accesses.id, accessId));
		const second = await purgeSyncHistory(database.db, later);
		expect(second.tombstones).toMatchObject({ accesses: 1, clients: 1 });
		expect(second.kept).toBe(0);
		expect(await database.db.select().from(clients).where(eq(clients.id, client))).toHaveLength(0);
		expect(
			await database.db.select().from(fieldWrites).where(eq(fieldWrites.entityId, client))
		).toHaveLength(0);
		expect(await purgedThrough()).toBe(second.purgedThroughVersion);
		expect(second.purgedThroughVersion).toBeGreaterThan(0);

		// Idempotent: the same moment again changes nothing.
		const third = await purgeSyncHistory(database.db, later);
		expect(third).toEqual({
			tombstones: {},
			kept: 0,
			mutationResults: 0,
			purgedThroughVersion: second.purgedThroughVersion
		});
	});

	it('prunes applied results past their retention, keeps rejections, and a pruned replay answers applied', async () => {
		const deviceId = uuidv7();
		const args = clientArgs();
		await pushOne(database.db, admin, deviceId, [envelope(1, 'client.create', args)]);
		// Refused: the same username again.
		await pushOne(database.db, admin, deviceId, [
			envelope(2, 'client.create', { ...clientArgs(), fields: args.fields })
		]);
		testClock.set(at(MUTATION_RESULT_RETENTION_DAYS - 1));
		await pushOne(database.db, admin, deviceId, [envelope(3, clientDelete.name, { id: args.id })]);

		const summary = await purgeSyncHistory(database.db, at(MUTATION_RESULT_RETENTION_DAYS + 1));
		expect(summary.mutationResults).toBe(1);
		const left = await database.db
			.select({ id: mutationResults.mutationId, outcome: mutationResults.outcome })
			.from(mutationResults)
			.where(eq(mutationResults.clientId, deviceId));
		expect(left.sort((a, b) => a.id - b.id)).toEqual([
			{ id: 2, outcome: 'rejected' },
			{ id: 3, outcome: 'applied' }
		]);
		const replay = await pushOne(database.db, admin, deviceId, [
			envelope(1, 'client.create', args),
			envelope(2, 'client.create', { ...clientArgs(), fields: args.fields })
		]);
		expect(replay.status === 'ok' && replay.results.map((r) => r.outcome)).toEqual([
			'applied',
			'rejected'
		]);
	});
});
