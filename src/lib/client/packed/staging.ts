import type { Transaction } from 'dexie';
import type { WireTable } from '$lib/shared/sync/protocol';
import { BASES_TABLE, PIECES_TABLE } from './packed-middleware';
import { decodePiece, encodePiece, type StoredPiece } from './piece-codec';
import {
	batchIndex,
	finishBase,
	packBatch,
	sliceRange,
	stagedBatchId,
	type BaseDirectory,
	type BatchIndex,
	type PackOptions,
	type StagedBatch
} from './pieces';

// A base built as a first sync's pieces arrive (docs/decisions.md §24): each batch of rows is
// packed and stored at once with a record of its data pieces; publishing sorts the batches' index
// entries into the index pieces and writes the directory, which is what makes the base visible.

export const ROWS_PER_PIECE = 1000;
export const ENTRIES_PER_PIECE = 4000;
/**
 * Rows per stored record of a data piece (docs/decisions.md §24c): a row read by key (a list page
 * in another order, a record's page) reads about 40 KB instead of the whole piece's 400–500 KB,
 * and a record this small stays inside IndexedDB's own store instead of a blob file of its own.
 */
export const ROWS_PER_SLICE = 100;

/**
 * The keys and index entries of the batches staged in this page, by batch id. Writing them with
 * each batch and reading them back to publish was a quarter of what a first sync wrote to
 * IndexedDB (docs/decisions.md §24d); a batch staged before a reload, missing here, has them read
 * again from its data pieces. An entry is set inside the staging transaction: one whose
 * transaction fails is for a batch number the progress does not count, so the retry replaces it
 * (a batch's rows depend only on the snapshot's version and position) or `dropPieces` drops it.
 */
const stagedIndexes = new Map<string, BatchIndex>();

/** Forgets the batches' keys and index entries kept in memory, as a reload does. */
export function forgetStagedIndexes(): void {
	stagedIndexes.clear();
}

export interface Staged {
	pieces: number;
	batches: number;
}

function optionsOf(tx: Transaction, table: string, gen: string): PackOptions {
	const schema = tx.table(table).schema;
	return {
		table,
		gen,
		primaryKey: schema.primKey.keyPath as string,
		indexes: schema.indexes.map((index) => index.keyPath as string),
		rowsPerPiece: ROWS_PER_PIECE,
		entriesPerPiece: ENTRIES_PER_PIECE,
		rowsPerSlice: ROWS_PER_SLICE
	};
}

/** Stores rows (in columns) that continue the table's base in key order; unseen until published. */
export async function stageBaseRows(
	tx: Transaction,
	table: string,
	gen: string,
	rows: WireTable,
	staged: Staged
): Promise<Staged> {
	if (rows.values.length === 0) return staged;
	const {
		pieces,
		staged: batch,
		index
	} = packBatch(rows, {
		...optionsOf(tx, table, gen),
		firstPiece: staged.pieces,
		batch: staged.batches
	});
	stagedIndexes.set(batch.id, index);
	await tx.table(PIECES_TABLE).bulkPut([...pieces, batch].map(encodePiece));
	return { pieces: staged.pieces + pieces.length, batches: staged.batches + 1 };
}

/** Makes a directory the table's base, removing an earlier base's pieces. */
export async function replaceBase(tx: Transaction, directory: BaseDirectory): Promise<void> {
	const old = (await tx.table(BASES_TABLE).get(directory.table)) as BaseDirectory | undefined;
	if (old && old.gen !== directory.gen) await dropPieces(tx, directory.table, old.gen);
	await tx.table(BASES_TABLE).put(directory);
}

/** Turns the staged batches into the table's base. */
export async function publishBase(
	tx: Transaction,
	table: string,
	gen: string,
	staged: Staged
): Promise<void> {
	if (staged.batches === 0) return;
	const ids = Array.from({ length: staged.batches }, (_, n) => stagedBatchId(table, gen, n));
	const stored = (await tx.table(PIECES_TABLE).bulkGet(ids)) as Array<StoredPiece | undefined>;
	if (stored.some((batch) => batch === undefined))
		throw new Error(`packed base of ${table}: a staged batch is missing`);
	const options = optionsOf(tx, table, gen);
	const batches: Array<StagedBatch & BatchIndex> = [];
	for (const record of stored as StoredPiece[]) {
		const batch = decodePiece<StagedBatch>(record);
		batches.push({ ...batch, ...(await indexOf(tx, batch, options)) });
	}
	const { directory, pieces } = finishBase(batches, options);
	await tx.table(PIECES_TABLE).bulkPut(pieces.map(encodePiece));
	await tx.table(PIECES_TABLE).bulkDelete(ids);
	await replaceBase(tx, directory);
	for (const id of ids) stagedIndexes.delete(id);
}

/** A staged batch's keys and index entries: as stored with it, kept in memory, or read again. */
async function indexOf(
	tx: Transaction,
	batch: StagedBatch,
	options: PackOptions
): Promise<BatchIndex> {
	if (batch.keys && batch.entries) return { keys: batch.keys, entries: batch.entries };
	const kept = stagedIndexes.get(batch.id);
	if (kept && kept.keys.length === batch.rows) return kept;
	const columns: string[] = [];
	const values: unknown[][] = [];
	for (const ref of batch.dataRefs) {
		const records = (
			ref.sliced
				? await tx
						.table(PIECES_TABLE)
						.where(':id')
						.between(sliceRange(ref.id).lower, sliceRange(ref.id).upper, true, true)
						.toArray()
				: [await tx.table(PIECES_TABLE).get(ref.id)]
		) as Array<StoredPiece | undefined>;
		for (const record of records) {
			if (!record) throw new Error(`packed base of ${options.table}: a data piece is missing`);
			const piece = JSON.parse(record.body) as { columns: string[]; values: unknown[][] };
			if (columns.length === 0) columns.push(...piece.columns);
			for (const value of piece.values) values.push(value);
		}
	}
	return batchIndex({ columns, values }, options);
}

/** Every piece stored under one table's generation. */
export async function dropPieces(tx: Transaction, table: string, gen: string): Promise<void> {
	const prefix = `${table}/${gen}/`;
	await tx.table(PIECES_TABLE).where(':id').between(prefix, `${prefix}\uffff`).delete();
	for (const id of stagedIndexes.keys()) if (id.startsWith(prefix)) stagedIndexes.delete(id);
}
