import 'fake-indexeddb/auto';
import Dexie, { liveQuery, type Table } from 'dexie';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { installBase } from './install';
import { BASES_TABLE, PIECES_TABLE, packedMiddleware } from './packed-middleware';

// The packed table must answer every read exactly as a plain table holding the same rows: the
// reference here is a second database where the base's rows were simply put in the row table.

interface Row {
	id: string;
	name: string | null;
	group: number | null;
	score: number;
}

const stores = { rows: 'id, name, group, score' };
let counter = 0;
let opened: Dexie[] = [];

afterEach(async () => {
	for (const db of opened) await db.delete();
	opened = [];
});

async function open(packed: boolean): Promise<Dexie & { rows: Table<Row, string> }> {
	const db = new Dexie(`packed-test-${++counter}`) as Dexie & { rows: Table<Row, string> };
	if (packed) {
		db.version(1).stores({ ...stores, [BASES_TABLE]: 'table', [PIECES_TABLE]: 'id' });
		db.use(packedMiddleware({ tables: ['rows'], cacheSize: 20 }));
	} else db.version(1).stores(stores);
	await db.open();
	opened.push(db);
	return db;
}

const id = fc.nat(30).map((n) => `k${String(n).padStart(2, '0')}`);
const name = fc.constantFrom(null, 'Ann', 'ann', 'ANN', 'Bob', 'bob', 'Carla', 'ca', 'Zed');
const row = fc.record({
	id,
	name,
	group: fc.constantFrom(null, 0, 1, 2),
	score: fc.integer({ min: -5, max: 5 })
});

type Op =
	| { kind: 'put'; rows: Row[] }
	| { kind: 'delete'; ids: string[] }
	| { kind: 'deleteRange'; from: string; to: string }
	| { kind: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant('put' as const),
			rows: fc.array(row, { maxLength: 4 })
		})
	},
	{
		weight: 3,
		arbitrary: fc.record({
			kind: fc.constant('delete' as const),
			ids: fc.array(id, { maxLength: 4 })
		})
	},
	{
		weight: 1,
		arbitrary: fc.record({ kind: fc.constant('deleteRange' as const), from: id, to: id })
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) }
);

async function apply(db: Dexie & { rows: Table<Row, string> }, ops: Op[]) {
	for (const change of ops) {
		if (change.kind === 'put') await db.rows.bulkPut(change.rows);
		else if (change.kind === 'delete') await db.rows.bulkDelete(change.ids);
		else if (change.kind === 'deleteRange')
			await db.rows.where(':id').between(change.from, change.to, true, true).delete();
		else await db.rows.clear();
	}
}

type Query = (db: Dexie & { rows: Table<Row, string> }) => Promise<unknown>;

const query: fc.Arbitrary<[string, Query]> = fc.oneof(
	id.map((key): [string, Query] => [`get ${key}`, (db) => db.rows.get(key)]),
	fc
		.array(id, { maxLength: 5 })
		.map((keys): [string, Query] => [`bulkGet ${keys.join()}`, (db) => db.rows.bulkGet(keys)]),
	name.map((value): [string, Query] => [
		`name = ${value}`,
		(db) => (value === null ? Promise.resolve(null) : db.rows.where('name').equals(value).toArray())
	]),
	// Dexie walks these with cursor jumps (`continue(key)`), forwards or backwards.
	fc
		.tuple(fc.constantFrom('ann', 'BOB', 'carla', 'c'), fc.boolean())
		.map(([value, reverse]): [string, Query] => [
			`name ~ ${value} reverse ${reverse}`,
			(db) => {
				const found = db.rows.where('name').equalsIgnoreCase(value);
				return (reverse ? found.reverse() : found).toArray();
			}
		]),
	fc
		.tuple(fc.constantFrom('a', 'C', 'z', 'b'), fc.boolean())
		.map(([value, reverse]): [string, Query] => [
			`name starts ~ ${value} reverse ${reverse}`,
			(db) => {
				const found = db.rows.where('name').startsWithIgnoreCase(value);
				return (reverse ? found.reverse() : found).primaryKeys();
			}
		]),
	fc
		.tuple(fc.subarray(['ann', 'bob', 'zed']), fc.boolean())
		.map(([values, reverse]): [string, Query] => [
			`name any ~ ${values.join()} reverse ${reverse}`,
			(db) => {
				const found = db.rows.where('name').anyOfIgnoreCase(values);
				return (reverse ? found.reverse() : found).toArray();
			}
		]),
	fc
		.subarray([0, 1, 2])
		.map((groups): [string, Query] => [
			`group in ${groups.join()}`,
			(db) => db.rows.where('group').anyOf(groups).toArray()
		]),
	fc
		.tuple(
			fc.integer({ min: -6, max: 6 }),
			fc.integer({ min: -6, max: 6 }),
			fc.boolean(),
			fc.boolean()
		)
		.map(([a, b, lowerIn, upperIn]): [string, Query] => [
			`score between ${a} ${b} ${lowerIn} ${upperIn}`,
			(db) => db.rows.where('score').between(a, b, lowerIn, upperIn).toArray()
		]),
	fc
		.tuple(fc.constantFrom('name', 'group', 'score', ':id'), fc.boolean(), fc.nat(6), fc.nat(8))
		.map(([index, reverse, offset, limit]): [string, Query] => [
			`orderBy ${index} reverse ${reverse} offset ${offset} limit ${limit}`,
			(db) => {
				const ordered = reverse ? db.rows.orderBy(index).reverse() : db.rows.orderBy(index);
				return ordered.offset(offset).limit(limit).toArray();
			}
		]),
	fc
		.tuple(id, fc.nat(6))
		.map(([key, limit]): [string, Query] => [
			`id above ${key} limit ${limit}`,
			(db) => db.rows.where(':id').above(key).limit(limit).toArray()
		]),
	fc
		.constantFrom('name', 'group', 'score')
		.map((index): [string, Query] => [
			`uniqueKeys ${index}`,
			async (db) => [
				await db.rows.orderBy(index).uniqueKeys(),
				await db.rows.orderBy(index).reverse().uniqueKeys()
			]
		]),
	fc.constant<[string, Query]>(['count', (db) => db.rows.count()]),
	fc
		.constantFrom(0, 1, 2)
		.map((group): [string, Query] => [
			`count group ${group}`,
			(db) => db.rows.where('group').equals(group).count()
		]),
	fc
		.integer({ min: -5, max: 5 })
		.map((min): [string, Query] => [
			`filter score > ${min}`,
			(db) => db.rows.filter((r) => r.score > min).toArray()
		]),
	fc.constant<[string, Query]>([
		'each',
		async (db) => {
			const seen: string[] = [];
			await db.rows.orderBy('group').each((r) => seen.push(r.id));
			return seen;
		}
	]),
	fc.constant<[string, Query]>(['toArray', (db) => db.rows.toArray()])
);

/** The answer, or the name of the error both must throw alike (an empty open range, say). */
const outcome = (run: Query, db: Dexie & { rows: Table<Row, string> }) =>
	run(db).catch((error: unknown) => ({ error: (error as Error).name }));

describe('a packed table', () => {
	it('answers every read as a plain table holding the same rows', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uniqueArray(row, { selector: (r) => r.id, maxLength: 40 }),
				fc.array(op, { maxLength: 6 }),
				fc.array(query, { minLength: 1, maxLength: 8 }),
				fc.integer({ min: 1, max: 7 }),
				fc.integer({ min: 1, max: 9 }),
				// Data pieces stored whole (as before slices) or in slices of 1–3 rows.
				fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
				async (base, ops, queries, rowsPerPiece, entriesPerPiece, rowsPerSlice) => {
					const [plain, packed] = await Promise.all([open(false), open(true)]);
					await plain.rows.bulkPut(base);
					await installBase(packed, 'rows', 'g1', base, {
						rowsPerPiece,
						entriesPerPiece,
						rowsPerSlice
					});
					await Promise.all([apply(plain, ops), apply(packed, ops)]);
					for (const [label, run] of queries)
						expect(await outcome(run, packed), label).toEqual(await outcome(run, plain));
					await Promise.all([plain.delete(), packed.delete()]);
					opened = opened.filter((db) => db !== plain && db !== packed);
				}
			),
			{ numRuns: 500 }
		);
	});

	it('keeps base rows in pieces, not in the row table, and a delete leaves a marker', async () => {
		const packed = await open(true);
		const rows = Array.from({ length: 10 }, (_, n) => ({
			id: `k${n}`,
			name: `N${n}`,
			group: n % 3,
			score: n
		}));
		await installBase(packed, 'rows', 'g1', rows, { rowsPerPiece: 4 });
		await packed.rows.delete('k3');
		await packed.rows.put({ id: 'k4', name: 'changed', group: 9, score: 0 });
		const raw = await Dexie.waitFor(
			new Promise<unknown[]>((resolve, reject) => {
				const request = indexedDB.open(packed.name);
				request.onerror = () => reject(request.error ?? new Error('open failed'));
				request.onsuccess = () => {
					const idb = request.result;
					const all = idb.transaction('rows').objectStore('rows').getAll();
					all.onsuccess = () => {
						idb.close();
						resolve(all.result);
					};
				};
			})
		);
		expect(raw).toEqual([
			{ id: 'k3', __deletedInBase: 1 },
			{ id: 'k4', name: 'changed', group: 9, score: 0 }
		]);
		expect(await packed.table(PIECES_TABLE).count()).toBeGreaterThanOrEqual(3);
		expect(await packed.rows.count()).toBe(9);
		expect(await packed.rows.get('k3')).toBeUndefined();
		expect(await packed.rows.where('group').equals(9).primaryKeys()).toEqual(['k4']);
	});

	it('hands out copies: changing a row read does not change the next read', async () => {
		const packed = await open(true);
		await installBase(packed, 'rows', 'g1', [{ id: 'k1', name: 'A', group: 1, score: 1 }]);
		const first = await packed.rows.get('k1');
		first!.name = 'mutated';
		(await packed.rows.toArray())[0]!.score = 99;
		expect(await packed.rows.get('k1')).toEqual({ id: 'k1', name: 'A', group: 1, score: 1 });
	});

	it('wakes live queries on a write over the base, a delete of a base row and a new base', async () => {
		const packed = await open(true);
		await installBase(packed, 'rows', 'g1', [
			{ id: 'k1', name: 'A', group: 1, score: 1 },
			{ id: 'k2', name: 'B', group: 1, score: 2 }
		]);
		const seen: string[][] = [];
		const subscription = liveQuery(() =>
			packed.rows.where('group').equals(1).primaryKeys()
		).subscribe((keys) => seen.push(keys));
		const settle = async (length: number) => {
			for (let i = 0; i < 100 && seen.length < length; i++)
				await new Promise((resolve) => setTimeout(resolve, 5));
		};
		await settle(1);
		await packed.rows.put({ id: 'k3', name: 'C', group: 1, score: 3 });
		await settle(2);
		await packed.rows.delete('k1');
		await settle(3);
		await installBase(packed, 'rows', 'g2', [{ id: 'k9', name: 'Z', group: 1, score: 9 }]);
		await settle(4);
		subscription.unsubscribe();
		expect(seen).toEqual([
			['k1', 'k2'],
			['k1', 'k2', 'k3'],
			['k2', 'k3'],
			['k3', 'k9']
		]);
		// The first base's pieces are gone with it.
		const ids = (await packed.table(PIECES_TABLE).toCollection().primaryKeys()) as string[];
		expect(ids.every((pieceId) => pieceId.startsWith('rows/g2/'))).toBe(true);
	});
});
