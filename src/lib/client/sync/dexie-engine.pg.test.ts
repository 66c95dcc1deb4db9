import 'fake-indexeddb/auto';
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { accesses, clients, mutationResults } from '../../server/db/schema';
import { seed } from '../../server/seed';
import { entityTables, toWireRow } from '../../server/sync/tables';
import type { SnapshotRequest } from '$lib/shared/sync/protocol';
import { clientCreate, clientUpdate } from '$lib/shared/mutators';
import type { SessionUser } from '$lib/shared/schemas/user';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import {
	manualTimers,
	prng,
	retireEngines,
	SimulatedTransport,
	trackEngine
} from '../../../../tests/helpers/devices';
import { makeUser } from '../../../../tests/helpers/sync';
import { PineGateDb } from '../db';
import { openDevice, memoryMirror, resetDevice, type MirrorStorage } from './device';
import { DexieStore, isDatabaseClosed } from './dexie-store';
import { SyncEngine } from './engine';
import { TransportError } from './transport';
import { ROWS_PER_SLICE } from '../packed/staging';

// The engine over the real Dexie store (fake-indexeddb) against the real server code (PGlite, and
// PostgreSQL when TEST_DATABASE_URL is set): reloads, 401 pauses, rejections and storage loss.

describeEachDatabase('sync engine over Dexie against the server', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;
	let seller: SessionUser;
	let name: string;
	let mirror: MirrorStorage;
	let counter = 0;
	const opened: PineGateDb[] = [];

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await database.exec(
			'truncate clients, notifications, sync_clients, mutation_results, field_writes, users cascade'
		);
		admin = await makeUser(database.db, 'admin');
		seller = await makeUser(database.db, 'seller');
		name = `pinegate-engine-${kind}-${++counter}`;
		mirror = memoryMirror();
	});
	afterEach(async () => {
		await retireEngines();
		for (const db of opened.splice(0)) db.close();
		await new PineGateDb(name).delete();
	});

	/** One "page load": open the device database for a user and start an engine on it. */
	async function boot(
		user: SessionUser,
		options: { online?: boolean; snapshotLimit?: number } = {}
	) {
		const device = await openDevice({ userId: user.id, mirror, name });
		opened.push(device.db);
		const closed: unknown[] = [];
		const store = new DexieStore(device.db, { onClosed: (error) => closed.push(error) });
		const transport = new SimulatedTransport(
			() => database.db,
			() => user,
			prng(counter)
		);
		transport.online = options.online ?? true;
		const engine = new SyncEngine({
			store,
			transport,
			clientId: device.clientId,
			userId: user.id,
			role: user.role,
			timers: manualTimers(),
			...(options.snapshotLimit ? { snapshotLimit: options.snapshotLimit } : {})
		});
		trackEngine(engine);
		await engine.refreshCounts();
		return { ...device, store, transport, engine, closed };
	}

	const serverClients = () => database.db.select().from(clients);
	const create = (engine: SyncEngine, username: string, id = uuidv7()) =>
		engine.mutate(clientCreate, { id, fields: { tradingviewUsername: username } });
	async function sync(engine: SyncEngine) {
		await engine.requestSync();
		await engine.idle();
	}

	it('delivers an edit made offline exactly once after a reload', async () => {
		const first = await boot(admin, { online: false });
		const id = uuidv7();
		await create(first.engine, 'made-offline', id);
		await first.engine.mutate(clientUpdate, { id, base: null, patch: { fullName: 'Offline Ada' } });
		await first.engine.idle();
		expect(first.engine.state.error?.kind).toBe('network');
		expect(await serverClients()).toHaveLength(0);
		first.engine.stop();
		first.db.close(); // the tab closes

		const second = await boot(admin); // a new page load on the same database, now online
		expect(second.clientId).toBe(first.clientId);
		expect(second.engine.state.pending).toBe(2);
		await sync(second.engine);
		await sync(second.engine); // a second run pushes nothing again

		const rows = await serverClients();
		expect(rows.map((r) => [r.id, r.tradingviewUsername, r.fullName])).toEqual([
			[id, 'made-offline', 'Offline Ada']
		]);
		const results = await database.db
			.select()
			.from(mutationResults)
			.where(eq(mutationResults.clientId, first.clientId));
		expect(results.map((r) => [r.mutationId, r.outcome])).toEqual([
			[1, 'applied'],
			[2, 'applied']
		]);
		expect(await second.db.outbox.count()).toBe(0);
		const local = await second.db.clients.get(id);
		expect(local?.version).toBe(Number(rows[0]!.version));
		expect(second.engine.state).toMatchObject({ pending: 0, error: null });
		expect(second.engine.state.lastSyncedAt).not.toBeNull();
	});

	it('pauses on 401 losing nothing, even across a reload, and delivers everything on resume', async () => {
		const device = await boot(admin);
		device.transport.failWith = new TransportError('auth', 'session expired', 401);
		await create(device.engine, 'paused-one');
		await create(device.engine, 'paused-two');
		await device.engine.idle();
		expect(device.engine.state.paused).toBe('auth');
		expect(device.engine.state.pending).toBe(2);
		expect(await serverClients()).toHaveLength(0);

		// Still paused after a reload: the store kept both edits.
		device.engine.stop();
		device.db.close();
		const again = await boot(admin);
		again.transport.failWith = new TransportError('auth', 'session expired', 401);
		await sync(again.engine);
		expect(again.engine.state.paused).toBe('auth');
		expect(await again.db.outbox.count()).toBe(2);

		again.transport.failWith = null; // logged in again
		again.engine.resume();
		await again.engine.idle();
		expect((await serverClients()).map((r) => r.tradingviewUsername).sort()).toEqual([
			'paused-one',
			'paused-two'
		]);
		expect(again.engine.state).toMatchObject({ paused: null, pending: 0, error: null });
	});

	it('turns a create refused for a taken username into a rejection that survives a reload', async () => {
		const other = await boot(seller);
		// The seller's device gets its own database name: two browsers, not two tabs.
		const existing = uuidv7();
		await other.engine.mutate(clientCreate, {
			id: existing,
			fields: { tradingviewUsername: 'Contested' }
		});
		await other.engine.idle();
		other.engine.stop();
		other.db.close();
		await new PineGateDb(name).delete();

		const device = await boot(admin, { online: false });
		const mine = uuidv7();
		await create(device.engine, 'contested', mine); // this device has not seen the other client
		await create(device.engine, 'independent');
		device.transport.online = true;
		await sync(device.engine);

		const rejections = await device.db.rejections.toArray();
		expect(rejections.map((r) => [r.mutationId, r.code, r.entityId])).toEqual([
			[1, 'USERNAME_TAKEN', mine]
		]);
		expect(rejections[0]!.params).toMatchObject({ clientId: existing });
		expect(await device.db.clients.get(mine)).toBeUndefined();
		expect((await device.db.clients.toArray()).map((c) => c.tradingviewUsername).sort()).toEqual([
			'Contested',
			'independent'
		]);

		device.engine.stop();
		device.db.close();
		const reloaded = await boot(admin);
		expect((await reloaded.db.rejections.toArray()).map((r) => [r.mutationId, r.code])).toEqual([
			[1, 'USERNAME_TAKEN']
		]);
		expect(reloaded.engine.state.rejected).toBe(1);
		await sync(reloaded.engine);
		expect(await reloaded.db.rejections.count()).toBe(1); // shown until a person dismisses it
	});

	it('starts a fresh device and resyncs fully when IndexedDB is deleted mid-session', async () => {
		const seed = await boot(seller);
		await create(seed.engine, 'on-server-1');
		await create(seed.engine, 'on-server-2');
		await seed.engine.idle();
		seed.engine.stop();
		seed.db.close();
		await new PineGateDb(name).delete();

		const device = await boot(admin);
		await sync(device.engine);
		expect(await device.db.clients.count()).toBe(2);
		device.transport.online = false;
		await create(device.engine, 'never-sent');
		await device.engine.idle();
		mirror.write({ clientId: device.clientId, userId: admin.id, pending: 1 });

		await device.db.delete(); // the browser evicts the site's storage

		// The session notices on its next store access, and the store reports it.
		await expect(create(device.engine, 'after-loss')).rejects.toSatisfy(isDatabaseClosed);
		device.transport.online = true;
		await sync(device.engine);
		expect(device.engine.state.error?.kind).toBe('client');
		expect(device.closed.length).toBeGreaterThan(0);
		expect(device.closed.every(isDatabaseClosed)).toBe(true);

		// The app's handling: reopen as a fresh device (never the old id) and resync from scratch.
		device.engine.stop();
		const fresh = await boot(admin);
		expect(fresh.clientId).not.toBe(device.clientId);
		expect(fresh.lostEdits).toBe(1);
		await sync(fresh.engine);
		expect((await fresh.db.clients.toArray()).map((c) => c.tradingviewUsername).sort()).toEqual([
			'on-server-1',
			'on-server-2'
		]);
		expect(fresh.engine.state).toMatchObject({ pending: 0, error: null });
		await create(fresh.engine, 'after-recovery');
		await fresh.engine.idle();
		expect(await serverClients()).toHaveLength(3);
	});

	it('a first sync comes as a snapshot, packed for the large tables, resumed after a reload', async () => {
		await seed(database.db, {
			clients: 40,
			indicators: 2,
			accesses: 60,
			seed: 'dexie snapshot',
			now: new Date('2026-03-01T00:00:00Z'),
			reset: true
		});
		admin = await makeUser(database.db, 'admin');
		const first = await boot(admin, { snapshotLimit: 25 });
		const asked: Array<SnapshotRequest> = [];
		const answer = first.transport.snapshot.bind(first.transport);
		first.transport.snapshot = (request) => {
			asked.push(request);
			// The third piece never arrives: the tab is closed while it is on its way.
			if (asked.length >= 3) return Promise.reject(new TransportError('network', 'closed'));
			return answer(request);
		};
		await sync(first.engine);
		expect(first.engine.state.error?.kind).toBe('network');
		// A table the walk has left is published at once (the 40 clients, in the second piece);
		// the grants, whose walk the lost piece was in, show nothing of a half table.
		const halfway = (await first.db.table('bases').toArray()) as Array<{ table: string }>;
		expect(halfway.map((base) => base.table)).toEqual(['clients']);
		expect(await first.db.clients.count()).toBe(40);
		expect(await first.db.accesses.count()).toBe(0);
		expect(await first.db.table('meta').get('cursor')).toBeUndefined();
		first.engine.stop();
		first.db.close();

		const second = await boot(admin, { snapshotLimit: 25 });
		const resumed: Array<SnapshotRequest> = [];
		const answerSecond = second.transport.snapshot.bind(second.transport);
		second.transport.snapshot = (request) => {
			resumed.push(request);
			return answerSecond(request);
		};
		await sync(second.engine);
		expect(second.engine.state).toMatchObject({ error: null, pending: 0 });
		// It went on from the second piece's end, at the same version.
		expect(asked[1]!.version).not.toBeNull();
		expect(resumed[0]).toMatchObject({ version: asked[1]!.version, from: asked[2]!.from });

		const wire = async (entity: 'clients' | 'accesses' | 'accessEvents') =>
			(await database.db.select().from(entityTables[entity] as typeof clients))
				.map((row) => toWireRow(entity, row as unknown as Record<string, unknown>))
				.sort((a, b) => (a.id < b.id ? -1 : 1));
		expect(await second.db.clients.toArray()).toEqual(await wire('clients'));
		expect(await second.db.accesses.toArray()).toEqual(await wire('accesses'));
		expect(
			await second.db.accessEvents
				.where('accessId')
				.anyOf(await second.db.accesses.limit(5).primaryKeys())
				.count()
		).toBeGreaterThan(0);
		const bases = (await second.db.table('bases').toArray()) as Array<{ table: string }>;
		expect(bases.map((base) => base.table).sort()).toEqual([
			'accessEvents',
			'accesses',
			'clients',
			'transactions'
		]);
		expect(await second.db.indicators.count()).toBe(2); // a small table: rows, not packed
		// Asked in runs of a slice, the data slices are stored as the server wrote them: PostgreSQL
		// puts ", " between values, which the device's own JSON.stringify does not.
		expect(resumed.every((request) => request.slice === ROWS_PER_SLICE)).toBe(true);
		const stored = (await second.db.table('pieces').toArray()) as Array<{
			id: string;
			body: string;
		}>;
		const slices = stored.filter((piece) => /\/d\d+:/.test(piece.id));
		expect(slices.length).toBeGreaterThanOrEqual(4);
		expect(slices.filter((piece) => !piece.body.includes('", "'))).toEqual([]);

		// Later changes come as pulls over the bases: an edit here, edits and deletes there.
		const [one, two] = await second.db.clients.orderBy(':id').limit(2).toArray();
		const [grantOne, grantTwo] = await second.db.accesses.orderBy(':id').limit(2).toArray();
		await second.engine.mutate(clientUpdate, {
			id: one!.id,
			base: null,
			patch: { fullName: 'Edited Here' }
		});
		await database.db.update(clients).set({ deletedAt: new Date() }).where(eq(clients.id, two!.id));
		await database.db
			.update(accesses)
			.set({ tvError: 'edited there', updatedAt: new Date() })
			.where(eq(accesses.id, grantOne!.id));
		await database.db
			.update(accesses)
			.set({ deletedAt: new Date() })
			.where(eq(accesses.id, grantTwo!.id));
		await sync(second.engine);
		expect((await second.db.clients.get(one!.id))?.fullName).toBe('Edited Here');
		expect(await second.db.clients.get(two!.id)).toBeUndefined();
		expect(await second.db.clients.count()).toBe(39);
		expect(await second.db.clients.toArray()).toEqual(
			(await wire('clients')).filter((row) => row.deletedAt === null)
		);
		expect((await second.db.accesses.get(grantOne!.id))?.tvError).toBe('edited there');
		expect(await second.db.accesses.get(grantTwo!.id)).toBeUndefined();
		expect(await second.db.accesses.count()).toBe(59);
		expect(await second.db.accesses.toArray()).toEqual(
			(await wire('accesses')).filter((row) => row.deletedAt === null)
		);
	});

	it('wipes the store when another user signs in, counting the discarded edits', async () => {
		const first = await boot(admin, { online: false });
		await create(first.engine, 'admins-unsent');
		await first.engine.idle();
		first.engine.stop();
		first.db.close();

		const second = await boot(seller);
		expect(second.discardedEdits).toBe(1);
		expect(second.clientId).not.toBe(first.clientId);
		expect(await second.db.outbox.count()).toBe(0);
		expect(await second.db.clients.count()).toBe(0);
		await create(second.engine, 'sellers');
		await second.engine.idle();
		expect((await serverClients()).map((r) => r.tradingviewUsername)).toEqual(['sellers']);
	});

	it('starts over with a new device id when the server says the id belongs to another user', async () => {
		const device = await boot(admin);
		await sync(device.engine); // the server now knows this id as the admin's
		// The same id presented by another user (e.g. meta rewritten by an older release).
		const transport = new SimulatedTransport(
			() => database.db,
			() => seller,
			prng(7)
		);
		const engine = new SyncEngine({
			store: device.store,
			transport,
			clientId: device.clientId,
			userId: seller.id,
			role: seller.role,
			timers: manualTimers()
		});
		trackEngine(engine);
		await create(engine, 'mismatched');
		await engine.idle();
		expect(engine.state.paused).toBe('reset');

		const reset = await resetDevice(device.db, seller.id, mirror);
		expect(reset.discardedEdits).toBe(1);
		expect(reset.clientId).not.toBe(device.clientId);
		const restarted = new SyncEngine({
			store: device.store,
			transport,
			clientId: reset.clientId,
			userId: seller.id,
			role: seller.role,
			timers: manualTimers()
		});
		trackEngine(restarted);
		await create(restarted, 'fresh-start');
		await restarted.idle();
		expect(restarted.state).toMatchObject({ paused: null, pending: 0 });
		expect((await serverClients()).map((r) => r.tradingviewUsername)).toEqual(['fresh-start']);
		expect(mirror.read()).toMatchObject({ clientId: reset.clientId, userId: seller.id });
	});
});
