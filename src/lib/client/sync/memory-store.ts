import {
	entityNames,
	type AnyRow,
	type EntityName,
	type EntityRows
} from '$lib/shared/sync/entities';
import { rowsOfTable } from '$lib/shared/sync/protocol';
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

type Key = string | number;

function clone<T>(value: T): T {
	return structuredClone(value);
}

class MemoryTable<T, K extends Key> implements LocalTable<T, K> {
	rows = new Map<K, T>();
	constructor(private readonly keyOf: (row: T) => K) {}

	get(key: K) {
		const row = this.rows.get(key);
		return Promise.resolve(row === undefined ? undefined : clone(row));
	}
	put(row: T) {
		this.rows.set(this.keyOf(row), clone(row));
		return Promise.resolve();
	}
	async bulkPut(rows: T[]) {
		for (const row of rows) await this.put(row);
	}
	delete(key: K) {
		this.rows.delete(key);
		return Promise.resolve();
	}
	async bulkDelete(keys: K[]) {
		for (const key of keys) await this.delete(key);
	}
	toArray() {
		const keys = [...this.rows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
		return Promise.resolve(keys.map((key) => clone(this.rows.get(key) as T)));
	}
	async where(field: string, value: unknown, options?: { ci?: boolean; limit?: number }) {
		const wanted = options?.ci && typeof value === 'string' ? value.toLowerCase() : value;
		const matches = (await this.toArray()).filter((row) => {
			const actual = (row as Record<string, unknown>)[field];
			return (options?.ci && typeof actual === 'string' ? actual.toLowerCase() : actual) === wanted;
		});
		return options?.limit ? matches.slice(0, options.limit) : matches;
	}
	clear() {
		this.rows.clear();
		return Promise.resolve();
	}
	count() {
		return Promise.resolve(this.rows.size);
	}
}

/** The table's reads; every write throws, as in a read-only IndexedDB transaction. */
function readOnly<T, K extends Key>(table: LocalTable<T, K>): LocalTable<T, K> {
	const refuse = () => Promise.reject(new Error('ReadOnlyError: a write in a read'));
	return {
		get: (key) => table.get(key),
		toArray: () => table.toArray(),
		where: (field, value, options) => table.where(field, value, options),
		count: () => table.count(),
		put: refuse,
		bulkPut: refuse,
		delete: refuse,
		bulkDelete: refuse,
		clear: refuse
	};
}

interface Tables {
	entities: Map<EntityName, MemoryTable<EntityRows[EntityName], string>>;
	outbox: MemoryTable<OutboxEntry, number>;
	shadows: MemoryTable<Shadow, string>;
	rejections: MemoryTable<Rejection, number>;
	meta: Map<string, unknown>;
}

function emptyTables(): Tables {
	return {
		entities: new Map(
			entityNames.map((name) => [
				name,
				new MemoryTable<EntityRows[EntityName], string>((row) => row.id)
			])
		),
		outbox: new MemoryTable((row) => row.id),
		shadows: new MemoryTable((row) => row.key),
		rejections: new MemoryTable((row) => row.mutationId),
		meta: new Map()
	};
}

function copyTables(source: Tables): Tables {
	const copy = emptyTables();
	for (const [name, table] of source.entities) copy.entities.get(name)!.rows = new Map(table.rows);
	copy.outbox.rows = new Map(source.outbox.rows);
	copy.shadows.rows = new Map(source.shadows.rows);
	copy.rejections.rows = new Map(source.rejections.rows);
	copy.meta = new Map(source.meta);
	return copy;
}

/**
 * An in-memory LocalStore with real transactions: work happens on a copy that replaces the state
 * only on success, and transactions run one at a time — what IndexedDB guarantees.
 */
export class MemoryStore implements LocalStore {
	private state = emptyTables();
	private queue: Promise<unknown> = Promise.resolve();

	transaction<T>(fn: (tx: LocalTx) => Promise<T>): Promise<T> {
		return this.run(fn);
	}

	engine<T>(mode: 'read', fn: (tx: EngineReadTx) => Promise<T>): Promise<T>;
	engine<T>(mode: 'write', fn: (tx: EngineTx) => Promise<T>): Promise<T>;
	engine<T>(mode: 'read' | 'write', fn: (tx: EngineTx) => Promise<T>): Promise<T> {
		// Scope as IndexedDB enforces it, so the core's tests catch a read that writes or a
		// bookkeeping transaction that touches rows (Dexie would throw there too).
		return this.run((tx) =>
			fn(
				mode === 'write'
					? {
							outbox: tx.outbox,
							shadows: tx.shadows,
							rejections: tx.rejections,
							getMeta: (key) => tx.getMeta(key),
							setMeta: (key, value) => tx.setMeta(key, value),
							deleteMeta: (key) => tx.deleteMeta(key)
						}
					: {
							outbox: readOnly(tx.outbox),
							shadows: readOnly(tx.shadows),
							rejections: readOnly(tx.rejections),
							getMeta: (key) => tx.getMeta(key),
							setMeta: () => Promise.reject(new Error('ReadOnlyError: setMeta in a read')),
							deleteMeta: () => Promise.reject(new Error('ReadOnlyError: deleteMeta in a read'))
						}
			)
		);
	}

	private run<T>(fn: (tx: LocalTx) => Promise<T>): Promise<T> {
		const run = this.queue.then(async () => {
			const working = copyTables(this.state);
			const tx: LocalTx = {
				entity: <E extends EntityName>(entity: E) =>
					working.entities.get(entity) as unknown as LocalTable<EntityRows[E]>,
				outbox: working.outbox,
				shadows: working.shadows,
				rejections: working.rejections,
				getMeta: <K extends keyof MetaValues>(key: K) =>
					Promise.resolve(clone(working.meta.get(key)) as MetaValues[K] | undefined),
				setMeta: (key, value) => {
					working.meta.set(key, clone(value));
					return Promise.resolve();
				},
				deleteMeta: (key) => {
					working.meta.delete(key);
					return Promise.resolve();
				},
				// Nothing is packed in memory: a snapshot's rows are rows at once.
				snapshot: {
					async stage(entity, _gen, table, staged) {
						await working.entities.get(entity)!.bulkPut(rowsOfTable(table) as AnyRow[]);
						return staged;
					},
					publish: () => Promise.resolve(),
					drop: () => Promise.resolve()
				}
			};
			const result = await fn(tx);
			this.state = working;
			return result;
		});
		this.queue = run.catch(() => {});
		return run;
	}

	/** Wipes everything, as a browser evicting storage would. */
	wipe(): void {
		this.state = emptyTables();
	}
}
