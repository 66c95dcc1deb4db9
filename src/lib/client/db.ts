import Dexie, { type DexieOptions, type Table, type Transaction } from 'dexie';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { IndicatorRow } from '$lib/shared/schemas/indicator';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';
import type { AccessRow } from '$lib/shared/schemas/access';
import type { IndicatorVersionRow } from '$lib/shared/schemas/indicator-version';
import type { NotificationReadRow, NotificationRow } from '$lib/shared/schemas/notification';
import type { RecordEditRow } from '$lib/shared/schemas/record-edit';
import type { TransactionRow } from '$lib/shared/schemas/transaction';
import { entityNames, type EntityName } from '$lib/shared/sync/entities';
import type { MetaValues, OutboxEntry, Rejection, Shadow } from './sync/types';
import { BASES_TABLE, PIECES_TABLE, packedMiddleware } from './packed/packed-middleware';
import type { BaseDirectory } from './packed/pieces';

export const DB_NAME = 'pinegate';

/** One row of the `meta` table: the device's sync bookkeeping, one key each. */
export interface MetaRow {
	key: keyof MetaValues;
	value: MetaValues[keyof MetaValues];
}

/** The sync engine's own tables, beside one table per synced entity. */
export const engineTables = ['outbox', 'shadows', 'rejections', 'meta'] as const;
export type EngineTable = (typeof engineTables)[number];

/**
 * The large tables, whose first sync is stored packed (docs/decisions.md §24): their rows as of
 * the snapshot sit in `pieces`, listed by `bases`, with the table itself holding what changed
 * since; `packedMiddleware` shows the two as one table to every read.
 */
export const packedTables: readonly EntityName[] = [
	'clients',
	'accesses',
	'accessEvents',
	'transactions'
];

/** Every table of the device database (the scope of a sync transaction). */
export const allTables: ReadonlyArray<EntityName | EngineTable | 'bases' | 'pieces'> = [
	...entityNames,
	...engineTables,
	BASES_TABLE,
	PIECES_TABLE
];

/**
 * Version 1 of the device store. Primary key first, then the indexes: those the mutators' `findBy`
 * needs (clients by username and email, indicators by PUB ID, grants by client and indicator, …)
 * and those the list pages sort and filter by.
 */
export const schemaV1: Record<Exclude<EntityName, 'recordEdits'> | EngineTable, string> = {
	clients: 'id, tradingviewUsername, email, fullName, status, registeredAt',
	indicators: 'id, pubId, name, status',
	indicatorVersions: 'id, indicatorId',
	accesses: 'id, clientId, indicatorId',
	accessEvents: 'id, accessId, clientId',
	transactions: 'id, clientId',
	notifications: 'id, entityId',
	notificationReads: 'id, notificationId',
	outbox: 'id',
	shadows: 'key',
	rejections: 'mutationId, entityId',
	meta: 'key'
};

/** Version 2 (CLIENT_SCHEMA_VERSION 2): the edit log of clients and indicators, by record. */
export const schemaV2 = { recordEdits: 'id, entityId' } as const;

/** Version 3: the packed bases of the large tables (`packedTables`). What devices send is unchanged. */
export const schemaV3 = { [BASES_TABLE]: 'table', [PIECES_TABLE]: 'id' } as const;

/**
 * Version 4: notifications by time, for the notifications page's newest-first pages (it read the
 * whole table). What devices store and send is unchanged.
 */
export const schemaV4 = { notifications: `${schemaV1.notifications}, [at+id]` } as const;

/**
 * Version 5: the indexes no read uses are dropped — clients by name and by status (the list sorts
 * and filters in memory) and grant events by client (a client's events are read through its
 * grants). A first sync built, sorted and stored each one's entries: 716,000 of the bench set's
 * 2.49 M (docs/decisions.md §24f). What devices store and send is unchanged.
 */
export const schemaV5 = {
	clients: 'id, tradingviewUsername, email, registeredAt',
	accessEvents: 'id, accessId'
} as const;

/** The indexes version 5 drops, whose pieces a packed base built before it still holds. */
export const droppedInV5: Readonly<Record<string, readonly string[]>> = {
	clients: ['fullName', 'status'],
	accessEvents: ['clientId']
};

/** Forgets the pieces of the indexes version 5 dropped from each base built before it. */
async function dropIndexPieces(tx: Transaction): Promise<void> {
	const bases = tx.table<BaseDirectory, string>(BASES_TABLE);
	for (const [table, names] of Object.entries(droppedInV5)) {
		const base = await bases.get(table);
		if (!base) continue;
		const ids = names.flatMap((name) => (base.indexes[name] ?? []).map((ref) => ref.id));
		if (ids.length === 0) continue;
		await tx.table(PIECES_TABLE).bulkDelete(ids);
		const indexes = Object.fromEntries(
			Object.entries(base.indexes).filter(([name]) => !names.includes(name))
		);
		await bases.put({ ...base, indexes });
	}
}

/**
 * Dexie versions are APPEND-ONLY (DESIGN.md §4.9). Never edit or remove a `version(n)` once
 * released: add `version(n + 1)` with only the changed tables (and an `upgrade` when rows need
 * rewriting), bump CLIENT_SCHEMA_VERSION if what devices store or send changes, and never drop or
 * clear `outbox`, `rejections` or `meta` in an upgrade — pending edits must survive every release.
 * `outbox-durability.test.ts` opens a populated version 1 with a version 2 to prove it.
 */
export function defineVersions(db: Dexie): void {
	db.version(1).stores(schemaV1);
	db.version(2)
		.stores(schemaV2)
		.upgrade(async (tx) => {
			// Pulls before this version left the edit log out (the device had no table for it) while
			// the cursor moved past it: pull everything again, as after `cursor-too-old`. The outbox,
			// rejections and the device identity stay.
			const meta = tx.table<MetaRow, string>('meta');
			if (await meta.get('cursor')) await meta.put({ key: 'cursor', value: 0 });
			if (await meta.get('schemaVersion')) await meta.put({ key: 'schemaVersion', value: 2 });
		});
	db.version(3).stores(schemaV3);
	db.version(4).stores(schemaV4);
	db.version(5).stores(schemaV5).upgrade(dropIndexPieces);
}

/**
 * The device database: the synced rows the UI reads, the outbox of edits not yet confirmed, the
 * server copies of rows under pending edits (shadows), visible rejections, and sync meta.
 *
 * `autoOpen` is off on purpose: when the browser deletes the database under us (storage eviction,
 * "clear site data"), Dexie must not silently recreate an empty one and carry on with the old
 * device id — the app notices the DatabaseClosedError, reopens, and starts a fresh device.
 */
export class PineGateDb extends Dexie {
	clients!: Table<ClientRow, string>;
	indicators!: Table<IndicatorRow, string>;
	indicatorVersions!: Table<IndicatorVersionRow, string>;
	accesses!: Table<AccessRow, string>;
	accessEvents!: Table<AccessEventRow, string>;
	transactions!: Table<TransactionRow, string>;
	notifications!: Table<NotificationRow, string>;
	notificationReads!: Table<NotificationReadRow, string>;
	recordEdits!: Table<RecordEditRow, string>;
	outbox!: Table<OutboxEntry, number>;
	shadows!: Table<Shadow, string>;
	rejections!: Table<Rejection, number>;
	meta!: Table<MetaRow, string>;

	constructor(
		name: string = DB_NAME,
		options: DexieOptions = {},
		versions: (db: Dexie) => void = defineVersions
	) {
		super(name, { autoOpen: false, ...options });
		versions(this);
		this.use(packedMiddleware({ tables: packedTables }));
	}
}
