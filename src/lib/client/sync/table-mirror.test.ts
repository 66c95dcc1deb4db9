import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessRow } from '$lib/shared/schemas/access';
import { deviceAccess } from '../../../../tests/factories/device-rows';
import { PineGateDb } from '../db';
import { rowSetKind, type RowSet } from './row-set';
import { TableMirror } from './table-mirror.svelte';
import { eventually } from '../../../../tests/helpers/wait';

// The client store's tests (clients/store.test.ts) hold the mirror's loading, patching, reloading
// and detaching; these hold a mirror of whole rows to what a fresh read of the table gives.

let counter = 0;
const opened: PineGateDb[] = [];
const mirror = new TableMirror<AccessRow, RowSet<AccessRow>>(rowSetKind<AccessRow>('accesses', 3));

async function database(): Promise<PineGateDb> {
	const db = new PineGateDb(`pinegate-table-mirror-${++counter}`);
	await db.open();
	opened.push(db);
	return db;
}

afterEach(async () => {
	mirror.detach();
	for (const db of opened.splice(0)) await db.delete();
});

const access = deviceAccess;

describe('a table mirror of whole rows', () => {
	it('loads every row in key order, in chunks, and stays equal to the table as it changes', async () => {
		const db = await database();
		const rows = Array.from({ length: 8 }, () => access());
		// Written out of key order: the mirror gives them in the table's order, as toArray does.
		await db.accesses.bulkPut([...rows].reverse());
		mirror.attach(db);
		const loaded = await mirror.ready();
		expect(loaded.rows).toEqual(await db.accesses.toArray());
		expect(mirror.loaded).toBe(8);

		// An update, a delete and an insert, each in its own transaction (three notifications).
		await db.accesses.put({ ...rows[2]!, tvState: 'verified', version: 2 });
		await db.accesses.delete(rows[5]!.id);
		const added = access();
		await db.accesses.put(added);
		await eventually(async () => {
			expect(mirror.value?.rows).toEqual(await db.accesses.toArray());
		});
		expect(mirror.value?.byId.get(rows[2]!.id)?.tvState).toBe('verified');
		expect(mirror.value?.byId.has(rows[5]!.id)).toBe(false);
		expect(mirror.total).toBe(8);
		// Rows that did not change are the same objects: nothing re-read them.
		expect(mirror.value?.byId.get(rows[0]!.id)).toBe(loaded.byId.get(rows[0]!.id));
	});

	it('detached, it forgets the rows and hears nothing more', async () => {
		const db = await database();
		await db.accesses.bulkPut([access(), access()]);
		mirror.attach(db);
		await mirror.ready();
		mirror.attach(null);
		expect(mirror.value).toBeNull();
		await db.accesses.put(access());
		await new Promise((resolve) => setTimeout(resolve, 40));
		expect(mirror.value).toBeNull();
	});
});
