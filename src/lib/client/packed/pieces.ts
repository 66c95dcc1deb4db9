import { cmp } from 'dexie';
import type { DBCoreKeyRange } from 'dexie';
import type { WireTable } from '$lib/shared/sync/protocol';

// The packed base of a large table (docs/decisions.md §24): its rows as of a snapshot, stored as
// a few hundred records of many rows each instead of one record a row, because IndexedDB's cost
// is per record. Data pieces hold rows in primary-key order; index pieces hold the sorted
// (index key, primary key) pairs of each index, so a lookup reads one or two pieces.

export type Key = string | number;

export interface PieceRef<K> {
	id: string;
	first: K;
	last: K;
}

/**
 * A data piece's reference. A sliced piece is stored as several records of a few rows each, under
 * `sliceId(id, first key of the slice)`, so that reading one row reads a slice, not the piece.
 */
export interface DataRef extends PieceRef<Key> {
	sliced?: true;
}

/** One table's base: which pieces hold it. Stored in `bases`, keyed by table. */
export interface BaseDirectory {
	table: string;
	/** The snapshot this base came from; piece ids start with it, so pieces never change. */
	gen: string;
	count: number;
	data: DataRef[];
	/** The primary keys alone, in order: whether the base holds a key, without reading its rows. */
	keys: Array<PieceRef<Key>>;
	/** Per index name: pieces of [index key, primary key] in that order. */
	indexes: Record<string, Array<PieceRef<[Key, Key]>>>;
}

export interface DataPiece {
	id: string;
	rows: Array<Record<string, unknown>>;
}

/**
 * A data piece as a first sync cuts it from the rows it received: rows in columns, and `text`,
 * the values' JSON as the server wrote it (without the brackets), when it came cut so.
 */
export interface ColumnPiece extends Omit<WireTable, 'sliced'> {
	id: string;
	text?: string;
}

/**
 * (index key, primary key) pairs in that order, as two arrays: a million small arrays cost
 * IndexedDB's serialization several times what two flat arrays of the same keys do.
 */
export interface IndexPiece {
	id: string;
	values: Key[];
	keys: Key[];
}

export interface KeyPiece {
	id: string;
	keys: Key[];
}

export type Piece = DataPiece | IndexPiece | KeyPiece;

/** Marks, in a row table, a row of the base deleted since: it hides the base's row. */
export const DELETED_MARK = '__deletedInBase';

export function isMarker(value: unknown): boolean {
	return typeof value === 'object' && value !== null && DELETED_MARK in value;
}

// DBCoreRangeType is a `const enum`, which isolated modules cannot read: its values, as numbers.
const RANGE_EQUAL: number = 1;
const RANGE_ANY: number = 3;
const RANGE_NEVER: number = 4;

export const isAnyRange = (range: DBCoreKeyRange) => (range.type as number) === RANGE_ANY;

/** The keys IndexedDB indexes; a row whose value is anything else is left out of that index. */
export function isIndexKey(value: unknown): value is Key {
	return typeof value === 'string' || (typeof value === 'number' && !Number.isNaN(value));
}

export function inRange(key: unknown, range: DBCoreKeyRange): boolean {
	const type = range.type as number;
	if (type === RANGE_ANY) return true;
	if (type === RANGE_NEVER) return false;
	if (type === RANGE_EQUAL) return cmp(key, range.lower) === 0;
	if (range.lower !== undefined) {
		const c = cmp(key, range.lower);
		if (c < 0 || (c === 0 && range.lowerOpen)) return false;
	}
	if (range.upper !== undefined) {
		const c = cmp(key, range.upper);
		if (c > 0 || (c === 0 && range.upperOpen)) return false;
	}
	return true;
}

/** Whether a piece spanning [first, last] may hold a key in the range. */
export function overlaps(first: unknown, last: unknown, range: DBCoreKeyRange): boolean {
	const type = range.type as number;
	if (type === RANGE_ANY) return true;
	if (type === RANGE_NEVER) return false;
	const equal = type === RANGE_EQUAL;
	const upper: unknown = equal ? range.lower : range.upper;
	if (range.lower !== undefined) {
		const c = cmp(last, range.lower);
		if (c < 0 || (c === 0 && !equal && range.lowerOpen)) return false;
	}
	if (upper !== undefined) {
		const c = cmp(first, upper);
		if (c > 0 || (c === 0 && !equal && range.upperOpen)) return false;
	}
	return true;
}

/** Index of the first element for which `before` is false (elements where it is true come first). */
export function partition<T>(items: readonly T[], before: (item: T) => boolean): number {
	let lo = 0;
	let hi = items.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (before(items[mid] as T)) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** IndexedDB's order of the keys packed here (numbers before strings), without `cmp`'s generality. */
export function compareKeys(a: Key, b: Key): number {
	if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
	return typeof a === 'number' ? -1 : 1;
}

export interface PackOptions {
	table: string;
	gen: string;
	primaryKey: string;
	/** Index names (each a single field) to pack beside the rows. */
	indexes: readonly string[];
	rowsPerPiece: number;
	entriesPerPiece: number;
	/** Rows per stored record of a data piece (string primary keys only); none: one record a piece. */
	rowsPerSlice?: number;
}

/**
 * The stored record of the slice of data piece `piece` starting at `first`. Slice ids sort as their
 * first keys do, so the slice holding a key is the last one whose id is at or below
 * `sliceId(piece, key)`, and a piece's slices are the range `sliceRange(piece)`.
 */
export const sliceId = (piece: string, first: string) => `${piece}:${first}`;

/** The bounds of a data piece's slice ids: `lower <= id <= upper`. */
export const sliceRange = (piece: string) => ({ lower: `${piece}:`, upper: `${piece}:\uffff` });

/** The first key of a slice, from its id. */
export const sliceFirst = (piece: string, id: string) => id.slice(piece.length + 1);

/**
 * What one batch of a base built piece by piece leaves for the end, kept as one record until the
 * base is published: its data pieces' ranges and how many rows they hold. Its keys and index
 * entries are kept in memory meanwhile (staging.ts), and read again from its data pieces when
 * they are not (after a reload); batches stored before that hold them here.
 */
export interface StagedBatch extends Partial<BatchIndex> {
	id: string;
	dataRefs: DataRef[];
	rows?: number;
}

/** A batch's primary keys in order and its index entries (unsorted), for `finishBase`. */
export interface BatchIndex {
	keys: Key[];
	/**
	 * Per index, the values and their rows' keys; `keys` is left out when every row has a value,
	 * the batch's own `keys` then.
	 */
	entries: Record<string, { values: Key[]; keys?: Key[] }>;
}

export const stagedBatchId = (table: string, gen: string, batch: number) =>
	`${table}/${gen}/s${String(batch).padStart(7, '0')}`;

/** A table's rows → columns; the rows of one table all have the same fields. */
export function columnsOf(rows: ReadonlyArray<Record<string, unknown>>): WireTable {
	const columns = Object.keys(rows[0] ?? {});
	const values = rows.map((row) => {
		const keys = Object.keys(row);
		if (keys.length !== columns.length || !columns.every((c) => c in row))
			throw new Error('packed base: rows of one table with different fields');
		return columns.map((c) => row[c]);
	});
	return { columns, values };
}

/**
 * Packs rows (in columns) that continue the base in primary-key order (the snapshot sends each
 * table so) into data pieces numbered from `firstPiece`, the batch's record, and its keys and
 * index entries for `finishBase`.
 */
export function packBatch(
	table: WireTable,
	options: PackOptions & { firstPiece: number; batch: number }
): { pieces: ColumnPiece[]; staged: StagedBatch; index: BatchIndex } {
	const { columns, values } = table;
	const pk = columns.indexOf(options.primaryKey);
	if (pk < 0 && values.length > 0)
		throw new Error(`packed base of ${options.table}: rows without ${options.primaryKey}`);
	const keyOf = (value: unknown[]) => value[pk] as Key;
	const pieces: ColumnPiece[] = [];
	const dataRefs: DataRef[] = [];
	const perSlice = options.rowsPerSlice;
	// The server's texts serve when they were cut as this cuts: runs of `perSlice` from the start,
	// which pieces of whole slices keep.
	const texts =
		perSlice !== undefined &&
		table.sliced?.rows === perSlice &&
		options.rowsPerPiece % perSlice === 0 &&
		table.sliced.texts.length === Math.ceil(values.length / perSlice)
			? table.sliced.texts
			: undefined;
	for (
		let start = 0, n = options.firstPiece;
		start < values.length;
		start += options.rowsPerPiece, n++
	) {
		const chunk = values.slice(start, start + options.rowsPerPiece);
		const id = `${options.table}/${options.gen}/d${n}`;
		const ref: DataRef = {
			id,
			first: keyOf(chunk[0] as unknown[]),
			last: keyOf(chunk.at(-1) as unknown[])
		};
		if (perSlice === undefined) pieces.push({ id, columns, values: chunk });
		else {
			ref.sliced = true;
			for (let at = 0; at < chunk.length; at += perSlice) {
				const part = chunk.slice(at, at + perSlice);
				const first = keyOf(part[0] as unknown[]);
				if (typeof first !== 'string')
					throw new Error(`packed base of ${options.table}: slices need string keys`);
				const text = texts?.[(start + at) / perSlice];
				pieces.push({ id: sliceId(id, first), columns, values: part, ...(text ? { text } : {}) });
			}
		}
		dataRefs.push(ref);
	}
	return {
		pieces,
		staged: {
			id: stagedBatchId(options.table, options.gen, options.batch),
			dataRefs,
			rows: values.length
		},
		index: batchIndex(table, options)
	};
}

/** The primary keys and index entries of rows (in columns) in primary-key order. */
export function batchIndex(
	table: Pick<WireTable, 'columns' | 'values'>,
	options: Pick<PackOptions, 'primaryKey' | 'indexes'>
): BatchIndex {
	const { columns, values } = table;
	const pk = columns.indexOf(options.primaryKey);
	const keys = values.map((value) => value[pk] as Key);
	const entries: BatchIndex['entries'] = {};
	for (const name of options.indexes) {
		const column = columns.indexOf(name);
		const indexValues: Key[] = [];
		const indexKeys: Key[] = [];
		if (column >= 0)
			for (let i = 0; i < values.length; i++) {
				const value = (values[i] as unknown[])[column];
				if (isIndexKey(value)) {
					indexValues.push(value);
					indexKeys.push(keys[i] as Key);
				}
			}
		entries[name] =
			indexValues.length === values.length
				? { values: indexValues }
				: { values: indexValues, keys: indexKeys };
	}
	return { keys, entries };
}

/**
 * (index key, primary key) pairs in IndexedDB's order. When every key is a string (the usual
 * case: ids, names, dates), each pair is joined into one string with U+0000 between and sorted
 * by the engine's own string order, about three times faster than a comparator over a million
 * pairs; U+0000 sorts below every other code unit, so "a" + U+0000 + key comes before "ab…"
 * exactly as ("a", key) comes before ("ab", …). A value holding U+0000 itself takes the
 * comparator.
 */
export function sortEntries(values: Key[], keys: Key[]): { values: Key[]; keys: Key[] } {
	const n = values.length;
	const plain = values.every((v) => typeof v === 'string' && !v.includes('\u0000'));
	if (plain && keys.every((k) => typeof k === 'string' && !k.includes('\u0000'))) {
		const joined = new Array<string>(n);
		for (let i = 0; i < n; i++) joined[i] = `${values[i] as string}\u0000${keys[i] as string}`;
		joined.sort();
		const sortedValues = new Array<Key>(n);
		const sortedKeys = new Array<Key>(n);
		for (let i = 0; i < n; i++) {
			const entry = joined[i] as string;
			const at = entry.indexOf('\u0000');
			sortedValues[i] = entry.slice(0, at);
			sortedKeys[i] = entry.slice(at + 1);
		}
		return { values: sortedValues, keys: sortedKeys };
	}
	const order = Array.from({ length: n }, (_, i) => i);
	order.sort(
		(a, b) =>
			compareKeys(values[a] as Key, values[b] as Key) || compareKeys(keys[a] as Key, keys[b] as Key)
	);
	return { values: order.map((i) => values[i] as Key), keys: order.map((i) => keys[i] as Key) };
}

/** The key and index pieces and the directory of a base whose batches are all staged, in order. */
export function finishBase(
	batches: ReadonlyArray<Pick<StagedBatch, 'dataRefs'> & BatchIndex>,
	options: PackOptions
): { directory: BaseDirectory; pieces: Array<KeyPiece | IndexPiece> } {
	const pieces: Array<KeyPiece | IndexPiece> = [];
	const data = batches.flatMap((batch) => batch.dataRefs);
	const allKeys = batches.flatMap((batch) => batch.keys);
	for (let i = 1; i < allKeys.length; i++)
		if (compareKeys(allKeys[i - 1] as Key, allKeys[i] as Key) >= 0)
			throw new Error(`packed base of ${options.table}: rows not in primary-key order`);
	const keys: Array<PieceRef<Key>> = [];
	for (let start = 0, n = 0; start < allKeys.length; start += options.entriesPerPiece, n++) {
		const chunk = allKeys.slice(start, start + options.entriesPerPiece);
		const id = `${options.table}/${options.gen}/k${n}`;
		pieces.push({ id, keys: chunk });
		keys.push({ id, first: chunk[0] as Key, last: chunk.at(-1) as Key });
	}
	const indexes: BaseDirectory['indexes'] = {};
	for (const name of options.indexes) {
		const { values, keys: primaryKeys } = sortEntries(
			batches.flatMap((batch) => batch.entries[name]?.values ?? []),
			batches.flatMap((batch) => {
				const entries = batch.entries[name];
				return entries ? (entries.keys ?? batch.keys) : [];
			})
		);
		const refs: Array<PieceRef<[Key, Key]>> = [];
		for (let start = 0, n = 0; start < values.length; start += options.entriesPerPiece, n++) {
			const id = `${options.table}/${options.gen}/i:${name}:${n}`;
			const piece: IndexPiece = {
				id,
				values: values.slice(start, start + options.entriesPerPiece),
				keys: primaryKeys.slice(start, start + options.entriesPerPiece)
			};
			pieces.push(piece);
			const last = piece.values.length - 1;
			refs.push({
				id,
				first: [piece.values[0] as Key, piece.keys[0] as Key],
				last: [piece.values[last] as Key, piece.keys[last] as Key]
			});
		}
		indexes[name] = refs;
	}
	return {
		directory: {
			table: options.table,
			gen: options.gen,
			count: allKeys.length,
			data,
			keys,
			indexes
		},
		pieces
	};
}

/** Splits a table's rows (any order, all with the same fields) into the base's pieces and directory. */
export function pack(
	rows: ReadonlyArray<Record<string, unknown>>,
	options: PackOptions
): { directory: BaseDirectory; pieces: Array<Piece | ColumnPiece> } {
	const pk = options.primaryKey;
	const sorted = [...rows].sort((a, b) => cmp(a[pk], b[pk]));
	const batch = packBatch(columnsOf(sorted), { ...options, firstPiece: 0, batch: 0 });
	const { directory, pieces } = finishBase([{ ...batch.staged, ...batch.index }], options);
	return { directory, pieces: [...batch.pieces, ...pieces] };
}
