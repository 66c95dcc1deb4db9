import type { Transaction } from 'dexie';
import type { WireTable } from '$lib/shared/sync/protocol';
import { BASES_TABLE, PIECES_TABLE } from './packed-middleware';
import {
	decodePiece,
	encodePiece,
	finishBase,
	packBatch,
	stagedBatchId,
	type BaseDirectory,
	type PackOptions,
	type StagedBatch,
	type StoredPiece
} from './pieces';

// A base built as a first sync's pieces arrive (docs/decisions.md §24): each batch of rows is
// packed and stored at once with a record of its keys and index entries; publishing sorts those
// into the index pieces and writes the directory, which is what makes the base visible.

export const ROWS_PER_PIECE = 1000;
export const ENTRIES_PER_PIECE = 4000;
/**
 * Rows per stored record of a data piece (docs/decisions.md §24c): a row read by key (a list page
 * in another order, a record's page) reads about 40 KB instead of the whole piece's 400–500 KB,
 * and a record this small stays inside IndexedDB's own store instead of a blob file of its own.
 */
export const ROWS_PER_SLICE = 100;

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
	const { pieces, staged: batch } = packBatch(rows, {
		...optionsOf(tx, table, gen),
		firstPiece: staged.pieces,
		batch: staged.batches
	});
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
	const batches = (stored as StoredPiece[]).map((batch) => decodePiece<StagedBatch>(batch));
	const { directory, pieces } = finishBase(batches, optionsOf(tx, table, gen));
	await tx.table(PIECES_TABLE).bulkPut(pieces.map(encodePiece));
	await tx.table(PIECES_TABLE).bulkDelete(ids);
	await replaceBase(tx, directory);
}

/** Every piece stored under one table's generation. */
export async function dropPieces(tx: Transaction, table: string, gen: string): Promise<void> {
	const prefix = `${table}/${gen}/`;
	await tx.table(PIECES_TABLE).where(':id').between(prefix, `${prefix}\uffff`).delete();
}
