import 'fake-indexeddb/auto';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { clientCreate, clientDelete, clientUpdate } from '$lib/shared/mutators';
import { defineMutator, reject } from '$lib/shared/sync/mutator';
import type { ClientRow } from '$lib/shared/schemas/client';
import { PineGateDb } from '../db';
import { DexieStore } from './dexie-store';
import { mutate, type DeviceContext } from './local';
import { MemoryStore } from './memory-store';
import { PendingRows, shownRow, type RowRead } from './pending-rows';
import type { LocalStore, LocalTx } from './types';

const device: DeviceContext = {
	clientId: uuidv7(),
	userId: uuidv7(),
	role: 'admin',
	now: () => new Date()
};

afterEach(() => vi.useRealTimers());

describe('PendingRows', () => {
	it('shows a held row to every read until one that started after the commit', () => {
		const rows = new PendingRows();
		const before = rows.readStarted();
		const edit = rows.hold([{ entity: 'clients', id: 'a', row: { fullName: 'New' } }]);
		expect(rows.read('clients', 'a', before)).toEqual({ row: { fullName: 'New' } });
		expect(rows.read('clients', 'a', rows.readStarted())).toEqual({ row: { fullName: 'New' } });
		expect(rows.read('clients', 'b', before)).toBeUndefined();
		expect(rows.read('indicators', 'a', before)).toBeUndefined();
		const during = rows.readStarted();
		edit.committed();
		// A read that started before the commit may not have seen it: the held row still shows.
		expect(rows.read('clients', 'a', during)).toEqual({ row: { fullName: 'New' } });
		expect(rows.read('clients', 'a', rows.readStarted())).toBeUndefined();
	});

	it('drops an aborted edit at once, but not a later edit of the same row', () => {
		const rows = new PendingRows();
		const changes = vi.fn();
		rows.subscribe(changes);
		const first = rows.hold([{ entity: 'clients', id: 'a', row: { fullName: 'First' } }]);
		const second = rows.hold([
			{ entity: 'clients', id: 'a', row: { fullName: 'Second' } },
			{ entity: 'clients', id: 'b', row: null }
		]);
		expect(changes).toHaveBeenCalledTimes(2);
		first.aborted();
		expect(rows.read('clients', 'a', 0)).toEqual({ row: { fullName: 'Second' } });
		expect(rows.read('clients', 'b', 0)).toEqual({ row: null });
		second.aborted();
		expect(changes).toHaveBeenCalledTimes(4);
		expect(rows.read('clients', 'a', 0)).toBeUndefined();
		expect(rows.size).toBe(0);
	});

	it('forgets committed rows some seconds after their commit, and never an open one', () => {
		vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z') });
		const rows = new PendingRows();
		rows.hold([{ entity: 'clients', id: 'open', row: {} }]);
		rows.hold([{ entity: 'clients', id: 'done', row: {} }]).committed();
		vi.advanceTimersByTime(10_001);
		rows.hold([]);
		expect(rows.size).toBe(1);
		expect(rows.read('clients', 'open', rows.readStarted())).toEqual({ row: {} });
	});
});

describe('shownRow', () => {
	const read = (key: string, name: string, readAt: number): RowRead<{ fullName: string }> => ({
		key,
		row: { fullName: name },
		readAt
	});

	it('shows the held row over a read that started before the commit, the read after it', () => {
		const rows = new PendingRows();
		const early = read('a', 'Old', rows.readStarted());
		rows.hold([{ entity: 'clients', id: 'a', row: { fullName: 'New' } }]).committed();
		expect(shownRow(rows, 'clients', 'a', early)).toEqual({ fullName: 'New' });
		expect(shownRow(rows, 'clients', 'a', read('a', 'New', rows.readStarted()))).toEqual({
			fullName: 'New'
		});
		expect(shownRow(rows, 'clients', 'a', read('a', 'Later', rows.readStarted()))).toEqual({
			fullName: 'Later'
		});
	});

	it('shows a deleted row as missing, and a held row of a new id before its first read', () => {
		const rows = new PendingRows();
		rows.hold([{ entity: 'clients', id: 'gone', row: null }]);
		expect(shownRow(rows, 'clients', 'gone', read('gone', 'Old', 0))).toBeUndefined();
		rows.hold([{ entity: 'clients', id: 'b', row: { fullName: 'B' } }]).committed();
		// The last read is of another id, however late it started.
		const other = read('a', 'A', rows.readStarted());
		expect(shownRow(rows, 'clients', 'b', other)).toEqual({ fullName: 'B' });
		expect(shownRow(rows, 'clients', 'c', other)).toEqual({ fullName: 'A' });
		expect(shownRow(rows, 'clients', null, undefined)).toBeUndefined();
	});
});

describe('an edit holds its rows while it commits', () => {
	let db: PineGateDb | undefined;
	afterEach(async () => {
		await db?.delete();
		db = undefined;
	});

	/** A Dexie store holding one client, created with this username. */
	async function storeWithClient(username: string) {
		db = new PineGateDb(`pinegate-pending-${uuidv7()}`);
		await db.open();
		const store = new DexieStore(db);
		const id = uuidv7();
		await mutate(store, device, clientCreate, { id, fields: { tradingviewUsername: username } });
		return { db, store, rows: store.pendingRows, id };
	}

	it('holds the row as the mutator left it before the commit, and lets go after it (Dexie)', async () => {
		const { db, store, rows, id } = await storeWithClient('alpha');
		let settled = false;
		const seen: Array<{ row: object | null } | undefined> = [];
		const stop = rows.subscribe(() => {
			if (!settled) seen.push(rows.read('clients', id, rows.readStarted()));
		});
		const edit = mutate(store, device, clientUpdate, {
			id,
			base: null,
			patch: { fullName: 'A. Lpha' }
		}).finally(() => (settled = true));
		await edit;
		stop();
		expect(seen).toHaveLength(1);
		expect(seen[0]?.row).toMatchObject({ id, tradingviewUsername: 'alpha', fullName: 'A. Lpha' });
		expect(rows.read('clients', id, rows.readStarted())).toBeUndefined();
		expect(await db.clients.get(id)).toMatchObject({ fullName: 'A. Lpha' });
	});

	it('holds a deleted row as null, and holds nothing for an edit the device refuses', async () => {
		const rows = new PendingRows();
		const store: LocalStore = Object.assign(new MemoryStore(), { pendingRows: rows });
		const id = uuidv7();
		await mutate(store, device, clientCreate, { id, fields: { tradingviewUsername: 'beta' } });
		const held: unknown[] = [];
		rows.subscribe(() => held.push(rows.read('clients', id, 0)?.row));
		await expect(
			mutate(store, device, clientCreate, { id: uuidv7(), fields: { tradingviewUsername: 'BETA' } })
		).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
		expect(held).toEqual([]);
		await mutate(store, device, clientDelete, { id });
		expect(held).toEqual([null]);
	});

	it('shows a row as it is written, and drops it when the mutator refuses after writing (Dexie)', async () => {
		const { db, store, rows, id } = await storeWithClient('delta');
		// Renames, then finds a reason to refuse: the rename was on screen, and goes with the abort.
		const renameThenRefuse = defineMutator({
			name: 'test.renameThenRefuse',
			args: z.object({ id: z.string() }),
			permission: 'clients.edit',
			target: (args) => ({ entity: 'clients', id: args.id }),
			async apply(tx, args) {
				await tx.update('clients', args.id, { fullName: 'Never saved' });
				reject('VALIDATION', { field: 'fullName', message: 'no' });
			}
		});
		const shown: unknown[] = [];
		const stop = rows.subscribe(() =>
			shown.push((rows.read('clients', id, 0)?.row as ClientRow | undefined)?.fullName)
		);
		await expect(mutate(store, device, renameThenRefuse, { id })).rejects.toMatchObject({
			code: 'VALIDATION'
		});
		stop();
		expect(shown).toEqual(['Never saved', undefined]);
		expect((await db.clients.get(id))?.fullName).toBeNull();
		expect(await db.outbox.count()).toBe(1);
	});

	it('drops the held row when the transaction fails after the mutator ran', async () => {
		const rows = new PendingRows();
		class FailingCommit extends MemoryStore {
			fail = false;
			override transaction<T>(fn: (tx: LocalTx) => Promise<T>): Promise<T> {
				return super.transaction(async (tx) => {
					const result = await fn(tx);
					if (this.fail) throw new Error('commit failed');
					return result;
				});
			}
		}
		const memory = new FailingCommit();
		const store: LocalStore = Object.assign(memory, { pendingRows: rows });
		const id = uuidv7();
		await mutate(store, device, clientCreate, { id, fields: { tradingviewUsername: 'gamma' } });
		memory.fail = true;
		const shown: unknown[] = [];
		rows.subscribe(() =>
			shown.push((rows.read('clients', id, 0)?.row as ClientRow | undefined)?.fullName)
		);
		await expect(
			mutate(store, device, clientUpdate, { id, base: null, patch: { fullName: 'Lost' } })
		).rejects.toThrow('commit failed');
		// Shown while the transaction was open, gone with its failure; the store kept the old row.
		expect(shown).toEqual(['Lost', undefined]);
		expect(rows.size).toBe(0);
		memory.fail = false;
		const row = await store.transaction((tx) => tx.entity('clients').get(id));
		expect(row?.fullName).toBeNull();
	});
});
