import 'fake-indexeddb/auto';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientRow } from '$lib/shared/schemas/client';
import { PineGateDb } from '../db';
import { clientStore } from './store.svelte';
import { eventually } from '../../../../tests/helpers/wait';

let counter = 0;
const opened: PineGateDb[] = [];

async function database(): Promise<PineGateDb> {
	const db = new PineGateDb(`pinegate-client-store-${++counter}`);
	await db.open();
	opened.push(db);
	return db;
}

afterEach(async () => {
	clientStore.attach(null);
	for (const db of opened.splice(0)) await db.delete();
});

function client(n: number, overrides: Partial<ClientRow> = {}): ClientRow {
	const at = '2026-01-01T00:00:00.000Z';
	return {
		id: uuidv7(),
		tradingviewUsername: `trader_${n}`,
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

describe('client store', () => {
	it('loads every client, in chunks past the first 2,000, with the count it read', async () => {
		const db = await database();
		const rows = Array.from({ length: 2_345 }, (_, i) => client(i));
		await db.clients.bulkPut(rows);
		clientStore.attach(db);
		const index = await clientStore.ready();
		expect(index.size).toBe(2_345);
		expect(clientStore.total).toBe(2_345);
		expect(clientStore.loaded).toBe(2_345);
		expect(index.byId.get(rows[2_000]!.id)?.row.tradingviewUsername).toBe('trader_2000');
		// Attaching the same database again keeps what is loaded.
		clientStore.attach(db);
		expect(clientStore.index).toBe(index);
	});

	it('patches the index with the rows this or another tab changed, and drops deleted ones', async () => {
		const db = await database();
		const [ada, bob] = [client(1, { fullName: 'Ada' }), client(2, { fullName: 'Bob' })];
		await db.clients.bulkPut([ada, bob]);
		clientStore.attach(db);
		await clientStore.ready();

		const carol = client(3, { fullName: 'Carol' });
		await db.clients.put(carol);
		await db.clients.put({ ...ada, fullName: 'Ada Lovelace', version: 2 });
		await db.clients.delete(bob.id);
		await eventually(() => {
			const index = clientStore.index;
			expect(index?.size).toBe(2);
			expect(index?.byId.get(ada.id)?.row.fullName).toBe('Ada Lovelace');
			expect(index?.byId.has(bob.id)).toBe(false);
			expect(index?.byId.has(carol.id)).toBe(true);
		});
		expect(clientStore.total).toBe(2);
	});

	it('reloads everything after a change it cannot list key by key (a clear)', async () => {
		const db = await database();
		await db.clients.bulkPut([client(1), client(2), client(3)]);
		clientStore.attach(db);
		expect((await clientStore.ready()).size).toBe(3);
		await db.clients.clear();
		await eventually(() => expect(clientStore.index?.size).toBe(0));
		await db.clients.put(client(4));
		await eventually(() => expect(clientStore.index?.size).toBe(1));
	});

	it('forgets a database it leaves and ignores its later writes', async () => {
		const first = await database();
		const second = await database();
		await first.clients.bulkPut([client(1), client(2)]);
		await second.clients.put(client(3));
		clientStore.attach(first);
		expect((await clientStore.ready()).size).toBe(2);

		clientStore.attach(second);
		expect(clientStore.index).toBeNull();
		expect(clientStore.total).toBe(0);
		expect((await clientStore.ready()).size).toBe(1);
		await first.clients.put(client(9));
		await second.clients.put(client(10));
		await eventually(() => expect(clientStore.index?.size).toBe(2));

		clientStore.attach(null);
		expect(clientStore.index).toBeNull();
		expect(clientStore.loaded).toBe(0);
	});

	it('gives up quietly on a database closed under it, and loads again once reattached', async () => {
		const db = await database();
		await db.clients.put(client(1));
		db.close();
		clientStore.attach(db);
		// The load fails; nothing is shown rather than an exception escaping.
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(clientStore.index).toBeNull();
		clientStore.attach(null);
		await db.open();
		clientStore.attach(db);
		expect((await clientStore.ready()).size).toBe(1);
	});
});
