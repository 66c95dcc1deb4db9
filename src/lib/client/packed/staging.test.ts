import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { BASES_TABLE, PIECES_TABLE } from './packed-middleware';
import { decodePiece, encodePiece, type StoredPiece } from './piece-codec';
import { batchIndex, type StagedBatch } from './pieces';
import { forgetStagedIndexes, publishBase, stageBaseRows, type Staged } from './staging';

// Publishing a base needs every staged batch's keys and index entries. They are kept in memory
// while the page lives; after a reload they are read again from the batch's data pieces, and a
// batch stored by an earlier release holds them itself. All three must publish the same base.

const stores = { rows: 'id, name, group', [BASES_TABLE]: 'table', [PIECES_TABLE]: 'id' };
const tables = ['rows', BASES_TABLE, PIECES_TABLE];
let counter = 0;
let opened: Dexie[] = [];

afterEach(async () => {
	for (const db of opened) await db.delete();
	opened = [];
});

type Way = 'kept' | 'reloaded' | 'stored with the batch';

async function publish(batches: unknown[][][], way: Way) {
	const db = new Dexie(`staging-test-${++counter}`);
	db.version(1).stores(stores);
	await db.open();
	opened.push(db);
	const columns = ['id', 'name', 'group'];
	let staged: Staged = { pieces: 0, batches: 0 };
	for (const values of batches) {
		const before: Staged = staged;
		staged = await db.transaction('rw', tables, (tx) =>
			stageBaseRows(tx, 'rows', 'g', { columns, values }, before)
		);
	}
	if (way !== 'kept') forgetStagedIndexes();
	if (way === 'stored with the batch') {
		// As an earlier release stored it: the keys and entries in the batch's record.
		const records = (await db.table(PIECES_TABLE).toArray()) as StoredPiece[];
		for (const [n, values] of batches.entries()) {
			const record = records.find((r) => r.id.endsWith(`/s${String(n).padStart(7, '0')}`));
			const { rows: _rows, ...batch } = decodePiece<StagedBatch>(record!);
			const index = batchIndex(
				{ columns, values },
				{ primaryKey: 'id', indexes: ['name', 'group'] }
			);
			await db.table(PIECES_TABLE).put(encodePiece({ ...batch, ...index }));
		}
	}
	const done = staged;
	await db.transaction('rw', tables, (tx) => publishBase(tx, 'rows', 'g', done));
	return {
		bases: await db.table(BASES_TABLE).toArray(),
		pieces: await db.table(PIECES_TABLE).toArray()
	};
}

describe('publishBase', () => {
	it('publishes the same base from batches kept in memory, read again after a reload, or stored by an earlier release', async () => {
		const row = fc.tuple(
			fc.constantFrom(null, 'Ann', 'ann', 'Bob', 'Zoë'),
			fc.constantFrom(null, 0, 1, 7)
		);
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.array(row, { minLength: 1, maxLength: 260 }), { minLength: 1, maxLength: 3 }),
				async (sizes) => {
					let n = 0;
					const batches = sizes.map((rows) =>
						rows.map(([name, group]) => [`k${String(n++).padStart(4, '0')}`, name, group])
					);
					const kept = await publish(batches, 'kept');
					// A null is not indexed, so the name index has a piece only where some row has a name.
					const named = batches.some((rows) => rows.some((values) => values[1] !== null));
					expect(kept.pieces.some((piece: StoredPiece) => piece.id.includes('/i:name:'))).toBe(
						named
					);
					expect(await publish(batches, 'reloaded')).toEqual(kept);
					expect(await publish(batches, 'stored with the batch')).toEqual(kept);
				}
			),
			{ numRuns: 12 }
		);
	});
});
