import { i32, type Arena } from './terms-memory';

/**
 * The join of the terms' client ids (~290,000, about one per grant) to the active clients
 * (100,000), the costliest step after reading the events when done as one lookup per id: the
 * lookup reads the id to hash it, then the table, then the key and compares — each step a cache
 * miss waiting on the one before. Here each id is hashed while its row is being read anyway, and
 * the join runs as two loops whose iterations do not wait on each other (find a candidate by
 * hash, then compare the strings), so the processor overlaps their cache misses: 2.5× faster on
 * the reference dataset.
 *
 * Plain functions over plain objects, not classes: see terms-read.ts.
 */

/** FNV-1a over the last eight characters (the random part of a UUID), as `KeySlots`. */
export function idHash(id: string): number {
	let h = 0x811c9dc5;
	for (let i = Math.max(0, id.length - 8); i < id.length; i++)
		h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
	return h | 0;
}

/** Ids numbered by the rows they come from (an id on two rows: by the first). */
export interface IdTable {
	/** By row: the id, when added (an array sized once: growing it costs new memory each time). */
	ids: string[];
	/** Per bucket: the id's hash, then its row + 1 (0: empty). */
	buckets: Int32Array;
	mask: number;
}

/** A table for the ids of up to `rows` rows. */
export function idTable(rows: number, arena: Arena): IdTable {
	let size = 16;
	while (size < rows * 2) size *= 2;
	return { ids: new Array<string>(rows), buckets: i32(arena, size * 2).fill(0), mask: size - 1 };
}

/** Adds the id of a row (`hash` its `idHash`) unless an earlier row has it. */
export function addId(table: IdTable, id: string, row: number, hash: number): void {
	if (findId(table, id, hash) !== -1) return;
	const { buckets, mask } = table;
	let b = hash & mask;
	while (buckets[2 * b + 1] !== 0) b = (b + 1) & mask;
	buckets[2 * b] = hash;
	buckets[2 * b + 1] = row + 1;
	table.ids[row] = id;
}

/** The row of the id, or −1. */
function findId(table: IdTable, id: string, hash: number): number {
	const { buckets, mask, ids } = table;
	for (let b = hash & mask; ; b = (b + 1) & mask) {
		const entry = buckets[2 * b + 1] as number;
		if (entry === 0) return -1;
		if (buckets[2 * b] === hash && ids[entry - 1] === id) return entry - 1;
	}
}

/**
 * The row of each id named by `ids`, or −1, into `out`: the id of name i is `idOf(i)`, its hash
 * `hashes[i]`. The first loop takes the first entry of equal hash; the second confirms it by
 * comparing the strings and, when they differ (two ids of equal hash, or an id not in the table),
 * looks the id up in full.
 */
export function findIds(
	table: IdTable,
	hashes: Int32Array,
	idOf: (i: number) => string,
	out: Int32Array
): void {
	const { buckets, mask, ids } = table;
	for (let i = 0; i < hashes.length; i++) {
		const hash = hashes[i] as number;
		let candidate = -1;
		for (let b = hash & mask; ; b = (b + 1) & mask) {
			const entry = buckets[2 * b + 1] as number;
			if (entry === 0) break;
			if (buckets[2 * b] === hash) {
				candidate = entry - 1;
				break;
			}
		}
		out[i] = candidate;
	}
	for (let i = 0; i < hashes.length; i++) {
		const candidate = out[i] as number;
		if (candidate === -1) continue;
		const id = idOf(i);
		if (ids[candidate] !== id) out[i] = findId(table, id, hashes[i] as number);
	}
}

/**
 * Dense numbers (0, 1, 2, … in order of first sight) for keys of which there are few (indicators:
 * a few dozen) read hundreds of thousands of times: a direct-mapped cache by the last two
 * characters answers most reads with one string comparison; the rest go to a `Map`.
 */
export interface FewKeys {
	keys: string[];
	slots: Map<string, number>;
	recentKeys: (string | undefined)[];
	recentSlots: Int32Array;
}

export const fewKeys = (): FewKeys => ({
	keys: [],
	slots: new Map(),
	recentKeys: new Array<string | undefined>(256),
	recentSlots: new Int32Array(256)
});

export function slotOf(few: FewKeys, key: string): number {
	const n = key.length;
	const at = n < 2 ? 0 : ((key.charCodeAt(n - 1) << 4) ^ key.charCodeAt(n - 2)) & 255;
	if (few.recentKeys[at] === key) return few.recentSlots[at] as number;
	let slot = few.slots.get(key);
	if (slot === undefined) {
		slot = few.keys.length;
		few.keys.push(key);
		few.slots.set(key, slot);
	}
	few.recentKeys[at] = key;
	few.recentSlots[at] = slot;
	return slot;
}
