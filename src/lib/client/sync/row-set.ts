import type { MirrorKind } from './table-mirror.svelte';

/** A table's rows in primary-key order (as `toArray()` gives them), and by id. */
export interface RowSet<T> {
	readonly rows: readonly T[];
	readonly byId: ReadonlyMap<string, T>;
}

const byKey = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function rowSet<T extends { id: string }>(rows: readonly T[]): RowSet<T> {
	return { rows, byId: new Map(rows.map((row) => [row.id, row])) };
}

/**
 * The set with `upserts` put and `deletes` gone, still in primary-key order (ids compare as
 * IndexedDB orders string keys: by UTF-16 code unit, as `<` does), so what is computed from it
 * is what a fresh read would give. One pass over the rows, plus sorting the new ones.
 */
export function patchRowSet<T extends { id: string }>(
	set: RowSet<T>,
	upserts: readonly T[],
	deletes: readonly string[]
): RowSet<T> {
	if (upserts.length === 0 && deletes.length === 0) return set;
	const changed = new Map(upserts.map((row) => [row.id, row]));
	const gone = new Set(deletes);
	const added = upserts.filter((row) => !set.byId.has(row.id) && !gone.has(row.id)).sort(byKey);
	const rows: T[] = [];
	let next = 0;
	for (const row of set.rows) {
		while (next < added.length && byKey(added[next] as T, row) < 0) rows.push(added[next++] as T);
		if (gone.has(row.id)) continue;
		rows.push(changed.get(row.id) ?? row);
	}
	while (next < added.length) rows.push(added[next++] as T);
	return rowSet(rows);
}

/** A table mirror (table-mirror.svelte.ts) keeping every row as a `RowSet`. */
export function rowSetKind<T extends { id: string }>(
	table: string,
	chunk = 2_000
): MirrorKind<T, RowSet<T>> {
	return {
		table,
		chunk,
		build: (rows) => rowSet(rows),
		patch: patchRowSet,
		size: (set) => set.rows.length
	};
}
