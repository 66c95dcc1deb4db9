import 'fake-indexeddb/auto';
import type Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
	droppedInV5,
	PineGateDb,
	schemaV1,
	schemaV2,
	schemaV3,
	schemaV4,
	schemaV5,
	type MetaRow
} from './db';
import { BASES_TABLE, PIECES_TABLE } from './packed/packed-middleware';
import type { BaseDirectory } from './packed/pieces';
import { forgetStagedIndexes, publishBase, stageBaseRows } from './packed/staging';

// Version 5 drops indexes no read uses. A device whose first sync ran before it holds packed
// bases with those indexes' pieces; the upgrade forgets them, and every read that remains still
// finds its rows through the base.

const name = 'pinegate-upgrade-v5';
const opened: PineGateDb[] = [];

afterEach(async () => {
	for (const db of opened.splice(0)) db.close();
	await new PineGateDb(name).delete();
	forgetStagedIndexes();
});

async function open(versions?: (db: Dexie) => void): Promise<PineGateDb> {
	const db = new PineGateDb(name, {}, versions);
	await db.open();
	opened.push(db);
	return db;
}

const clientColumns = ['id', 'tradingviewUsername', 'email', 'fullName', 'status', 'registeredAt'];
const clientRows = Array.from({ length: 30 }, (_, n) => [
	`c${String(n).padStart(3, '0')}`,
	`trader${n}`,
	n % 3 === 0 ? null : `t${n}@example.com`,
	`Name ${n}`,
	n % 2 === 0 ? 'active' : 'lead',
	`2026-01-${String((n % 28) + 1).padStart(2, '0')}T00:00:00.000Z`
]);
const eventColumns = ['id', 'accessId', 'clientId', 'kind'];
const eventRows = Array.from({ length: 40 }, (_, n) => [
	`e${String(n).padStart(3, '0')}`,
	`a${n % 7}`,
	`c${String(n % 5).padStart(3, '0')}`,
	'granted'
]);

async function packedBase(db: PineGateDb, table: string, columns: string[], values: unknown[][]) {
	const tables = [table, BASES_TABLE, PIECES_TABLE];
	const staged = await db.transaction('rw', tables, (tx) =>
		stageBaseRows(tx, table, 'g1', { columns, values }, { pieces: 0, batches: 0 })
	);
	await db.transaction('rw', tables, (tx) => publishBase(tx, table, 'g1', staged));
}

const indexPieces = async (db: PineGateDb, table: string, index: string) =>
	(await db.table<{ id: string }, string>(PIECES_TABLE).toCollection().primaryKeys()).filter(
		(id) => id.startsWith(`${table}/`) && id.includes(`/i:${index}:`)
	);

describe('Dexie version 5', () => {
	it('forgets the pieces of the indexes it drops from bases built before it, and reads go on', async () => {
		const v4 = await open((db) =>
			db.version(4).stores({ ...schemaV1, ...schemaV2, ...schemaV3, ...schemaV4 })
		);
		await packedBase(v4, 'clients', clientColumns, clientRows);
		await packedBase(v4, 'accessEvents', eventColumns, eventRows);
		const outbox = { id: 1, name: 'client.update', args: {}, status: 'pending' };
		await v4.table('outbox').put(outbox);
		await v4.table('meta').put({ key: 'cursor', value: 41 } satisfies MetaRow);
		for (const [table, names] of Object.entries(droppedInV5))
			for (const index of names) expect(await indexPieces(v4, table, index)).not.toHaveLength(0);
		const kept = await indexPieces(v4, 'clients', 'email');
		expect(kept).not.toHaveLength(0);
		v4.close();

		const v5 = await open();
		expect(v5.verno).toBe(5);
		for (const [table, names] of Object.entries(droppedInV5)) {
			const base = (await v5.table(BASES_TABLE).get(table)) as BaseDirectory;
			for (const index of names) {
				expect(await indexPieces(v5, table, index)).toEqual([]);
				expect(base.indexes).not.toHaveProperty(index);
			}
			expect(v5.table(table).schema.indexes.map((index) => index.name)).toEqual(
				schemaV5[table as keyof typeof schemaV5].split(', ').slice(1)
			);
		}
		expect(await indexPieces(v5, 'clients', 'email')).toEqual(kept);
		expect(await v5.table('outbox').toArray()).toEqual([outbox]);
		expect(await v5.table('meta').get('cursor')).toEqual({ key: 'cursor', value: 41 });

		// The base's rows, by key and through each index left.
		expect(await v5.clients.count()).toBe(30);
		expect(await v5.clients.get('c004')).toMatchObject({ fullName: 'Name 4', status: 'active' });
		expect(
			(await v5.clients.where('email').equals('t7@example.com').toArray()).map((c) => c.id)
		).toEqual(['c007']);
		expect(
			(await v5.clients.where('tradingviewUsername').equals('trader12').primaryKeys()).sort()
		).toEqual(['c012']);
		expect((await v5.clients.orderBy('registeredAt').first())?.registeredAt).toBe(
			'2026-01-01T00:00:00.000Z'
		);
		expect((await v5.accessEvents.where('accessId').equals('a3').primaryKeys()).sort()).toEqual([
			'e003',
			'e010',
			'e017',
			'e024',
			'e031',
			'e038'
		]);
	});
});
