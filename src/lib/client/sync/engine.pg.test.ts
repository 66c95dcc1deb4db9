import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { clients, syncClients } from '../../server/db/schema';
import { pull } from '../../server/sync/pull';
import { push } from '../../server/sync/push';
import { clientCreate, clientUpdate } from '$lib/shared/mutators';
import { AppError } from '$lib/shared/errors';
import type { SessionUser } from '$lib/shared/schemas/user';
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
import { makeUser } from '../../../../tests/helpers/sync';
import {
	HEARTBEAT_MS,
	LONG_OFFLINE_MS,
	SyncEngine,
	STALL_AFTER_MS,
	SYNC_AFTER_EDIT_MS
} from './engine';
import { mutate, oldestUnanswered, storePullPage } from './local';
import { TransportError } from './transport';

describeEachDatabase('device sync engine against the server', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;
	let device: SimulatedDevice;

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
		device = createDevice('A', () => database.db, admin, prng(1));
	});
	afterEach(retireEngines);

	const serverCount = async () => (await database.db.select().from(clients)).length;
	const local = (d: SimulatedDevice) => d.store.transaction((tx) => tx.entity('clients').toArray());
	const outbox = (d: SimulatedDevice) => d.store.transaction((tx) => tx.outbox.toArray());
	const create = (d: SimulatedDevice, username: string, id = uuidv7()) =>
		d.engine.mutate(clientCreate, { id, fields: { tradingviewUsername: username } });

	it('applies a mutation optimistically and queues it in the same transaction', async () => {
		device.transport.online = false;
		await create(device, 'optimist');
		expect((await local(device)).map((c) => c.tradingviewUsername)).toEqual(['optimist']);
		expect((await outbox(device)).map((e) => [e.id, e.name, e.status])).toEqual([
			[1, 'client.create', 'pending']
		]);
		expect(await serverCount()).toBe(0);
	});

	it('starts a sync run a moment after an edit, one run for the edits made meanwhile', async () => {
		// The edit's commit wakes the screen's live queries; the run waits SYNC_AFTER_EDIT_MS so
		// their read and render go first (docs/sync.md, "A change, end to end").
		const batches: number[] = [];
		const send = device.transport.push.bind(device.transport);
		device.transport.push = (request) => {
			batches.push(request.mutations.length);
			return send(request);
		};
		await create(device, 'first');
		await create(device, 'second');
		expect(device.engine.state.running).toBe(false);
		expect(batches).toEqual([]);
		device.timers.advance(SYNC_AFTER_EDIT_MS - 1);
		expect(device.engine.state.running).toBe(false);
		device.timers.advance(1);
		expect(device.engine.state.running).toBe(true);
		await device.engine.idle();
		expect(batches).toEqual([2]);
		expect(await serverCount()).toBe(2);

		// `idle` does not leave a waiting run behind: it starts it and waits for it.
		await create(device, 'third');
		await device.engine.idle();
		expect(batches).toEqual([2, 1]);
		expect(await outbox(device)).toEqual([]);
	});

	it('refuses locally what the device can already see is wrong, queueing nothing', async () => {
		await create(device, 'taken');
		await expect(create(device, 'TAKEN')).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
		await expect(
			device.engine.mutate(clientCreate, { id: uuidv7(), fields: { tradingviewUsername: 'x' } })
		).rejects.toBeInstanceOf(AppError);
		expect(await outbox(device)).toHaveLength(1);
		const support = createDevice(
			'S',
			() => database.db,
			await makeUser(database.db, 'support'),
			prng(2)
		);
		await expect(create(support, 'not-allowed')).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('shows a server rejection with its reason, drops its effect, and keeps syncing later edits', async () => {
		const other = createDevice('B', () => database.db, admin, prng(3));
		await create(other, 'contested');
		await other.engine.idle();

		device.transport.online = false;
		const id = uuidv7();
		await create(device, 'Contested', id); // the device does not know B's client yet
		await device.engine.mutate(clientUpdate, {
			id,
			base: null,
			patch: { fullName: 'Depends on it' }
		});
		await create(device, 'independent');
		device.transport.online = true;
		await device.engine.requestSync();
		await device.engine.idle();

		const rejections = await device.store.transaction((tx) => tx.rejections.toArray());
		expect(rejections.map((r) => [r.mutationId, r.code, r.dependsOn])).toEqual([
			[1, 'USERNAME_TAKEN', null],
			[2, 'NOT_FOUND', 1]
		]);
		expect(rejections[0]?.params).toMatchObject({ username: 'contested' });
		expect((await local(device)).map((c) => c.tradingviewUsername).sort()).toEqual([
			'contested',
			'independent'
		]);
		expect(await outbox(device)).toEqual([]);
		expect(device.engine.state).toMatchObject({ pending: 0, rejected: 2, error: null });
	});

	it('retries transient failures with growing, capped, jittered delays and loses nothing', async () => {
		device.transport.failWith = new TransportError('server', '503');
		await create(device, 'patient');
		await device.engine.idle();
		const delays: number[] = [];
		for (let i = 0; i < 8; i++) {
			expect(device.engine.state.error?.kind).toBe('server');
			const wait = (device.engine.state.retryAt ?? 0) - device.timers.now();
			delays.push(wait);
			device.timers.advance(wait);
			await device.engine.idle();
		}
		expect(delays[1]).toBeGreaterThan(delays[0]! * 1.2);
		expect(Math.max(...delays)).toBeLessThanOrEqual(60_000);
		expect(delays.at(-1)).toBeGreaterThanOrEqual(30_000);
		expect(await outbox(device)).toHaveLength(1);

		device.transport.failWith = null;
		device.timers.advance(device.engine.state.retryAt! - device.timers.now());
		await device.engine.idle();
		expect(await serverCount()).toBe(1);
		expect(device.engine.state).toMatchObject({ pending: 0, error: null, retryAt: null });
	});

	it('pauses on 401 without losing anything and resumes after login', async () => {
		device.transport.failWith = new TransportError('auth', 'session expired', 401);
		await create(device, 'one');
		await create(device, 'two');
		await device.engine.idle();
		expect(device.engine.state.paused).toBe('auth');
		device.timers.advance(10 * 60_000);
		await device.engine.idle();
		expect(await serverCount()).toBe(0);
		expect(await outbox(device)).toHaveLength(2);

		device.transport.failWith = null;
		device.engine.resume();
		await device.engine.idle();
		expect(await serverCount()).toBe(2);
		expect(device.engine.state).toMatchObject({ paused: null, pending: 0 });
	});

	it('the watchdog pushes a queue left without a push attempt for a minute and says it stalled', async () => {
		// Another tab queued an edit and its "push now" message never arrived: nothing pushes it.
		await mutate(device.store, device.engine.device, clientCreate, {
			id: uuidv7(),
			fields: { tradingviewUsername: 'forgotten' }
		});
		await device.engine.refreshCounts();
		device.timers.advance(STALL_AFTER_MS - 1000);
		device.engine.watchdog();
		expect(device.engine.state.stalled).toBe(false);
		expect(await serverCount()).toBe(0);

		device.timers.advance(2000);
		const states: boolean[] = [];
		device.engine.subscribe((s) => states.push(s.stalled));
		device.engine.watchdog();
		await device.engine.idle();
		expect(states).toContain(true);
		expect(await serverCount()).toBe(1);
		expect(device.engine.state.stalled).toBe(false);
	});

	it('a lost poke still converges: the watchdog pulls when nothing was pulled for a minute', async () => {
		await device.engine.requestSync();
		await device.engine.idle();
		const other = createDevice('B', () => database.db, admin, prng(4));
		await create(other, 'poke-lost');
		await other.engine.idle();
		// No poke reaches A (the stream was reconnecting). Within the minute the watchdog waits.
		const before = device.transport.requests;
		device.timers.advance(HEARTBEAT_MS - 1000);
		device.engine.watchdog();
		await device.engine.idle();
		expect(device.transport.requests).toBe(before);
		expect(await local(device)).toEqual([]);

		// Past the minute (and its jitter): one pull, and the client is there.
		device.timers.advance(HEARTBEAT_MS * 0.25 + 2000);
		device.engine.watchdog();
		await device.engine.idle();
		expect(device.transport.requests).toBe(before + 1);
		expect((await local(device)).map((c) => c.tradingviewUsername)).toEqual(['poke-lost']);

		// Nothing new: the next heartbeat is one empty pull, and none while offline.
		device.timers.advance(HEARTBEAT_MS * 1.25 + 1000);
		device.engine.setOnline(false);
		device.engine.watchdog();
		expect(device.transport.requests).toBe(before + 1);
		device.engine.setOnline(true); // going online syncs at once
		await device.engine.idle();
		expect(device.transport.requests).toBe(before + 2);
		device.timers.advance(HEARTBEAT_MS * 1.25 + 1000);
		device.engine.watchdog();
		await device.engine.idle();
		expect(device.transport.requests).toBe(before + 3);
	});

	it('after more than 30 days offline, pending edits wait for the person to confirm; pulls go on', async () => {
		await create(device, 'before-leaving');
		await device.engine.idle();
		const other = createDevice('B', () => database.db, admin, prng(4));
		device.transport.online = false;
		device.engine.setOnline(false);
		await create(device, 'written-offline');
		device.timers.advance(LONG_OFFLINE_MS + 60_000);
		await create(other, 'meanwhile');
		await other.engine.idle();

		device.transport.online = true;
		device.engine.setOnline(true);
		await device.engine.idle();
		// Held: nothing pushed, but the device pulled what changed and shows its edit on top.
		expect(device.engine.state.held).not.toBeNull();
		expect(await serverCount()).toBe(2);
		expect((await local(device)).map((c) => c.tradingviewUsername).sort()).toEqual([
			'before-leaving',
			'meanwhile',
			'written-offline'
		]);
		// Waiting for a person is not a stalled queue, and a heartbeat does not send it either.
		device.timers.advance(STALL_AFTER_MS * 3);
		device.engine.watchdog();
		await device.engine.idle();
		expect(device.engine.state.stalled).toBe(false);
		expect(await serverCount()).toBe(2);

		// A reload (a new engine over the same store) keeps the hold, though the last sync is recent.
		const reloaded = new SyncEngine({
			store: device.store,
			transport: device.transport,
			clientId: device.engine.device.clientId,
			userId: admin.id,
			role: admin.role,
			timers: device.timers
		});
		await reloaded.refreshCounts();
		expect(reloaded.state.held).not.toBeNull();
		await reloaded.requestSync();
		expect(await serverCount()).toBe(2);

		await reloaded.confirmPush();
		await reloaded.idle();
		expect(await serverCount()).toBe(3);
		expect(reloaded.state).toMatchObject({ held: null, pending: 0 });
		// Confirmed once: later edits go as usual.
		await reloaded.mutate(clientCreate, { id: uuidv7(), fields: { tradingviewUsername: 'next' } });
		await reloaded.idle();
		expect(await serverCount()).toBe(4);
	});

	it('edits after a shorter absence are sent without asking', async () => {
		await create(device, 'first');
		await device.engine.idle();
		device.transport.online = false;
		device.engine.setOnline(false);
		await create(device, 'second');
		device.timers.advance(LONG_OFFLINE_MS - 60_000);
		device.transport.online = true;
		device.engine.setOnline(true);
		await device.engine.idle();
		expect(device.engine.state.held).toBeNull();
		expect(await serverCount()).toBe(2);
	});

	it('renumbers mutations the server never saw when it answers with a gap', async () => {
		await device.store.transaction((tx) => tx.setMeta('nextMutationId', 41));
		await create(device, 'renumbered');
		await device.engine.idle();
		expect(await serverCount()).toBe(1);
		const [row] = await database.db
			.select()
			.from(syncClients)
			.where(eq(syncClients.clientId, device.engine.device.clientId));
		expect(row?.lastMutationId).toBe(1);
	});

	it('learns a rejection whose push answer was lost from the next pull', async () => {
		await create(device, 'first');
		await device.engine.idle();
		device.transport.online = false;
		const other = uuidv7();
		await mutate(device.store, device.engine.device, clientCreate, {
			id: other,
			fields: { tradingviewUsername: 'first-dup' }
		});
		// Make it collide on the server only, then deliver it and lose the answer.
		await database.db.update(clients).set({ tradingviewUsername: 'first-dup' });
		const entries = await outbox(device);
		await push(database.db, admin, {
			clientId: device.engine.device.clientId,
			schemaVersion: 1,
			mutations: entries
				.filter((e) => e.status === 'pending')
				.map(({ id, name, args, createdAt }) => ({ id, name, args, createdAt }))
		});
		const page = await pull(database.db, admin, {
			clientId: device.engine.device.clientId,
			schemaVersion: 1,
			cursor: 0,
			pendingFrom: await oldestUnanswered(device.store)
		});
		if (page.status !== 'ok') throw new Error(page.status);
		await storePullPage(device.store, device.engine.device, page);
		const rejections = await device.store.transaction((tx) => tx.rejections.toArray());
		expect(rejections.map((r) => r.code)).toEqual(['USERNAME_TAKEN']);
		expect((await local(device)).map((c) => c.id)).not.toContain(other);
	});

	it('judges time by the server clock, whatever the device clock says', async () => {
		const skewed = createDevice('skewed', () => database.db, admin, prng(4));
		skewed.timers.advance(-20 * 365 * 24 * 3600_000); // the device thinks it is twenty years ago
		await skewed.engine.requestSync();
		await skewed.engine.idle();
		expect(Math.abs(skewed.engine.device.now().getTime() - Date.now())).toBeLessThan(60_000);
	});

	it('stops pushing when the server no longer supports the client schema, then resumes after updating', async () => {
		const old = new SyncEngine({
			store: device.store,
			transport: device.transport,
			clientId: device.engine.device.clientId,
			userId: admin.id,
			role: 'admin',
			timers: device.timers,
			schemaVersion: 0
		});
		await old.mutate(clientCreate, { id: uuidv7(), fields: { tradingviewUsername: 'from-old' } });
		await old.idle();
		expect(old.state.paused).toBe('update-required');
		expect(await outbox(device)).toHaveLength(1);
		expect(await serverCount()).toBe(0);

		// "Reload": the new release reads the same store and delivers the kept outbox.
		await device.engine.requestSync();
		await device.engine.idle();
		expect(await serverCount()).toBe(1);
		expect(await outbox(device)).toHaveLength(0);
	});

	it('a lost store resyncs fully from the server', async () => {
		await create(device, 'kept-on-server');
		await device.engine.idle();
		device.store.wipe();
		const fresh = createDevice('A again', () => database.db, admin, prng(5));
		await fresh.engine.requestSync();
		await fresh.engine.idle();
		expect((await local(fresh)).map((c) => c.tradingviewUsername)).toEqual(['kept-on-server']);
	});

	it('stores pages in order and drops the page asked for ahead when the one before fails to store', async () => {
		for (let i = 0; i < 7; i++) await create(device, `paged-${i}`);
		await device.engine.idle();
		// Pages of the change log, not a snapshot: this is about pages.
		const reader = createDevice('B', () => database.db, admin, prng(6), {
			pullLimit: 2,
			snapshot: false
		});
		const original = reader.store.transaction.bind(reader.store);
		let pageStores = 0;
		let failOn: number | null = 2;
		reader.store.transaction = (fn) =>
			original(async (tx) => {
				const setMeta = tx.setMeta.bind(tx);
				tx.setMeta = async (key, value) => {
					if (key === 'cursor' && ++pageStores === failOn) throw new Error('disk full');
					await setMeta(key, value);
				};
				return fn(tx);
			});
		const cursor = () => reader.store.transaction(async (tx) => (await tx.getMeta('cursor')) ?? 0);

		await reader.engine.requestSync();
		await reader.engine.idle();
		// The first page is stored with its cursor; the second failed, and the third, already asked
		// for while the second was being stored, was not stored either.
		// (A page of 2 rows: the first client and its "new client" notification.)
		const stored = await reader.store.transaction(async (tx) => [
			...(await tx.entity('clients').toArray()),
			...(await tx.entity('notifications').toArray())
		]);
		expect(stored).toHaveLength(2);
		expect(await cursor()).toBe(Math.max(...stored.map((row) => row.version)));
		expect(reader.engine.state.error).not.toBeNull();

		failOn = null;
		await reader.engine.requestSync();
		await reader.engine.idle();
		expect((await local(reader)).map((c) => c.tradingviewUsername).sort()).toEqual(
			Array.from({ length: 7 }, (_, i) => `paged-${i}`)
		);
		expect(await local(reader)).toEqual(await local(device));
	});
});
