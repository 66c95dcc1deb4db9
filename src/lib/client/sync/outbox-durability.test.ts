import 'fake-indexeddb/auto';
import type Dexie from 'dexie';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import { clientCreate, clientUpdate } from '$lib/shared/mutators';
import { defineVersions, PineGateDb, schemaV1, schemaV5 } from '../db';
import { DexieStore } from './dexie-store';
import { applyPushResults, mutate, storePullPage, type DeviceContext } from './local';
import type { LocalStore, LocalTx } from './types';

// SYNC.md 4 and DESIGN.md §4.9 on a real IndexedDB (fake-indexeddb): an optimistic change and its
// outbox entry are one transaction, and the outbox survives reloads and Dexie version upgrades.

const names: string[] = [];
let counter = 0;
const open: PineGateDb[] = [];

afterEach(async () => {
	for (const db of open.splice(0)) db.close();
	for (const name of names.splice(0)) await new PineGateDb(name).delete();
});

function dbName(): string {
	const name = `pinegate-durability-${++counter}`;
	names.push(name);
	return name;
}

async function openDb(name: string, versions?: (db: Dexie) => void): Promise<PineGateDb> {
	const db = new PineGateDb(name, {}, versions);
	await db.open();
	open.push(db);
	return db;
}

const device: DeviceContext = {
	clientId: uuidv7(),
	userId: uuidv7(),
	role: 'admin',
	now: () => new Date()
};

/** A store whose outbox write fails, as a full disk or a crash between the two writes would. */
function failingOutbox(store: LocalStore): LocalStore {
	return {
		engine: store.engine.bind(store),
		transaction: (fn) =>
			store.transaction((tx) => {
				const outbox = Object.create(tx.outbox) as LocalTx['outbox'];
				outbox.put = () => Promise.reject(new DOMException('disk full', 'QuotaExceededError'));
				return fn({
					entity: (entity) => tx.entity(entity),
					outbox,
					shadows: tx.shadows,
					rejections: tx.rejections,
					getMeta: (key) => tx.getMeta(key),
					setMeta: (key, value) => tx.setMeta(key, value),
					deleteMeta: (key) => tx.deleteMeta(key),
					snapshot: tx.snapshot
				});
			})
	};
}

async function snapshot(db: PineGateDb) {
	return {
		clients: await db.clients.toArray(),
		outbox: await db.outbox.toArray(),
		shadows: await db.shadows.toArray(),
		rejections: await db.rejections.toArray(),
		meta: Object.fromEntries((await db.meta.toArray()).map((row) => [row.key, row.value]))
	};
}

describe('outbox durability on IndexedDB', () => {
	it('commits an optimistic row and its outbox entry together', async () => {
		const name = dbName();
		const db = await openDb(name);
		const id = uuidv7();
		await mutate(new DexieStore(db), device, clientCreate, {
			id,
			fields: { tradingviewUsername: 'together' }
		});
		// Read through a second connection: what another tab (or the next page load) sees.
		const other = await openDb(name);
		const seen = await snapshot(other);
		expect(seen.clients.map((c) => c.id)).toEqual([id]);
		expect(seen.outbox.map((e) => [e.id, e.name, e.entityId])).toEqual([[1, 'client.create', id]]);
		expect(seen.shadows.map((s) => s.key)).toEqual([`clients/${id}`]);
	});

	it('leaves neither the row nor the outbox entry when the transaction fails half-way', async () => {
		const db = await openDb(dbName());
		const store = new DexieStore(db);
		const kept = uuidv7();
		await mutate(store, device, clientCreate, {
			id: kept,
			fields: { tradingviewUsername: 'kept' }
		});
		const before = await snapshot(db);

		await expect(
			mutate(failingOutbox(store), device, clientCreate, {
				id: uuidv7(),
				fields: { tradingviewUsername: 'lost' }
			})
		).rejects.toMatchObject({ name: 'QuotaExceededError' });
		await expect(
			mutate(failingOutbox(store), device, clientUpdate, {
				id: kept,
				base: null,
				patch: { fullName: 'never saved' }
			})
		).rejects.toMatchObject({ name: 'QuotaExceededError' });

		expect(await snapshot(db)).toEqual(before);
		// The mutation id was not consumed either: the next edit continues the sequence.
		const { mutationId } = await mutate(store, device, clientUpdate, {
			id: kept,
			base: null,
			patch: { fullName: 'saved' }
		});
		expect(mutationId).toBe(2);
	});

	it('keeps the outbox, rejections, rows and meta across a reload', async () => {
		const name = dbName();
		const db = await openDb(name);
		const store = new DexieStore(db);
		await store.transaction(async (tx) => {
			await tx.setMeta('clientId', device.clientId);
			await tx.setMeta('userId', device.userId);
			await tx.setMeta('cursor', 17);
		});
		const first = uuidv7();
		const second = uuidv7();
		await mutate(store, device, clientCreate, {
			id: first,
			fields: { tradingviewUsername: 'one' }
		});
		await mutate(store, device, clientCreate, {
			id: second,
			fields: { tradingviewUsername: 'two' }
		});
		await applyPushResults(store, device, [
			{ id: 1, outcome: 'rejected', code: 'USERNAME_TAKEN', params: { clientId: 'someone' } },
			{ id: 2, outcome: 'applied' }
		]);
		const before = await snapshot(db);
		db.close();

		const reloaded = await openDb(name);
		const after = await snapshot(reloaded);
		expect(after).toEqual(before);
		expect(after.outbox.map((e) => [e.id, e.status])).toEqual([[2, 'applied']]);
		expect(after.rejections.map((r) => [r.mutationId, r.code, r.params])).toEqual([
			[1, 'USERNAME_TAKEN', { clientId: 'someone' }]
		]);
		expect(after.clients.map((c) => c.id)).toEqual([second]);
		expect(after.meta).toMatchObject({
			clientId: device.clientId,
			cursor: 17,
			nextMutationId: 3
		});
	});

	it('keeps the outbox, rows and meta through a Dexie version upgrade', async () => {
		const name = dbName();
		const v1 = await openDb(name);
		const store = new DexieStore(v1);
		await store.transaction((tx) => tx.setMeta('clientId', device.clientId));
		const id = uuidv7();
		await mutate(store, device, clientCreate, {
			id,
			fields: { tradingviewUsername: 'upgraded', notes: 'carried over' }
		});
		await applyPushResults(store, device, [
			{ id: 1, outcome: 'applied' } // answered, not yet confirmed by a pull: still in the outbox
		]);
		await mutate(store, device, clientUpdate, { id, base: null, patch: { fullName: 'Up Graded' } });
		const before = await snapshot(v1);
		v1.close();

		// A later release: version 6 adds an index (and a table), never touching the outbox.
		const v2 = await openDb(name, (db) => {
			defineVersions(db);
			db.version(6).stores({ clients: `${schemaV5.clients}, notes`, drafts: 'id' });
		});
		expect(v2.verno).toBe(6);
		const after = await snapshot(v2);
		expect(after).toEqual(before);
		expect(after.outbox.map((e) => [e.id, e.status])).toEqual([
			[1, 'applied'],
			[2, 'pending']
		]);
		expect(
			(await v2.clients.where('notes').equals('carried over').toArray()).map((c) => c.id)
		).toEqual([id]);
		// The upgraded store carries on where it left off.
		const next = await mutate(new DexieStore(v2), device, clientUpdate, {
			id,
			base: null,
			patch: { notes: 'after upgrade' }
		});
		expect(next.mutationId).toBe(3);
	});

	it('upgrades a populated version 1 to version 5: the outbox stays, the edit log, the packed bases and the notifications by time are added', async () => {
		const name = dbName();
		// The store as release 1 left it: an unsynced edit, a rejection, a cursor. (Written table by
		// table: the sync core's transactions span every table of the current version.)
		const v1 = await openDb(name, (db) => db.version(1).stores(schemaV1));
		const id = uuidv7();
		const at = new Date().toISOString();
		await v1.meta.bulkPut([
			{ key: 'clientId', value: device.clientId },
			{ key: 'userId', value: device.userId },
			{ key: 'cursor', value: 17 },
			{ key: 'nextMutationId', value: 2 },
			{ key: 'schemaVersion', value: 1 }
		]);
		await v1.clients.put({
			id,
			tradingviewUsername: 'kept',
			tvUsernameState: 'unverified',
			email: null,
			fullName: null,
			registeredAt: at,
			status: 'active',
			notes: null,
			createdAt: at,
			updatedAt: at,
			version: 0,
			deletedAt: null
		});
		const notice = {
			id: uuidv7(),
			kind: 'expiring_7d',
			entity: 'accesses',
			entityId: uuidv7(),
			data: {},
			at,
			userId: null,
			version: 3,
			deletedAt: null
		};
		await v1.notifications.put(notice);
		await v1.outbox.put({
			id: 1,
			name: 'client.create',
			args: { id, fields: { tradingviewUsername: 'kept' } },
			createdAt: at,
			status: 'pending',
			entity: 'clients',
			entityId: id
		});
		await v1.rejections.put({
			mutationId: 99,
			name: 'client.update',
			args: {},
			entity: 'clients',
			entityId: id,
			code: 'USERNAME_TAKEN',
			params: {},
			at,
			dependsOn: null
		});
		const before = await snapshot(v1);
		v1.close();

		const v2 = await openDb(name);
		expect(v2.verno).toBe(5);
		expect([await v2.table('bases').count(), await v2.table('pieces').count()]).toEqual([0, 0]);
		// Version 4's index holds the notifications stored before it.
		expect(
			(await v2.notifications.where('[at+id]').belowOrEqual([at, notice.id]).toArray()).map(
				(n) => n.id
			)
		).toEqual([notice.id]);
		const after = await snapshot(v2);
		expect(after.outbox).toEqual(before.outbox);
		expect(after.rejections).toEqual(before.rejections);
		expect(after.clients).toEqual(before.clients);
		// The edit log was never pulled by version 1: the next pull starts again from 0.
		expect(after.meta).toEqual({ ...before.meta, cursor: 0, schemaVersion: 2 });
		expect(await v2.recordEdits.count()).toBe(0);

		// The new table stores pulled edits, found by record.
		const edit = {
			id: uuidv7(),
			entity: 'clients' as const,
			entityId: id,
			actor: device.userId,
			at: '2025-06-01T10:00:00.000Z',
			changes: { email: { before: null, after: 'a@example.com' } },
			version: 5,
			deletedAt: null
		};
		await storePullPage(new DexieStore(v2), device, {
			status: 'ok',
			cursor: 5,
			rows: { recordEdits: [edit] },
			more: true,
			lastMutationId: 0,
			rejected: [],
			total: null,
			serverNow: new Date().toISOString()
		});
		expect(await v2.recordEdits.where('entityId').equals(id).toArray()).toEqual([edit]);
		expect((await v2.outbox.toArray()).map((e) => e.id)).toEqual([1]);
	});
});
