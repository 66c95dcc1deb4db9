import type { ErrorCode, ErrorParams } from '$lib/shared/errors';
import type { EntityName, EntityRows } from '$lib/shared/sync/entities';
import type { SnapshotPosition, WireTable } from '$lib/shared/sync/protocol';
import type { PendingRows } from './pending-rows';

/** A mutation waiting for the server: `pending` until a push answer, `applied` until a pull confirms it. */
export interface OutboxEntry {
	id: number;
	name: string;
	args: unknown;
	createdAt: string;
	status: 'pending' | 'applied';
	entity: EntityName;
	entityId: string;
}

/** The server's version of a row touched by pending mutations (`null`: the server has no such row). */
export interface Shadow {
	key: string;
	entity: EntityName;
	id: string;
	row: EntityRows[EntityName] | null;
}

/** A refused mutation, kept visible until a person dismisses it (SYNC.md 5). */
export interface Rejection {
	mutationId: number;
	name: string;
	args: unknown;
	entity: EntityName;
	entityId: string;
	code: ErrorCode;
	params: ErrorParams;
	at: string;
	/** An earlier rejected mutation on the same record this one depended on. */
	dependsOn: number | null;
}

export interface LocalTable<T, K extends string | number = string> {
	get(key: K): Promise<T | undefined>;
	put(row: T): Promise<void>;
	bulkPut(rows: T[]): Promise<void>;
	delete(key: K): Promise<void>;
	bulkDelete(keys: K[]): Promise<void>;
	/** All rows in key order. */
	toArray(): Promise<T[]>;
	/** Rows whose `field` equals `value` (case-insensitively for strings when `ci`). */
	where(field: string, value: unknown, options?: { ci?: boolean; limit?: number }): Promise<T[]>;
	clear(): Promise<void>;
	count(): Promise<number>;
}

export interface MetaValues {
	clientId: string;
	userId: string;
	cursor: number;
	nextMutationId: number;
	serverOffsetMs: number;
	lastSyncedAt: string;
	/** The Dexie schema version that wrote this store. */
	schemaVersion: number;
	/**
	 * Pending edits held after a long offline period (docs/sync.md, "Long offline"): armed for the
	 * last sync before the gap, lifted when the person confirms. Kept here so a reload keeps it.
	 */
	longOfflineHold: { lastSyncedAt: string; confirmed: boolean };
	/** A first sync from a snapshot under way: where it stands, so a reload goes on from there. */
	snapshot: SnapshotProgress;
}

/** How much of one table's snapshot a store has set aside (its own numbering of what it wrote). */
export interface StagedCount {
	pieces: number;
	batches: number;
}

export interface SnapshotProgress {
	version: number;
	/** Where the next piece starts; null once the last is stored. */
	next: SnapshotPosition | null;
	/** Names this snapshot's stored pieces. */
	gen: string;
	staged: Partial<Record<EntityName, StagedCount>>;
	received: number;
	total: number;
}

/**
 * A first sync's rows (docs/decisions.md §24). A store may set a large table's rows aside as the
 * base of that table, unseen until `publish`; any other rows go straight to their table.
 */
export interface SnapshotTx {
	/** `table`: rows of `entity` in columns, continuing the earlier ones in primary-key order. */
	stage(
		entity: EntityName,
		gen: string,
		table: WireTable,
		staged: StagedCount
	): Promise<StagedCount>;
	publish(gen: string, staged: SnapshotProgress['staged']): Promise<void>;
	/** Forgets what was set aside for a snapshot that will not be finished. */
	drop(gen: string): Promise<void>;
}

export interface LocalTx {
	entity<E extends EntityName>(entity: E): LocalTable<EntityRows[E]>;
	outbox: LocalTable<OutboxEntry, number>;
	shadows: LocalTable<Shadow>;
	rejections: LocalTable<Rejection, number>;
	getMeta<K extends keyof MetaValues>(key: K): Promise<MetaValues[K] | undefined>;
	setMeta<K extends keyof MetaValues>(key: K, value: MetaValues[K]): Promise<void>;
	/** Removes a meta key. */
	deleteMeta(key: keyof MetaValues): Promise<void>;
	snapshot: SnapshotTx;
}

/** A table the transaction may only read. */
export type ReadonlyTable<T, K extends string | number = string> = Pick<
	LocalTable<T, K>,
	'get' | 'toArray' | 'where' | 'count'
>;

/** The engine's own tables (outbox, shadows, rejections, meta) without the synced rows. */
export type EngineTx = Omit<LocalTx, 'entity' | 'snapshot'>;

/** The engine's own tables, read only. */
export interface EngineReadTx {
	outbox: ReadonlyTable<OutboxEntry, number>;
	shadows: ReadonlyTable<Shadow>;
	rejections: ReadonlyTable<Rejection, number>;
	getMeta: LocalTx['getMeta'];
}

/** The device store as the sync core sees it: one atomic transaction at a time. */
export interface LocalStore {
	/** Every table, read-write: optimistic writes, pull pages, rebases. */
	transaction<T>(fn: (tx: LocalTx) => Promise<T>): Promise<T>;
	/**
	 * The engine's bookkeeping alone (counts, the next batch, the cursor, the long-offline hold).
	 * IndexedDB orders a transaction after every earlier one whose tables overlap: one over every
	 * table, though it only reads the outbox, makes the screen's next read of a client wait for it.
	 * Without the synced tables in scope (and read-only when it only reads) it holds up neither the
	 * live queries of rows nor, for reads, each other.
	 */
	engine<T>(mode: 'read', fn: (tx: EngineReadTx) => Promise<T>): Promise<T>;
	engine<T>(mode: 'write', fn: (tx: EngineTx) => Promise<T>): Promise<T>;
	/**
	 * Rows per slice of a packed table, when the store keeps them so: a snapshot is asked for with
	 * its rows marked in runs of this many, which the store keeps as the server wrote them.
	 */
	readonly snapshotSlice?: number;
	/** Where an edit's rows wait for its commit, when screens show them (pending-rows.ts). */
	readonly pendingRows?: PendingRows;
}

export function shadowKey(entity: EntityName, id: string): string {
	return `${entity}/${id}`;
}
