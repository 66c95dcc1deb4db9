import { cmp } from 'dexie';
import type { DBCoreKeyRange } from 'dexie';

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

/** One table's base: which pieces hold it. Stored in `bases`, keyed by table. */
export interface BaseDirectory {
	table: string;
	/** The snapshot this base came from; piece ids start with it, so pieces never change. */
	gen: string;
	count: number;
	data: Array<PieceRef<Key>>;
	/** The primary keys alone, in order: whether the base holds a key, without reading its rows. */
	keys: Array<PieceRef<Key>>;
	/** Per index name: pieces of [index key, primary key] in that order. */
	indexes: Record<string, Array<PieceRef<[Key, Key]>>>;
}

export interface DataPiece {
	id: string;
	rows: Array<Record<string, unknown>>;
}

export interface IndexPiece {
	id: string;
	entries: Array<[Key, Key]>;
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

export function compareEntries(a: readonly [unknown, unknown], b: readonly [unknown, unknown]) {
	return cmp(a[0], b[0]) || cmp(a[1], b[1]);
}

export interface PackOptions {
	table: string;
	gen: string;
	primaryKey: string;
	/** Index names (each a single field) to pack beside the rows. */
	indexes: readonly string[];
	rowsPerPiece: number;
	entriesPerPiece: number;
}

/** Splits a table's rows (any order) into the base's pieces and directory. */
export function pack(
	rows: ReadonlyArray<Record<string, unknown>>,
	options: PackOptions
): { directory: BaseDirectory; pieces: Piece[] } {
	const pk = options.primaryKey;
	const sorted = [...rows].sort((a, b) => cmp(a[pk], b[pk]));
	const pieces: Piece[] = [];
	const data: Array<PieceRef<Key>> = [];
	for (let start = 0, n = 0; start < sorted.length; start += options.rowsPerPiece, n++) {
		const chunk = sorted.slice(start, start + options.rowsPerPiece);
		const id = `${options.table}/${options.gen}/d${n}`;
		pieces.push({ id, rows: chunk });
		data.push({
			id,
			first: (chunk[0] as Record<string, unknown>)[pk] as Key,
			last: (chunk.at(-1) as Record<string, unknown>)[pk] as Key
		});
	}
	const keys: Array<PieceRef<Key>> = [];
	for (let start = 0, n = 0; start < sorted.length; start += options.entriesPerPiece, n++) {
		const chunk = sorted.slice(start, start + options.entriesPerPiece).map((row) => row[pk] as Key);
		const id = `${options.table}/${options.gen}/k${n}`;
		pieces.push({ id, keys: chunk });
		keys.push({ id, first: chunk[0] as Key, last: chunk.at(-1) as Key });
	}
	const indexes: BaseDirectory['indexes'] = {};
	for (const name of options.indexes) {
		const entries: Array<[Key, Key]> = [];
		for (const row of sorted) {
			const value = row[name];
			if (isIndexKey(value)) entries.push([value, row[pk] as Key]);
		}
		entries.sort(compareEntries);
		const refs: Array<PieceRef<[Key, Key]>> = [];
		for (let start = 0, n = 0; start < entries.length; start += options.entriesPerPiece, n++) {
			const chunk = entries.slice(start, start + options.entriesPerPiece);
			const id = `${options.table}/${options.gen}/i:${name}:${n}`;
			pieces.push({ id, entries: chunk });
			refs.push({ id, first: chunk[0] as [Key, Key], last: chunk.at(-1) as [Key, Key] });
		}
		indexes[name] = refs;
	}
	return {
		directory: {
			table: options.table,
			gen: options.gen,
			count: sorted.length,
			data,
			keys,
			indexes
		},
		pieces
	};
}
