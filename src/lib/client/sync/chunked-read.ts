import type { Table } from 'dexie';
import { compareKeys, isIndexKey, type Key } from '../packed/pieces';

// Whole tables read as several bounded requests of `chunk` rows each, instead of one `toArray()`
// whose single answer holds the whole table (half a million events for a large vendor). Only the
// device workers read whole tables (device-workers/, with WORKER_CHUNK). The reads only await
// Dexie promises, so a `liveQuery` running them still observes every range it read.

/** Every row of a table in primary-key order (as `toArray()`), read in chunks. */
export async function readAll<T, K extends string>(
	table: Table<T, K>,
	chunk: number
): Promise<T[]> {
	const key = table.schema.primKey.keyPath;
	if (typeof key !== 'string') throw new Error(`readAll: ${table.name} has no single-field key`);
	const rows: T[] = [];
	let batch = await table.orderBy(':id').limit(chunk).toArray();
	for (;;) {
		rows.push(...batch);
		if (batch.length < chunk) return rows;
		const last = (batch.at(-1) as Record<string, K>)[key] as K;
		batch = await table.where(':id').above(last).limit(chunk).toArray();
	}
}

/**
 * Every row of a table ordered by an index (as `orderBy(index).toArray()`: equal index values in
 * primary-key order, rows without a value the index holds left out). Read in primary-key chunks
 * and sorted here: a large table's packed base (docs/decisions.md §24) keeps rows in primary-key
 * order, where an index walk would read a piece for nearly every few rows.
 */
export async function readAllBy<T>(
	table: Table<T, string>,
	index: keyof T & string,
	chunk: number
): Promise<T[]> {
	const rows = (await readAll(table, chunk)).filter((row) => isIndexKey(row[index]));
	// Array#sort is stable: rows of one index value stay in primary-key order.
	return rows.sort((a, b) => compareKeys(a[index] as Key, b[index] as Key));
}
