import { z } from 'zod';
import type { ErrorCode, ErrorParams } from '../errors';
import { entityNames, type EntityRows } from './entities';
import { cutSlices } from './snapshot-slices';

/**
 * The device store's schema version (Dexie shape + row shapes). Bump it when a release changes
 * what devices store or send; the server states the range it accepts (DESIGN.md §4.9).
 */
export const CLIENT_SCHEMA_VERSION = 2;
/** 2 added `recordEdits`; a device still on 1 keeps syncing without it (`entitiesForSchema`). */
export const SUPPORTED_CLIENT_SCHEMAS = { min: 1, max: 2 } as const;

export const MAX_PUSH_BATCH = 100;
export const DEFAULT_PULL_LIMIT = 5000;
export const MAX_PULL_LIMIT = 20_000;

export const mutationEnvelope = z.object({
	id: z.number().int().positive(),
	// Names are dotted words (`client.create`); anything else cannot name a mutator, and is stored
	// in the mutation's result, so it is refused at the door.
	name: z
		.string()
		.min(1)
		.max(100)
		.regex(/^[A-Za-z0-9_.:-]+$/),
	args: z.unknown(),
	/** The device's time of the edit: shown in history, never used to order writes. */
	createdAt: z.string().max(40)
});
export type MutationEnvelope = z.infer<typeof mutationEnvelope>;

export const pushRequest = z.object({
	clientId: z.uuid(),
	schemaVersion: z.number().int(),
	mutations: z.array(mutationEnvelope).min(1).max(MAX_PUSH_BATCH)
});
export type PushRequest = z.infer<typeof pushRequest>;

export interface MutationResult {
	id: number;
	outcome: 'applied' | 'rejected';
	code?: ErrorCode;
	params?: ErrorParams;
}

export type PushResponse =
	| { status: 'ok'; lastMutationId: number; results: MutationResult[] }
	/** The batch does not continue from the server's last mutation id: nothing applied. */
	| { status: 'gap'; lastMutationId: number }
	| { status: 'unsupported-schema'; min: number; max: number }
	/** This device id belongs to another user: the device must start over with a new id. */
	| { status: 'reset'; reason: 'device-user-mismatch' };

export const pullRequest = z.object({
	clientId: z.uuid(),
	schemaVersion: z.number().int(),
	/** Highest version the device has stored; 0 for a first sync. */
	cursor: z.number().int().nonnegative(),
	limit: z.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
	/**
	 * The device's oldest mutation whose push answer it never received (a lost acknowledgement):
	 * the final page reports which of those the server rejected, so no rejection goes unseen.
	 */
	pendingFrom: z.number().int().positive().nullable().default(null)
});
export type PullRequest = z.input<typeof pullRequest>;

export type PullRows = { [E in keyof EntityRows]?: Array<EntityRows[E]> };

export type PullResponse =
	| {
			status: 'ok';
			/** Store `rows` and this cursor in one local transaction. */
			cursor: number;
			rows: PullRows;
			/** More pages follow; acknowledge mutations and rebase only after the last one. */
			more: boolean;
			/** The device's last mutation applied by the server, in the same snapshot as `rows`. */
			lastMutationId: number;
			/** Rejections among the device's mutations from `pendingFrom` to `lastMutationId`. */
			rejected: MutationResult[];
			/** Rows still to come from this cursor including this page, on a first sync (for progress). */
			total: number | null;
			/** Server time, so devices judge time rules by it rather than by their own clock. */
			serverNow: string;
	  }
	| { status: 'unsupported-schema'; min: number; max: number }
	/** The cursor is older than purged tombstones: re-bootstrap from 0, keeping the outbox. */
	| { status: 'reset'; reason: 'cursor-too-old' | 'device-user-mismatch' };

type OkPull = Extract<PullResponse, { status: 'ok' }>;

/**
 * `sync.pull` as it travels. An ok page carries its rows as one JSON text built by the database,
 * so neither the server nor the transformer walks every row of a large page, and in columns, so a
 * field name is sent once per table rather than once per row:
 * `{"clients": [["id", "fullName", …], [["0190…", "Ana", …], …]], …}`.
 * The device turns it back into rows with `decodePullResponse`.
 */
export type PullWireResponse =
	Exclude<PullResponse, { status: 'ok' }> | (Omit<OkPull, 'rows'> & { rows: string });

function malformed(): never {
	throw new Error('malformed pull page');
}

/** One table's rows as they travel: the field names once, then each row's values in that order. */
export interface WireTable {
	columns: string[];
	values: unknown[][];
	/**
	 * A snapshot piece's rows as the server wrote them, cut in runs of `rows` values (the last may
	 * be shorter): `texts[k]` is the JSON text of values `k * rows …`, without the brackets. A
	 * device stores those texts as they are instead of writing the rows out again (see
	 * `cutSlices`).
	 */
	sliced?: { rows: number; texts: string[] };
}

export type WireTables = { [E in keyof EntityRows]?: WireTable };

/** The `rows` text of a pull page or a snapshot piece → each table's rows, still in columns. */
export function decodeWireTables(text: string): WireTables {
	const tables: unknown = JSON.parse(text);
	if (typeof tables !== 'object' || tables === null || Array.isArray(tables)) malformed();
	const out: Record<string, WireTable> = {};
	for (const [entity, table] of Object.entries(tables as Record<string, unknown>)) {
		if (!Array.isArray(table) || !Array.isArray(table[0]) || !Array.isArray(table[1])) malformed();
		const columns = table[0] as string[];
		const values = table[1] as unknown[];
		for (const value of values)
			if (!Array.isArray(value) || value.length !== columns.length) malformed();
		out[entity] = { columns, values: values as unknown[][] };
	}
	return out;
}

/** A table in columns → its rows as objects. */
export function rowsOfTable(table: WireTable): Array<Record<string, unknown>> {
	const { columns, values } = table;
	const rows = new Array<Record<string, unknown>>(values.length);
	for (let i = 0; i < values.length; i++) {
		const value = values[i] as unknown[];
		const row: Record<string, unknown> = {};
		for (let c = 0; c < columns.length; c++) row[columns[c] as string] = value[c];
		rows[i] = row;
	}
	return rows;
}

/** The `rows` text of a pull page or a snapshot piece → rows per entity. */
export function decodeWireRows(text: string): PullRows {
	const rows: Record<string, Array<Record<string, unknown>>> = {};
	for (const [entity, table] of Object.entries(decodeWireTables(text)))
		rows[entity] = rowsOfTable(table);
	return rows;
}

export function decodePullResponse(wire: PullWireResponse): PullResponse {
	if (wire.status !== 'ok') return wire;
	return { ...wire, rows: decodeWireRows(wire.rows) };
}

export const DEFAULT_SNAPSHOT_LIMIT = 10_000;
export const MAX_SNAPSHOT_LIMIT = 20_000;

/** Where a snapshot walk goes on: the next entity and the last id already sent of it (or null). */
export const snapshotPosition = z.object({
	entity: z.enum(entityNames),
	after: z.uuid().nullable()
});
export type SnapshotPosition = z.infer<typeof snapshotPosition>;

/**
 * `sync.snapshot`: the live rows of every table as of one version, for a device's first sync
 * (docs/decisions.md §24). The first call leaves `version` and `from` null; the server fixes the
 * version and every later call names it and the position the previous answer gave.
 */
export const snapshotRequest = z.object({
	clientId: z.uuid(),
	schemaVersion: z.number().int(),
	version: z.number().int().nonnegative().nullable().default(null),
	from: snapshotPosition.nullable().default(null),
	limit: z.number().int().min(1).max(MAX_SNAPSHOT_LIMIT).default(DEFAULT_SNAPSHOT_LIMIT),
	/** Rows per slice the device stores: the server marks every run of this many (`cutSlices`). */
	slice: z.number().int().min(1).max(MAX_SNAPSHOT_LIMIT).optional()
});
export type SnapshotRequest = z.input<typeof snapshotRequest>;

export type SnapshotResponse =
	| {
			status: 'ok';
			/** The snapshot's version: after the last piece, pull from this cursor. */
			version: number;
			/** Live rows (no tombstones) with `version <= version`, each table in id order. */
			rows: PullRows;
			/** Where the next call starts; null when this was the last piece. */
			next: SnapshotPosition | null;
			/** Rows in the whole snapshot, on the first call (for progress). */
			total: number | null;
			serverNow: string;
	  }
	| { status: 'unsupported-schema'; min: number; max: number }
	/** The version is older than purged tombstones, or the device belongs to another user. */
	| { status: 'reset'; reason: 'cursor-too-old' | 'device-user-mismatch' };

type OkSnapshot = Extract<SnapshotResponse, { status: 'ok' }>;

/** `sync.snapshot` as it travels: `rows` is one JSON text, in columns, as a pull page's. */
export type SnapshotWireResponse =
	Exclude<SnapshotResponse, { status: 'ok' }> | (Omit<OkSnapshot, 'rows'> & { rows: string });

export function decodeSnapshotResponse(wire: SnapshotWireResponse): SnapshotResponse {
	if (wire.status !== 'ok') return wire;
	return { ...wire, rows: decodeWireRows(wire.rows) };
}

/**
 * A snapshot piece as a device stores it: each table's rows kept in the columns they travel in,
 * so a packed table's pieces are cut from them without making an object of every row.
 */
export type SnapshotPiece =
	Exclude<SnapshotResponse, { status: 'ok' }> | (Omit<OkSnapshot, 'rows'> & { tables: WireTables });

/** `slice`: the request's, whose runs of rows the answer marks (`cutSlices`). */
export function decodeSnapshotPiece(wire: SnapshotWireResponse, slice?: number): SnapshotPiece {
	if (wire.status !== 'ok') return wire;
	const { rows, ...rest } = wire;
	const tables = decodeWireTables(rows);
	if (slice !== undefined) cutSlices(rows, tables, slice);
	return { ...rest, tables };
}
