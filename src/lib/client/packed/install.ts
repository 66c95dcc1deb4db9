import type Dexie from 'dexie';
import { BASES_TABLE, PIECES_TABLE } from './packed-middleware';
import { pack, type BaseDirectory, type PackOptions } from './pieces';

export const ROWS_PER_PIECE = 1000;
export const ENTRIES_PER_PIECE = 4000;

/**
 * Makes `rows` the base of `table`, in place of any earlier base, in one transaction. The row
 * table is left as it is: what it holds stays over the new base.
 */
export async function installBase(
	db: Dexie,
	table: string,
	gen: string,
	rows: ReadonlyArray<Record<string, unknown>>,
	options: Partial<Pick<PackOptions, 'rowsPerPiece' | 'entriesPerPiece' | 'indexes'>> = {}
): Promise<BaseDirectory> {
	const schema = db.table(table).schema;
	const { directory, pieces } = pack(rows, {
		table,
		gen,
		primaryKey: schema.primKey.keyPath as string,
		indexes: options.indexes ?? schema.indexes.map((index) => index.keyPath as string),
		rowsPerPiece: options.rowsPerPiece ?? ROWS_PER_PIECE,
		entriesPerPiece: options.entriesPerPiece ?? ENTRIES_PER_PIECE
	});
	await db.transaction('rw', [BASES_TABLE, PIECES_TABLE], async (tx) => {
		const old = (await tx.table(BASES_TABLE).get(table)) as BaseDirectory | undefined;
		if (old && old.gen !== gen) {
			const prefix = `${table}/${old.gen}/`;
			await tx.table(PIECES_TABLE).where(':id').between(prefix, `${prefix}\uffff`).delete();
		}
		await tx.table(PIECES_TABLE).bulkPut(pieces);
		await tx.table(BASES_TABLE).put(directory);
	});
	return directory;
}
