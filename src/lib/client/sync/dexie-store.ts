import type { Table, Transaction } from 'dexie';
import type { AnyRow, EntityName, EntityRows } from '$lib/shared/sync/entities';
import { rowsOfTable } from '$lib/shared/sync/protocol';
import { allTables, engineTables, packedTables, type MetaRow, type PineGateDb } from '../db';
import { compareKeys, isIndexKey, type Key } from '../packed/pieces';
import { ROWS_PER_SLICE, dropPieces, publishBase, stageBaseRows } from '../packed/staging';
import { pendingRows } from './pending-rows';

import type {
	EngineReadTx,
	EngineTx,
	LocalStore,
	LocalTable,
	LocalTx,
	MetaValues,
	OutboxEntry,
	Rejection,
	Shadow
} from './types';

const packed = new Set<string>(packedTables);

/**
 * One table inside one Dexie transaction. Every call goes through the transaction-bound table, so
 * it joins that transaction explicitly rather than through Dexie's zone; the sync core only awaits
 * these calls, so the IndexedDB transaction never commits half-way.
 */
class DexieTable<T, K extends Key> implements LocalTable<T, K> {
	constructor(private readonly table: Table<T, K>) {}

	get(key: K): Promise<T | undefined> {
		return this.table.get(key);
	}
	async put(row: T): Promise<void> {
		await this.table.put(row);
	}
	async bulkPut(rows: T[]): Promise<void> {
		if (rows.length) await this.table.bulkPut(rows);
	}
	delete(key: K): Promise<void> {
		return this.table.delete(key);
	}
	bulkDelete(keys: K[]): Promise<void> {
		return keys.length ? this.table.bulkDelete(keys) : Promise.resolve();
	}
	toArray(): Promise<T[]> {
		return this.table.toArray();
	}
	async where(
		field: string,
		value: unknown,
		options?: { ci?: boolean; limit?: number }
	): Promise<T[]> {
		const schema = this.table.schema;
		const primaryKey = schema.primKey.keyPath;
		const indexed = primaryKey === field || schema.idxByName[field] !== undefined;
		let rows: T[];
		if (indexed && isIndexKey(value)) {
			const clause = this.table.where(field);
			rows = await (
				options?.ci && typeof value === 'string'
					? clause.equalsIgnoreCase(value)
					: clause.equals(value)
			).toArray();
		} else {
			// Not indexed, or a value no index holds (null, a boolean): scan, as the memory store does.
			const wanted = options?.ci && typeof value === 'string' ? value.toLowerCase() : value;
			rows = await this.table
				.filter((row) => {
					const actual = (row as Record<string, unknown>)[field];
					return (
						(options?.ci && typeof actual === 'string' ? actual.toLowerCase() : actual) === wanted
					);
				})
				.toArray();
		}
		// Key order, like the memory store: the index orders by value (and case) first.
		const keyOf = (row: T) => (row as Record<string, unknown>)[primaryKey as string] as Key;
		rows.sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
		return options?.limit ? rows.slice(0, options.limit) : rows;
	}
	clear(): Promise<void> {
		return this.table.clear();
	}
	count(): Promise<number> {
		return this.table.count();
	}
}

function localTx(transaction: Transaction): LocalTx {
	const tables = new Map<string, DexieTable<unknown, Key>>();
	function table<T, K extends Key>(name: string): DexieTable<T, K> {
		let found = tables.get(name);
		if (!found) {
			found = new DexieTable(transaction.table(name));
			tables.set(name, found);
		}
		return found as unknown as DexieTable<T, K>;
	}
	const meta = () => transaction.table<MetaRow, string>('meta');
	return {
		entity: <E extends EntityName>(entity: E) =>
			table<EntityRows[E], string>(entity) as LocalTable<EntityRows[E]>,
		outbox: table<OutboxEntry, number>('outbox'),
		shadows: table<Shadow, string>('shadows'),
		rejections: table<Rejection, number>('rejections'),
		async getMeta<K extends keyof MetaValues>(key: K) {
			const row = await meta().get(key);
			return row?.value as MetaValues[K] | undefined;
		},
		async setMeta(key, value) {
			await meta().put({ key, value });
		},
		async deleteMeta(key) {
			await meta().delete(key);
		},
		snapshot: {
			async stage(entity, gen, rows, staged) {
				if (packed.has(entity)) return stageBaseRows(transaction, entity, gen, rows, staged);
				await table<AnyRow, string>(entity).bulkPut(rowsOfTable(rows) as AnyRow[]);
				return staged;
			},
			async publish(gen, staged) {
				for (const [entity, count] of Object.entries(staged))
					if (count) await publishBase(transaction, entity, gen, count);
			},
			async drop(gen) {
				for (const entity of packedTables) await dropPieces(transaction, entity, gen);
			}
		}
	};
}

export function isDatabaseClosed(error: unknown): boolean {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as { name?: unknown }).name === 'DatabaseClosedError'
	);
}

export interface DexieStoreOptions {
	/**
	 * Told when a transaction fails because the database was closed under us (deleted by the browser
	 * or by "clear site data"): the app reopens and starts over instead of retrying forever.
	 */
	onClosed?: (error: unknown) => void;
}

/**
 * The sync core's LocalStore over Dexie: one read-write transaction over every table per call, so
 * an optimistic write, its outbox entry and its shadow commit together or not at all, and
 * transactions run one at a time (IndexedDB serializes overlapping read-write transactions, also
 * across tabs). Semantics mirror `MemoryStore`; `dexie-store.test.ts` runs the same checks on both.
 */
export class DexieStore implements LocalStore {
	readonly snapshotSlice = ROWS_PER_SLICE;
	readonly pendingRows = pendingRows;

	constructor(
		readonly db: PineGateDb,
		private readonly options: DexieStoreOptions = {}
	) {}

	transaction<T>(fn: (tx: LocalTx) => Promise<T>): Promise<T> {
		return this.run('rw', allTables, (transaction) => fn(localTx(transaction)));
	}

	engine<T>(mode: 'read', fn: (tx: EngineReadTx) => Promise<T>): Promise<T>;
	engine<T>(mode: 'write', fn: (tx: EngineTx) => Promise<T>): Promise<T>;
	engine<T>(mode: 'read' | 'write', fn: (tx: EngineTx) => Promise<T>): Promise<T> {
		// The synced tables are not in this transaction's scope (the type has no `entity` either).
		return this.run(mode === 'read' ? 'r' : 'rw', engineTables, (transaction) =>
			fn(localTx(transaction))
		);
	}

	private async run<T>(
		mode: 'r' | 'rw',
		tables: ReadonlyArray<string>,
		fn: (transaction: Transaction) => Promise<T>
	): Promise<T> {
		try {
			return await this.db.transaction(mode, [...tables], fn);
		} catch (error) {
			if (isDatabaseClosed(error)) this.options.onClosed?.(error);
			throw error;
		}
	}
}
