import type { Collection, IndexableType, Table } from 'dexie';

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
 * primary-key order), read in chunks. The index need not be unique: a chunk ends before its last
 * index value, whose rows the next chunk reads whole (values compared with ===: strings, numbers).
 */
export async function readAllBy<T>(
	table: Table<T, string>,
	index: keyof T & string,
	chunk: number
): Promise<T[]> {
	const valueOf = (row: T) => row[index] as IndexableType;
	const rows: T[] = [];
	let after: IndexableType | null = null;
	for (;;) {
		const from: Collection<T, string> =
			after === null ? table.orderBy(index) : table.where(index).above(after);
		const batch: T[] = await from.limit(chunk).toArray();
		if (batch.length < chunk) {
			rows.push(...batch);
			return rows;
		}
		const lastValue = valueOf(batch[batch.length - 1] as T);
		let cut = batch.length;
		while (cut > 0 && valueOf(batch[cut - 1] as T) === lastValue) cut--;
		if (cut === 0) {
			// One value fills the whole chunk: take its rows in one read.
			rows.push(...(await table.where(index).equals(lastValue).toArray()));
			after = lastValue;
		} else {
			for (let i = 0; i < cut; i++) rows.push(batch[i] as T);
			after = valueOf(batch[cut - 1] as T);
		}
	}
}
