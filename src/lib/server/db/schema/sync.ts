import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	index,
	integer,
	jsonb,
	pgSequence,
	pgTable,
	primaryKey,
	text,
	uuid
} from 'drizzle-orm/pg-core';
import { oneOf, tz } from './columns';
import { users } from './auth';

/**
 * The one global version sequence (DESIGN.md §3, §4). Every row of every synced table carries a
 * `version` taken from it, bumped on every write, and the pull cursor is simply the highest version
 * a device has stored: "rows changed since cursor" = `version > cursor order by version`.
 */
export const versionSeq = pgSequence('pinegate_version_seq', { startWith: 1, increment: 1 });

/**
 * Transaction-scoped advisory lock key taken by the version trigger (see below). Distinct from the
 * migration lock in `../client.ts` (727_274_001).
 */
export const VERSION_WRITE_LOCK = 727_274_002;

/**
 * The synced tables. Each has a `BEFORE INSERT OR UPDATE` trigger, `<table>_bump_version`, created
 * by a custom migration (`drizzle/0001_version_triggers.sql`; a later table in its own migration,
 * e.g. `0005_record_edits.sql`), that runs the function `pinegate_bump_version()`:
 *
 *     perform pg_advisory_xact_lock(VERSION_WRITE_LOCK);
 *     new.version := nextval('pinegate_version_seq');
 *
 * - The bump is done by the database, not the application: no code path (service, job, manual SQL,
 *   a future contributor) can write a synced row and forget to bump it, and a value supplied by the
 *   application for `version` is always overwritten. The column default (`nextval(...)`) is there
 *   for the schema's readers and for drizzle's insert types; the trigger replaces it (so one
 *   sequence number per insert is skipped — gaps are harmless, only order matters).
 * - The advisory lock makes version order equal commit order. Without it, a sequence alone is not a
 *   safe cursor: transaction A takes version 10, transaction B takes 11 and commits first, a device
 *   pulls and stores cursor 11, then A commits row 10 — which that device would never see. With
 *   the lock, a transaction holds it from its first synced write until commit/rollback, so every
 *   version it takes is above every version of any transaction that committed before it, and
 *   below every version of any transaction that commits after it: each snapshot sees a prefix of
 *   the version order. The cost is that writes to synced tables are serialized; keep write
 *   transactions short and do slow work (TradingView calls) outside them. Reads never take the
 *   lock. On PGlite (one connection) the lock is uncontended.
 * - Hard deletes are not seen by pull: deleting is `update ... set deleted_at = now`, which bumps
 *   the version like any other write. Hard deletes are only for purging old tombstones; see
 *   `syncState.purgedThroughVersion`.
 */
export const SYNCED_TABLES = [
	'clients',
	'indicators',
	'indicator_versions',
	'accesses',
	'access_events',
	'transactions',
	'notifications',
	'notification_reads',
	'record_edits'
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/** The columns every synced table carries. A function, so each table gets its own builders. */
export const syncColumns = () => ({
	version: bigint('version', { mode: 'number' })
		.notNull()
		.default(sql`nextval('pinegate_version_seq')`),
	/** Tombstone: set instead of deleting so the deletion reaches every device on pull. */
	deletedAt: tz('deleted_at')
});

/**
 * One row per device (the client id generated and stored by the browser). `lastMutationId` is
 * updated in the same transaction as each pushed mutation, so a replayed push applies once; a
 * mutation id other than `lastMutationId + 1` is a gap (or a replay) and is refused / answered from
 * `mutation_results`.
 */
export const syncClients = pgTable(
	'sync_clients',
	{
		clientId: uuid('client_id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		lastMutationId: bigint('last_mutation_id', { mode: 'number' }).notNull().default(0),
		/** Client schema version of the last push/pull (DESIGN.md §4.9); null until first seen. */
		schemaVersion: integer('schema_version'),
		lastSeenAt: tz('last_seen_at').notNull(),
		createdAt: tz('created_at').notNull()
	},
	(t) => [
		index('sync_clients_user_idx').on(t.userId),
		check('sync_clients_last_mutation_id_ck', sql`${t.lastMutationId} >= 0`)
	]
);

export const MUTATION_OUTCOMES = ['applied', 'rejected'] as const;

/**
 * The outcome of every pushed mutation, keyed by (device, mutation id) and written in the same
 * transaction as the mutation itself (or, for a rejection, in the transaction that records it), so
 * a replayed push — also a concurrent one — answers exactly the same result (SYNC.md 1, 2, 5).
 * `entity`/`entity_id` link a rejection to the record it concerns. Rows may be pruned once the
 * device's pulled `lastMutationId` is past them and they are older than the retention period.
 */
export const mutationResults = pgTable(
	'mutation_results',
	{
		clientId: uuid('client_id')
			.notNull()
			.references(() => syncClients.clientId, { onDelete: 'cascade' }),
		mutationId: bigint('mutation_id', { mode: 'number' }).notNull(),
		/** Mutator name, e.g. `access.grant`. */
		name: text('name').notNull(),
		outcome: text('outcome', { enum: MUTATION_OUTCOMES }).notNull(),
		/** Rejection code from the shared error codes; null when applied. */
		code: text('code'),
		message: text('message'),
		/** Parameters of the rejection message (e.g. the client that already has the username). */
		params: jsonb('params'),
		entity: text('entity'),
		entityId: text('entity_id'),
		processedAt: tz('processed_at').notNull()
	},
	(t) => [
		primaryKey({ name: 'mutation_results_pk', columns: [t.clientId, t.mutationId] }),
		check('mutation_results_outcome_ck', oneOf(t.outcome, MUTATION_OUTCOMES)),
		check('mutation_results_code_ck', sql`(${t.outcome} = 'applied') = (${t.code} is null)`),
		check('mutation_results_mutation_id_ck', sql`${t.mutationId} > 0`),
		index('mutation_results_processed_at_idx').on(t.processedAt)
	]
);

/**
 * Single-row bookkeeping for the pull cursor. When old tombstones (and the rows of
 * `mutation_results`) are purged, `purgedThroughVersion` records the highest version whose
 * deletion could have been lost: a device whose cursor is below it cannot catch up incrementally
 * and must re-bootstrap (a full pull that keeps its outbox). 0 = nothing purged yet.
 */
export const syncState = pgTable(
	'sync_state',
	{
		id: boolean('id').primaryKey().default(true),
		purgedThroughVersion: bigint('purged_through_version', { mode: 'number' }).notNull().default(0),
		updatedAt: tz('updated_at').notNull().defaultNow()
	},
	(t) => [check('sync_state_singleton_ck', sql`${t.id}`)]
);
