import Dexie, {
	cmp,
	RangeSet,
	type DBCore,
	type DBCoreIndex,
	type DBCoreKeyRange,
	type DBCoreMutateRequest,
	type DBCoreMutateResponse,
	type DBCoreTable,
	type DBCoreTransaction,
	type Middleware
} from 'dexie';
import { arrayCursor, type Entry } from './array-cursor';
import {
	DELETED_MARK,
	isAnyRange,
	inRange,
	isIndexKey,
	isMarker,
	overlaps,
	partition,
	type BaseDirectory,
	type DataPiece,
	type DataRef,
	type IndexPiece,
	type KeyPiece,
	type Key,
	type Piece,
	sliceId
} from './pieces';
import { PieceStore } from './piece-store';

// A packed table reads as its base (pieces, see pieces.ts) with its row table over it: a row in
// the row table wins over the base's row of the same key, and a marker there hides it. This sits
// under Dexie's own middlewares, so every `get`, `where`, `orderBy`, `count`, `each`, live query
// and write of the app goes through it unchanged (docs/decisions.md §24), and a table without a
// base is passed straight through.

export const BASES_TABLE = 'bases';
export const PIECES_TABLE = 'pieces';

/**
 * Dexie's own cores answer with its promises, which carry its zone (the current transaction) to
 * whatever the caller chains on them; a native promise would lose it for the layers above.
 */
const zoned = <T>(run: () => Promise<T>): Promise<T> => Dexie.Promise.resolve(run());

const ANY_RANGE = { type: 3, lower: undefined, upper: undefined } as unknown as DBCoreKeyRange;

export interface PackedOptions {
	/** The row tables that may have a base. */
	tables: readonly string[];
	/** Rows (or index entries) of decoded pieces kept in memory across transactions. */
	cacheSize?: number;
}

export function packedMiddleware(options: PackedOptions): Middleware<DBCore> {
	return {
		stack: 'dbcore',
		name: 'PackedBase',
		// Below Dexie's observation and caching (level 0): they see the app's requests as they are.
		level: -2,
		create: (down) => createPacked(down, options)
	};
}

function createPacked(down: DBCore, options: PackedOptions): Partial<DBCore> {
	const packed = new Set(options.tables);
	const directories = new WeakMap<DBCoreTransaction, Map<string, BaseDirectory | null>>();
	const hasBaseTables = down.schema.tables.some((table) => table.name === BASES_TABLE);

	async function directory(trans: DBCoreTransaction, table: string): Promise<BaseDirectory | null> {
		let known = directories.get(trans);
		if (!known) directories.set(trans, (known = new Map<string, BaseDirectory | null>()));
		const cached = known.get(table);
		if (cached !== undefined) return cached;
		const found = ((await down.table(BASES_TABLE).get({ trans, key: table })) ??
			null) as BaseDirectory | null;
		known.set(table, found);
		return found;
	}

	const store = new PieceStore(() => down.table(PIECES_TABLE), options.cacheSize ?? 200_000);

	function wrapTable(table: DBCoreTable): DBCoreTable {
		const schema = table.schema;
		const pk = schema.primaryKey;
		const pkPath = pk.keyPath as string;
		const keyOf = (value: unknown) => (value as Record<string, unknown>)[pkPath] as Key;
		const copy = (row: Record<string, unknown>) => ({ ...row });

		/**
		 * Finds each key in the pieces that may hold it (`refs`, in key order), reading each piece
		 * once; `take` gets the piece's sorted keys and the position where the key would be.
		 */
		async function lookUp<P extends Piece>(
			trans: DBCoreTransaction,
			refs: ReadonlyArray<DataRef>,
			keys: readonly Key[],
			keysOf: (piece: P) => readonly Key[],
			take: (piece: P, i: number, at: number | null) => void
		): Promise<void> {
			const byPiece = groupBy(keys, (key) => {
				const at = partition(refs, (ref) => cmp(ref.last, key) < 0);
				const ref = refs[at];
				return !ref || cmp(ref.first, key) > 0 ? null : at;
			});
			const search = async (id: string, positions: readonly number[]) => {
				const found = await store.piece<P>(trans, id);
				const sorted = keysOf(found);
				for (const i of positions) {
					const key = keys[i];
					const position = partition(sorted, (k) => cmp(k, key) < 0);
					const hit = position < sorted.length && cmp(sorted[position], key) === 0;
					take(found, i, hit ? position : null);
				}
			};
			await Promise.all(
				[...byPiece].map(async ([at, positions]) => {
					const ref = refs[at] as DataRef;
					// A sliced piece whose rows are all in memory is searched whole; else each key's slice.
					if (!ref.sliced || store.holds(ref.id)) return search(ref.id, positions);
					const starts = await store.slicesOf(trans, ref.id);
					const bySlice = groupBy(
						positions.map((i) => keys[i] as Key),
						(key) => partition(starts, (start) => cmp(start, key) <= 0) - 1
					);
					await Promise.all(
						[...bySlice].map(([slice, at]) =>
							search(
								sliceId(ref.id, starts[slice] as string),
								at.map((n) => positions[n] as number)
							)
						)
					);
				})
			);
		}

		const keysOfRows = new WeakMap<DataPiece, Key[]>();
		const rowKeys = (found: DataPiece) => {
			let keys = keysOfRows.get(found);
			if (!keys) keysOfRows.set(found, (keys = found.rows.map(keyOf)));
			return keys;
		};

		/** The base's rows of these keys (undefined where it has none). */
		async function baseRows(trans: DBCoreTransaction, base: BaseDirectory, keys: readonly Key[]) {
			const out = new Array<Record<string, unknown> | undefined>(keys.length);
			await lookUp<DataPiece>(
				trans,
				base.data,
				keys,
				(found) => rowKeys(found),
				(found, i, at) => {
					if (at !== null) out[i] = copy(found.rows[at] as Record<string, unknown>);
				}
			);
			return out;
		}

		/** Whether the base holds each key, from the key pieces alone. */
		async function inBase(trans: DBCoreTransaction, base: BaseDirectory, keys: readonly Key[]) {
			const out = new Array<boolean>(keys.length).fill(false);
			await lookUp<KeyPiece>(
				trans,
				base.keys,
				keys,
				(found) => found.keys,
				(_, i, at) => (out[i] = at !== null)
			);
			return out;
		}

		/** Rows in the whole table: the base's count, corrected by what the row table holds. */
		async function countAll(trans: DBCoreTransaction, base: BaseDirectory) {
			const overlay = await table.query({
				trans,
				values: true,
				query: { index: pk, range: ANY_RANGE }
			});
			const held = await inBase(trans, base, overlay.result.map(keyOf));
			let count = base.count;
			overlay.result.forEach((row, i) => {
				if (isMarker(row)) count -= held[i] ? 1 : 0;
				else count += held[i] ? 0 : 1;
			});
			return count;
		}

		/**
		 * The base's entries of an index range in walking order, without the keys the row table
		 * holds, at most `limit` (only the first `limit` can survive the merge).
		 */
		async function baseEntries(
			trans: DBCoreTransaction,
			base: BaseDirectory,
			index: DBCoreIndex,
			range: DBCoreKeyRange,
			reverse: boolean,
			limit: number,
			hidden: ReadonlySet<unknown>
		): Promise<Entry[]> {
			const out: Entry[] = [];
			if (index.isPrimaryKey) {
				const refs = base.data.filter((ref) => overlaps(ref.first, ref.last, range));
				if (reverse) refs.reverse();
				for (const ref of refs) {
					const { rows } = await store.dataPiece(trans, ref);
					for (let n = 0; n < rows.length; n++) {
						const row = rows[reverse ? rows.length - 1 - n : n] as Record<string, unknown>;
						const key = row[pkPath];
						if (!inRange(key, range) || hidden.has(key)) continue;
						out.push({ key, primaryKey: key, value: row, shared: true });
						if (out.length >= limit) return out;
					}
				}
				return out;
			}
			const name = index.name as string;
			const refs = base.indexes[name];
			if (!refs) return unpackedIndex(trans, base, index, range, reverse, hidden);
			const overlapping = refs.filter((ref) => overlaps(ref.first[0], ref.last[0], range));
			if (reverse) overlapping.reverse();
			for (const ref of overlapping) {
				const { values, keys } = await store.piece<IndexPiece>(trans, ref.id);
				for (let n = 0; n < values.length; n++) {
					const at = reverse ? values.length - 1 - n : n;
					const key = values[at] as Key;
					const primaryKey = keys[at] as Key;
					if (!inRange(key, range) || hidden.has(primaryKey)) continue;
					out.push({ key, primaryKey });
					if (out.length >= limit) return out;
				}
			}
			return out;
		}

		/** An index the base did not pack: every base row is read and sorted. */
		async function unpackedIndex(
			trans: DBCoreTransaction,
			base: BaseDirectory,
			index: DBCoreIndex,
			range: DBCoreKeyRange,
			reverse: boolean,
			hidden: ReadonlySet<unknown>
		): Promise<Entry[]> {
			const out: Entry[] = [];
			for (const ref of base.data) {
				const { rows } = await store.dataPiece(trans, ref);
				for (const row of rows) {
					const key = index.extractKey?.(row) as unknown;
					const primaryKey = row[pkPath];
					if (isIndexKey(key) && inRange(key, range) && !hidden.has(primaryKey))
						out.push({ key, primaryKey, value: row, shared: true });
				}
			}
			out.sort((a, b) => cmp(a.key, b.key) || cmp(a.primaryKey, b.primaryKey));
			if (reverse) out.reverse();
			return out;
		}

		/** The merged entries of an index range, in walking order. */
		async function merged(
			trans: DBCoreTransaction,
			base: BaseDirectory,
			index: DBCoreIndex,
			range: DBCoreKeyRange,
			reverse: boolean,
			unique: boolean,
			limit: number,
			values: boolean
		): Promise<Entry[]> {
			// Unique walks keep the lowest primary key of each index key, in either direction.
			const want = unique ? Infinity : limit;
			const [keys, overlayRows] = await Promise.all([
				table.query({ trans, values: false, query: { index: pk, range: ANY_RANGE } }),
				table.query({
					trans,
					values: true,
					query: { index, range },
					direction: reverse ? 'prev' : 'next',
					// Markers come back from primary-key ranges and must not take a row's place.
					limit: index.isPrimaryKey ? undefined : want
				})
			]);
			const hidden = new Set<unknown>(keys.result);
			const overlay: Entry[] = [];
			for (const row of overlayRows.result as Array<Record<string, unknown>>)
				if (!isMarker(row))
					overlay.push({
						key: index.isPrimaryKey ? row[pkPath] : index.extractKey?.(row),
						primaryKey: row[pkPath],
						value: row
					});
			const fromBase = await baseEntries(trans, base, index, range, reverse, want, hidden);
			const sign = reverse ? -1 : 1;
			let entries: Entry[] = [];
			let a = 0;
			let b = 0;
			while ((a < overlay.length || b < fromBase.length) && entries.length < want) {
				const x = overlay[a];
				const y = fromBase[b];
				const takeOverlay =
					x !== undefined &&
					(y === undefined || sign * (cmp(x.key, y.key) || cmp(x.primaryKey, y.primaryKey)) < 0);
				entries.push(takeOverlay ? x : (y as Entry));
				if (takeOverlay) a++;
				else b++;
			}
			if (unique) entries = uniqueByKey(entries, reverse).slice(0, limit);
			if (values) {
				const missing = entries.filter((entry) => entry.value === undefined);
				const rows = await baseRows(
					trans,
					base,
					missing.map((entry) => entry.primaryKey as Key)
				);
				missing.forEach((entry, i) => (entry.value = rows[i]));
				// Rows of cached pieces are shared: each answer gets its own, as IndexedDB gives.
				for (const entry of entries)
					if (entry.shared) entry.value = copy(entry.value as Record<string, unknown>);
			}
			return entries;
		}

		const base = (trans: DBCoreTransaction) => directory(trans, schema.name);
		const toDirection = (direction: string | undefined) => ({
			reverse: direction === 'prev' || direction === 'prevunique',
			unique: direction === 'nextunique' || direction === 'prevunique'
		});
		const marker = (key: unknown) => ({ [pkPath]: key, [DELETED_MARK]: 1 });

		/**
		 * The merged rows of these keys. The row table is read with the directory, not after it:
		 * one round trip to IndexedDB less for every `get` (an edit's read, a record's live query).
		 */
		async function visibleRows(trans: DBCoreTransaction, keys: unknown[]) {
			const [found, over] = await Promise.all([
				base(trans),
				table.getMany({ trans, keys }) as Promise<unknown[]>
			]);
			return found ? visible(trans, found, keys, over) : over;
		}

		async function visible(
			trans: DBCoreTransaction,
			found: BaseDirectory,
			keys: unknown[],
			read?: unknown[]
		) {
			const over = read ?? ((await table.getMany({ trans, keys })) as unknown[]);
			const fromBase = await baseRows(
				trans,
				found,
				keys.filter((_, i) => over[i] === undefined) as Key[]
			);
			let n = 0;
			return over.map((row) =>
				row === undefined ? fromBase[n++] : isMarker(row) ? undefined : row
			);
		}

		return {
			...table,
			get: (req) => zoned(async () => (await visibleRows(req.trans, [req.key]))[0]),
			getMany: (req) => zoned(() => visibleRows(req.trans, req.keys)),
			count: (req) =>
				zoned(async () => {
					const found = await base(req.trans);
					if (!found) return table.count(req);
					const { index, range } = req.query;
					if (index.isPrimaryKey && isAnyRange(range)) return countAll(req.trans, found);
					return (await merged(req.trans, found, index, range, false, false, Infinity, false))
						.length;
				}),
			query: (req) =>
				zoned(async () => {
					const found = await base(req.trans);
					if (!found) return table.query(req);
					const { reverse, unique } = toDirection(req.direction);
					const entries = await merged(
						req.trans,
						found,
						req.query.index,
						req.query.range,
						reverse,
						unique,
						req.limit ?? Infinity,
						req.values === true
					);
					return {
						result: entries.map((entry) => (req.values ? entry.value : entry.primaryKey))
					};
				}),
			openCursor: (req) =>
				zoned(async () => {
					const found = await base(req.trans);
					if (!found) return table.openCursor(req);
					const reverse = req.reverse === true;
					const entries = await merged(
						req.trans,
						found,
						req.query.index,
						req.query.range,
						reverse,
						req.unique === true,
						Infinity,
						req.values !== false
					);
					return arrayCursor(req.trans, entries, reverse);
				}),
			mutate: (req) =>
				zoned(async (): Promise<DBCoreMutateResponse> => {
					const found = await base(req.trans);
					if (!found) return table.mutate(req);
					return mutatePacked(req, found);
				})
		};

		async function mutatePacked(
			req: DBCoreMutateRequest,
			found: BaseDirectory
		): Promise<DBCoreMutateResponse> {
			const { trans } = req;
			switch (req.type) {
				case 'put':
					return table.mutate(req);
				case 'add': {
					// A key the merged table holds is refused, as IndexedDB refuses it; a marker is not.
					const keys = req.values.map(keyOf);
					const existing = await visible(trans, found, keys);
					const failures: Record<number, Error> = {};
					const fresh: unknown[] = [];
					existing.forEach((row, i) => {
						if (row === undefined) fresh.push(req.values[i]);
						else failures[i] = new DOMException('Key already exists', 'ConstraintError');
					});
					if (fresh.length) await table.mutate({ type: 'put', trans, values: fresh });
					const numFailures = Object.keys(failures).length;
					return {
						numFailures,
						failures,
						results: keys.map((key, i) => (failures[i] ? undefined : key)),
						lastResult: keys.at(-1)
					};
				}
				case 'delete':
					await table.mutate({ type: 'put', trans, values: req.keys.map(marker) });
					return { numFailures: 0, failures: {}, lastResult: undefined };
				case 'deleteRange': {
					if (isAnyRange(req.range)) {
						// A cleared table has no base either (a resync starts from nothing).
						await dropBase(trans, found);
						return table.mutate(req);
					}
					const keys = (
						await merged(trans, found, pk, req.range, false, false, Infinity, false)
					).map((entry) => entry.primaryKey);
					// Markers in place of every row seen: the row table's markers in the range stay.
					if (keys.length) await table.mutate({ type: 'put', trans, values: keys.map(marker) });
					return { numFailures: 0, failures: {}, lastResult: undefined };
				}
			}
		}
	}

	async function dropBase(trans: DBCoreTransaction, found: BaseDirectory) {
		const prefix = `${found.table}/${found.gen}/`;
		await down.table(PIECES_TABLE).mutate({
			type: 'deleteRange',
			trans,
			range: {
				type: 2,
				lower: prefix,
				upper: `${prefix}\uffff`,
				lowerOpen: false,
				upperOpen: false
			}
		});
		await down.table(BASES_TABLE).mutate({ type: 'delete', trans, keys: [found.table] });
		store.forget(found.data);
		directories.get(trans)?.set(found.table, null);
	}

	/** A new or dropped base changes every row of its table for the live queries that read it. */
	function touchWhole(trans: DBCoreTransaction, tables: readonly string[]) {
		const withParts = trans as DBCoreTransaction & { mutatedParts?: Record<string, RangeSet> };
		const parts = (withParts.mutatedParts ??= {});
		for (const name of tables) {
			const schema = down.schema.tables.find((table) => table.name === name);
			const indexNames = ['', ':dels', ...(schema?.indexes ?? []).map((index) => index.name)];
			for (const indexName of indexNames) {
				const part = `idb://${down.schema.name}/${name}/${indexName ?? ''}`;
				const whole: { from: unknown; to: unknown } = { from: down.MIN_KEY, to: down.MAX_KEY };
				(parts[part] ??= new RangeSet()).add(whole as Parameters<RangeSet['add']>[0]);
			}
		}
	}

	return {
		transaction(stores, mode, transactionOptions) {
			const scope =
				hasBaseTables && stores.some((store) => packed.has(store))
					? [...new Set([...stores, BASES_TABLE, PIECES_TABLE])]
					: stores;
			return down.transaction(scope, mode, transactionOptions);
		},
		table(name) {
			const table = down.table(name);
			if (packed.has(name) && hasBaseTables) return wrapTable(table);
			if (name !== BASES_TABLE) return table;
			return {
				...table,
				async mutate(req) {
					const tables =
						req.type === 'put' || req.type === 'add'
							? req.values.map((value) => (value as BaseDirectory).table)
							: req.type === 'delete'
								? (req.keys as string[])
								: options.tables;
					const result = await table.mutate(req);
					const known = directories.get(req.trans);
					for (const name of tables) known?.delete(name);
					touchWhole(req.trans, tables);
					return result;
				}
			};
		}
	};
}

/** Positions of the items by group (null: none), groups in order of first appearance. */
function groupBy<T>(
	items: readonly T[],
	groupOf: (item: T) => number | null
): Map<number, number[]> {
	const groups = new Map<number, number[]>();
	items.forEach((item, i) => {
		const group = groupOf(item);
		if (group === null || group < 0) return;
		const list = groups.get(group);
		if (list) list.push(i);
		else groups.set(group, [i]);
	});
	return groups;
}

/** One entry per index key, the one of lowest primary key, as `nextunique`/`prevunique` give. */
function uniqueByKey(entries: readonly Entry[], reverse: boolean): Entry[] {
	const out: Entry[] = [];
	for (const entry of entries) {
		const last = out.at(-1);
		if (last && cmp(last.key, entry.key) === 0) {
			// Walking back, equal keys come highest primary key first: the lowest is the last seen.
			if (reverse) out[out.length - 1] = entry;
		} else out.push(entry);
	}
	return out;
}
