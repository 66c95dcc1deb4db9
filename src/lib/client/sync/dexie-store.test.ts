import 'fake-indexeddb/auto';
import Dexie, { type ObservabilitySet } from 'dexie';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '$lib/shared/errors';
import { clientCreate, clientUpdate } from '$lib/shared/mutators';
import type { ClientRow } from '$lib/shared/schemas/client';
import { primaryKeyPart } from '../clients/changes';
import { PineGateDb } from '../db';
import { DexieStore } from './dexie-store';
import { mutate, storePullPage, type DeviceContext } from './local';
import { MemoryStore } from './memory-store';
import type { LocalStore, LocalTx, OutboxEntry } from './types';

let opened: PineGateDb[] = [];
let counter = 0;

afterEach(async () => {
	for (const db of opened) await db.delete();
	opened = [];
});

async function dexieStore(): Promise<LocalStore> {
	const db = new PineGateDb(`pinegate-store-test-${++counter}`);
	await db.open();
	opened.push(db);
	return new DexieStore(db);
}

function client(overrides: Partial<ClientRow> = {}): ClientRow {
	const at = '2026-01-01T00:00:00.000Z';
	return {
		id: uuidv7(),
		tradingviewUsername: `user_${counter}_${Math.random().toString(36).slice(2, 8)}`,
		tvUsernameState: 'unverified',
		email: null,
		fullName: null,
		registeredAt: at,
		status: 'active',
		notes: null,
		createdAt: at,
		updatedAt: at,
		version: 1,
		deletedAt: null,
		...overrides
	};
}

function entry(id: number, entityId = uuidv7()): OutboxEntry {
	return {
		id,
		name: 'client.update',
		args: { id: entityId },
		createdAt: new Date().toISOString(),
		status: 'pending',
		entity: 'clients',
		entityId
	};
}

const device: DeviceContext = {
	clientId: uuidv7(),
	userId: uuidv7(),
	role: 'admin',
	now: () => new Date()
};

// The same behaviour checks on the reference store and on Dexie: the core relies on exactly these.
describe.each([
	['MemoryStore', () => Promise.resolve<LocalStore>(new MemoryStore())],
	['DexieStore', dexieStore]
])('%s', (_name, makeStore) => {
	it('puts and gets copies, not live objects', async () => {
		const store = await makeStore();
		const row = client({ fullName: 'Ada' });
		await store.transaction((tx) => tx.entity('clients').put(row));
		const read = await store.transaction(async (tx) => {
			const got = await tx.entity('clients').get(row.id);
			if (got) got.fullName = 'changed in memory only';
			return tx.entity('clients').get(row.id);
		});
		expect(read).toEqual(row);
		expect(await store.transaction((tx) => tx.entity('clients').get('missing'))).toBeUndefined();
	});

	it('lists rows in key order, numbers numerically', async () => {
		const store = await makeStore();
		await store.transaction(async (tx) => {
			await tx.outbox.bulkPut([entry(10), entry(2), entry(1)]);
			await tx.shadows.put({ key: 'clients/b', entity: 'clients', id: 'b', row: null });
			await tx.shadows.put({ key: 'clients/a', entity: 'clients', id: 'a', row: null });
		});
		const { ids, keys } = await store.transaction(async (tx) => ({
			ids: (await tx.outbox.toArray()).map((e) => e.id),
			keys: (await tx.shadows.toArray()).map((s) => s.key)
		}));
		expect(ids).toEqual([1, 2, 10]);
		expect(keys).toEqual(['clients/a', 'clients/b']);
	});

	it('finds rows by field, case-insensitively when asked, with a limit', async () => {
		const store = await makeStore();
		const rows = [
			client({ tradingviewUsername: 'TraderJoe', email: 'joe@example.com' }),
			client({ tradingviewUsername: 'traderjoe', email: null }),
			client({ tradingviewUsername: 'someone', email: 'JOE@example.com', notes: 'vip' })
		];
		await store.transaction((tx) => tx.entity('clients').bulkPut(rows));
		const found = await store.transaction(async (tx) => {
			const clients = tx.entity('clients');
			return {
				exact: await clients.where('tradingviewUsername', 'traderjoe'),
				ci: await clients.where('tradingviewUsername', 'TRADERJOE', { ci: true }),
				limited: await clients.where('tradingviewUsername', 'TRADERJOE', { ci: true, limit: 1 }),
				email: await clients.where('email', 'joe@example.com', { ci: true }),
				nullEmail: await clients.where('email', null),
				unindexed: await clients.where('notes', 'vip'),
				none: await clients.where('tradingviewUsername', 'nobody', { ci: true })
			};
		});
		const sortedIds = (list: ClientRow[]) => list.map((r) => r.id);
		const inKeyOrder = (list: ClientRow[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
		expect(sortedIds(found.exact)).toEqual([rows[1]!.id]);
		expect(sortedIds(found.ci)).toEqual(sortedIds(inKeyOrder([rows[0]!, rows[1]!])));
		expect(found.limited).toHaveLength(1);
		expect(found.limited[0]!.id).toBe(inKeyOrder([rows[0]!, rows[1]!])[0]!.id);
		expect(sortedIds(found.email)).toEqual(sortedIds(inKeyOrder([rows[0]!, rows[2]!])));
		expect(sortedIds(found.nullEmail)).toEqual([rows[1]!.id]);
		expect(sortedIds(found.unindexed)).toEqual([rows[2]!.id]);
		expect(found.none).toEqual([]);
	});

	it('finds rejections by entity and outbox entries by key', async () => {
		const store = await makeStore();
		const target = uuidv7();
		await store.transaction(async (tx) => {
			for (const id of [3, 1, 2]) {
				await tx.rejections.put({
					mutationId: id,
					name: 'client.update',
					args: {},
					entity: 'clients',
					entityId: id === 2 ? uuidv7() : target,
					code: 'USERNAME_TAKEN',
					params: { clientId: 'x' },
					at: new Date().toISOString(),
					dependsOn: null
				});
			}
			await tx.outbox.put(entry(7));
		});
		const { rejections, byKey } = await store.transaction(async (tx) => ({
			rejections: await tx.rejections.where('entityId', target),
			byKey: await tx.outbox.where('id', 7)
		}));
		expect(rejections.map((r) => r.mutationId)).toEqual([1, 3]);
		expect(byKey.map((e) => e.id)).toEqual([7]);
	});

	it('bulk writes, deletes, counts and clears', async () => {
		const store = await makeStore();
		const rows = [client(), client(), client()];
		await store.transaction(async (tx) => {
			await tx.entity('clients').bulkPut(rows);
			await tx.entity('clients').bulkPut([]);
			await tx.entity('clients').bulkDelete([]);
		});
		expect(await store.transaction((tx) => tx.entity('clients').count())).toBe(3);
		await store.transaction((tx) => tx.entity('clients').bulkDelete([rows[0]!.id, rows[1]!.id]));
		expect(
			(await store.transaction((tx) => tx.entity('clients').toArray())).map((r) => r.id)
		).toEqual([rows[2]!.id]);
		await store.transaction((tx) => tx.entity('clients').delete(rows[2]!.id));
		await store.transaction((tx) => tx.entity('clients').delete('never-there'));
		expect(await store.transaction((tx) => tx.entity('clients').count())).toBe(0);
		await store.transaction((tx) => tx.outbox.bulkPut([entry(1), entry(2)]));
		await store.transaction((tx) => tx.outbox.clear());
		expect(await store.transaction((tx) => tx.outbox.count())).toBe(0);
	});

	it('keeps meta values by key', async () => {
		const store = await makeStore();
		expect(await store.transaction((tx) => tx.getMeta('cursor'))).toBeUndefined();
		await store.transaction(async (tx) => {
			await tx.setMeta('cursor', 42);
			await tx.setMeta('clientId', 'device-1');
			await tx.setMeta('cursor', 43);
		});
		expect(
			await store.transaction(async (tx) => [
				await tx.getMeta('cursor'),
				await tx.getMeta('clientId')
			])
		).toEqual([43, 'device-1']);
	});

	it('rolls the whole transaction back when it throws, passing the error through', async () => {
		const store = await makeStore();
		const kept = client();
		await store.transaction((tx) => tx.entity('clients').put(kept));
		const failure = new AppError('USERNAME_TAKEN', { clientId: kept.id });
		await expect(
			store.transaction(async (tx) => {
				await tx.entity('clients').put(client());
				await tx.entity('clients').delete(kept.id);
				await tx.outbox.put(entry(1));
				await tx.setMeta('cursor', 99);
				throw failure;
			})
		).rejects.toBe(failure);
		const after = await store.transaction(async (tx) => ({
			clients: (await tx.entity('clients').toArray()).map((r) => r.id),
			outbox: await tx.outbox.count(),
			cursor: await tx.getMeta('cursor')
		}));
		expect(after).toEqual({ clients: [kept.id], outbox: 0, cursor: undefined });
	});

	it('runs transactions one at a time: concurrent read-modify-writes lose nothing', async () => {
		const store = await makeStore();
		await Promise.all(
			Array.from({ length: 20 }, () =>
				store.transaction(async (tx) => {
					const n = (await tx.getMeta('nextMutationId')) ?? 0;
					await tx.entity('clients').get('anything');
					await tx.setMeta('nextMutationId', n + 1);
				})
			)
		);
		expect(await store.transaction((tx) => tx.getMeta('nextMutationId'))).toBe(20);
	});

	it('keeps bookkeeping in its own transactions: writes commit, and a read refuses to write', async () => {
		const store = await makeStore();
		await store.engine('write', async (tx) => {
			await tx.outbox.put(entry(1));
			await tx.setMeta('cursor', 7);
		});
		const seen = await store.engine('read', async (tx) => ({
			outbox: (await tx.outbox.toArray()).map((e) => e.id),
			cursor: await tx.getMeta('cursor')
		}));
		expect(seen).toEqual({ outbox: [1], cursor: 7 });
		// The types give a read no writes; a cast past them is refused at run time, and nothing of
		// the transaction is kept, as IndexedDB does with a read-only transaction.
		const writeInRead = store.engine('read', async (tx) => {
			await (tx.outbox as LocalTx['outbox']).put(entry(2));
		});
		await expect(writeInRead).rejects.toThrow(/read-?only/i);
		expect(await store.engine('read', (tx) => tx.outbox.count())).toBe(1);
	});

	it('runs the core: an optimistic write and its outbox entry, and a local refusal that writes nothing', async () => {
		const store = await makeStore();
		const id = uuidv7();
		await mutate(store, device, clientCreate, { id, fields: { tradingviewUsername: 'Alpha' } });
		await mutate(store, device, clientUpdate, { id, base: null, patch: { fullName: 'A. Lpha' } });
		await expect(
			mutate(store, device, clientCreate, {
				id: uuidv7(),
				fields: { tradingviewUsername: 'ALPHA' }
			})
		).rejects.toMatchObject({ code: 'USERNAME_TAKEN', params: { clientId: id } });
		const state = await store.transaction(async (tx) => ({
			clients: await tx.entity('clients').toArray(),
			outbox: (await tx.outbox.toArray()).map((e) => [e.id, e.name]),
			shadows: (await tx.shadows.toArray()).map((s) => [s.key, s.row]),
			next: await tx.getMeta('nextMutationId')
		}));
		expect(state.clients).toHaveLength(1);
		expect(state.clients[0]).toMatchObject({ tradingviewUsername: 'Alpha', fullName: 'A. Lpha' });
		expect(state.outbox).toEqual([
			[1, 'client.create'],
			[2, 'client.update']
		]);
		expect(state.shadows).toEqual([[`clients/${id}`, null]]);
		expect(state.next).toBe(3);
	});
});

describe('DexieStore transaction scope', () => {
	it('leaves the synced rows out of bookkeeping: a read of a client does not wait for one', async () => {
		// IndexedDB queues a transaction behind every earlier one whose tables overlap. The counts
		// after each edit and the next push batch are read in bookkeeping transactions; over every
		// table, each would hold up the screen's read of the client just edited.
		const db = new PineGateDb(`pinegate-store-test-${++counter}`);
		await db.open();
		opened.push(db);
		const store = new DexieStore(db);
		const row = client();
		await store.transaction((tx) => tx.entity('clients').put(row));
		let started!: () => void;
		const inside = new Promise<void>((resolve) => (started = resolve));
		let rowRead = false;
		const bookkeeping = store.engine('write', async (tx) => {
			started();
			// Each request keeps the transaction open: stay until the row was read, or give up.
			for (let i = 0; i < 200 && !rowRead; i++) await tx.getMeta('cursor');
			return rowRead;
		});
		await inside;
		const read = db.clients.get(row.id).then((found) => {
			rowRead = true;
			return found;
		});
		expect(await bookkeeping).toBe(true);
		expect(await read).toEqual(row);
	});

	it('stores a page that changes nothing without rewriting the rows under a pending edit', async () => {
		// A heartbeat, or the poke an edit's own push sends back: no rows, nothing answered. The
		// bookkeeping moves; a rebase would put the pending edit's row again and wake every live
		// query of it (the profile on screen re-rendering, the next edit waiting for the rows).
		const db = new PineGateDb(`pinegate-store-test-${++counter}`);
		await db.open();
		opened.push(db);
		const store = new DexieStore(db);
		const row = client({ fullName: 'Server' });
		await store.transaction((tx) => tx.entity('clients').put(row));
		const { mutationId } = await mutate(store, device, clientUpdate, {
			id: row.id,
			base: null,
			patch: { fullName: 'Pending' }
		});
		const touched: string[] = [];
		const clients = primaryKeyPart(db.name, 'clients');
		const listener = (parts: ObservabilitySet) => {
			if (clients in parts) touched.push('clients');
		};
		Dexie.on.storagemutated.subscribe(listener);
		try {
			const page = {
				status: 'ok' as const,
				rows: {},
				more: false,
				rejected: [],
				total: null,
				serverNow: '2026-01-02T00:00:00.000Z'
			};
			await storePullPage(store, device, { ...page, cursor: 7, lastMutationId: 0 }, 1_000);
			expect(touched).toEqual([]);
			expect(await db.meta.get('cursor')).toEqual({ key: 'cursor', value: 7 });
			expect(await db.meta.get('lastSyncedAt')).toEqual({
				key: 'lastSyncedAt',
				value: new Date(1_000).toISOString()
			});
			expect((await db.clients.get(row.id))?.fullName).toBe('Pending');
			expect(await db.outbox.count()).toBe(1);

			// The page that answers the edit does rebase: the outbox empties, the server's row shows.
			await storePullPage(
				store,
				device,
				{ ...page, cursor: 8, lastMutationId: mutationId, rows: { clients: [row] } },
				2_000
			);
			expect(touched).not.toEqual([]);
			expect(await db.outbox.count()).toBe(0);
			expect((await db.clients.get(row.id))?.fullName).toBe('Server');
		} finally {
			Dexie.on.storagemutated.unsubscribe(listener);
		}
	});
});
