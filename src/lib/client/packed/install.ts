import type Dexie from 'dexie';
import { BASES_TABLE, PIECES_TABLE } from './packed-middleware';
import { encodePiece } from './piece-codec';
import { pack, type BaseDirectory, type PackOptions } from './pieces';
import { ENTRIES_PER_PIECE, ROWS_PER_PIECE, ROWS_PER_SLICE, replaceBase } from './staging';

/**
 * Makes `rows` the base of `table`, in place of any earlier base, in one transaction. The row
 * table is left as it is: what it holds stays over the new base.
 */
export async function installBase(
	db: Dexie,
	table: string,
	gen: string,
	rows: ReadonlyArray<Record<string, unknown>>,
	options: Partial<Pick<PackOptions, 'rowsPerPiece' | 'entriesPerPiece' | 'indexes'>> & {
		/** `null`: whole pieces, as bases stored before slices are. */
		rowsPerSlice?: number | null;
	} = {}
): Promise<BaseDirectory> {
	const schema = db.table(table).schema;
	const { directory, pieces } = pack(rows, {
		table,
		gen,
		primaryKey: schema.primKey.keyPath as string,
		indexes: options.indexes ?? schema.indexes.map((index) => index.keyPath as string),
		rowsPerPiece: options.rowsPerPiece ?? ROWS_PER_PIECE,
		entriesPerPiece: options.entriesPerPiece ?? ENTRIES_PER_PIECE,
		...(options.rowsPerSlice === null
			? {}
			: { rowsPerSlice: options.rowsPerSlice ?? ROWS_PER_SLICE })
	});
	await db.transaction('rw', [BASES_TABLE, PIECES_TABLE], async (tx) => {
		await tx.table(PIECES_TABLE).bulkPut(pieces.map(encodePiece));
		await replaceBase(tx, directory);
	});
	return directory;
}
