import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { clientCreate } from '$lib/shared/mutators';
import type { SessionUser } from '$lib/shared/schemas/user';
import type { PullRequest, SnapshotRequest } from '$lib/shared/sync/protocol';
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
import { seed } from '../../server/seed';

// The engine's first sync from a snapshot (docs/decisions.md §24) over the memory store, against
// the real server code: when it is used, how it goes on, and when it starts over.

describeEachDatabase('a first sync from a snapshot', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await seed(database.db, {
			clients: 30,
			indicators: 2,
			accesses: 40,
			seed: 'engine snapshot',
			now: new Date('2026-03-01T00:00:00Z'),
			reset: true
		});
		await database.exec('update sync_state set purged_through_version = 0');
		admin = await makeUser(database.db, 'admin');
	});
	afterEach(retireEngines);

	/** Counts what a device asks for. */
	function watch(device: SimulatedDevice) {
		const calls: { snapshot: SnapshotRequest[]; pull: PullRequest[] } = { snapshot: [], pull: [] };
		const snapshot = device.transport.snapshot.bind(device.transport);
		const pull = device.transport.pull.bind(device.transport);
		device.transport.snapshot = (request) => {
			calls.snapshot.push(request);
			return snapshot(request);
		};
		device.transport.pull = (request) => {
			calls.pull.push(request);
			return pull(request);
		};
		return calls;
	}

	const names = (device: SimulatedDevice) =>
		device.store.transaction(async (tx) =>
			(await tx.entity('clients').toArray()).map((c) => c.tradingviewUsername).sort()
		);
	const serverNames = async () => {
		const reader = createDevice('reader', () => database.db, admin, prng(9), { snapshot: false });
		await reader.engine.requestSync();
		await reader.engine.idle();
		return names(reader);
	};
	const sync = async (device: SimulatedDevice) => {
		await device.engine.requestSync();
		await device.engine.idle();
	};

	it('a device that never synced starts from a snapshot, then pulls from its version', async () => {
		const device = createDevice('A', () => database.db, admin, prng(1), { snapshotLimit: 20 });
		const calls = watch(device);
		await sync(device);
		expect(calls.snapshot.length).toBeGreaterThan(2);
		const version = calls.snapshot[1]!.version;
		expect(calls.snapshot.slice(1).every((request) => request.version === version)).toBe(true);
		expect(calls.pull.map((request) => request.cursor)).toEqual([version]);
		expect(await names(device)).toEqual(await serverNames());
		expect(device.engine.state).toMatchObject({ error: null, progress: null });
		expect(device.engine.state.lastSyncedAt).not.toBeNull();

		// Later syncs pull from the cursor; none asks for a snapshot again.
		const snapshots = calls.snapshot.length;
		await sync(device);
		await sync(device);
		expect(calls.snapshot.length).toBe(snapshots);
		expect(calls.pull.slice(1).every((request) => request.cursor >= (version ?? 0))).toBe(true);
	});

	it('starts over when the server purged past the snapshot’s version while it was fetched', async () => {
		const device = createDevice('A', () => database.db, admin, prng(2), { snapshotLimit: 20 });
		const other = createDevice('B', () => database.db, admin, prng(3), { snapshot: false });
		const calls = watch(device);
		const snapshot = device.transport.snapshot.bind(device.transport);
		device.transport.snapshot = async (request) => {
			const answer = await snapshot(request);
			if (calls.snapshot.length === 1 && answer.status === 'ok') {
				// Meanwhile a client is added, and tombstones up to its version are purged.
				await other.engine.mutate(clientCreate, {
					id: uuidv7(),
					fields: { tradingviewUsername: 'after-purge' }
				});
				await other.engine.idle();
				await database.exec(
					'update sync_state set purged_through_version = (select max(version) from clients)'
				);
			}
			return answer;
		};
		await sync(device);
		const restarts = calls.snapshot.filter((request) => request.version === null);
		expect(restarts.length).toBe(2);
		expect(await names(device)).toEqual(await serverNames());
		expect(await names(device)).toContain('after-purge');
	});

	it('a device holding edits before its first sync pulls pages, and keeps its edits', async () => {
		const device = createDevice('A', () => database.db, admin, prng(4));
		const calls = watch(device);
		device.transport.online = false;
		device.engine.setOnline(false);
		await device.engine.mutate(clientCreate, {
			id: uuidv7(),
			fields: { tradingviewUsername: 'made-before-first-sync' }
		});
		device.transport.online = true;
		device.engine.setOnline(true);
		await device.engine.idle();
		await sync(device);
		expect(calls.snapshot).toEqual([]);
		expect(calls.pull[0]?.cursor).toBe(0);
		expect(await names(device)).toEqual(await serverNames());
		expect(await names(device)).toContain('made-before-first-sync');
	});
});
