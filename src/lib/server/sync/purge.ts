import { and, eq, getTableName, inArray, sql } from 'drizzle-orm';
import type { EntityName } from '$lib/shared/sync/entities';
import type { Db } from '../db/client';
import { rowsOf } from '../db/rows';
import { fieldWrites, mutationResults, syncState } from '../db/schema';
import { entityTables } from './tables';

// Retention of sync bookkeeping (docs/sync.md, "Retention"). A device whose cursor is below the
// highest purged tombstone re-bootstraps; 180 days keeps that to devices unused for half a year.
export const TOMBSTONE_RETENTION_DAYS = 180;
export const MUTATION_RESULT_RETENTION_DAYS = 90;
/** Rows deleted per transaction: short transactions, so pushes and pulls never wait long. */
export const PURGE_BATCH = 1_000;

const DAY_MS = 86_400_000;

/**
 * Children before parents: a tombstoned access event goes before its access, which goes before its
 * client, so one run frees a whole tombstoned tree. Every synced entity is listed (checked by test).
 */
export const PURGE_ORDER: readonly EntityName[] = [
	'notificationReads',
	'accessEvents',
	'transactions',
	'accesses',
	'indicatorVersions',
	'recordEdits',
	'notifications',
	'clients',
	'indicators'
];

interface Reference {
	child: string;
	childColumn: string;
	parentColumn: string;
}

/**
 * Every foreign key pointing at `table`, read from the catalog rather than listed by hand: a row is
 * purged only when nothing references it, whatever the FK's action. A `restrict` would fail the
 * batch; a `cascade` or `set null` would change a live row behind the devices' backs (a hard
 * delete or a change to an unsynced table never reaches them), so both count as "in use".
 */
async function referencesTo(db: Db, table: string): Promise<Reference[]> {
	return rowsOf<Reference>(
		await db.execute(sql`
			select c.conrelid::regclass::text as "child", a.attname as "childColumn", pa.attname as "parentColumn"
			from pg_constraint c
			join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
			join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
			where c.contype = 'f' and c.confrelid = ${table}::regclass and cardinality(c.conkey) = 1
		`)
	);
}

export interface PurgeSummary {
	/** Tombstoned rows hard-deleted, per entity (only entities with some). */
	tombstones: Partial<Record<EntityName, number>>;
	/** Tombstones past the retention still referenced by a live row (kept; retried every run). */
	kept: number;
	mutationResults: number;
	purgedThroughVersion: number;
}

/**
 * Deletes tombstones older than TOMBSTONE_RETENTION_DAYS that nothing references, and applied
 * `mutation_results` older than MUTATION_RESULT_RETENTION_DAYS; raises
 * `sync_state.purged_through_version` to the highest purged version in the same transaction as
 * each batch, so a pull's snapshot never sees a purged tombstone missing without the raised mark
 * (a device below it gets `cursor-too-old` and re-bootstraps). A function of (db, now): a second
 * run for the same moment finds nothing to do.
 */
export async function purgeSyncHistory(db: Db, now: Date): Promise<PurgeSummary> {
	const tombstoneCutoff = new Date(now.getTime() - TOMBSTONE_RETENTION_DAYS * DAY_MS);
	const summary: PurgeSummary = {
		tombstones: {},
		kept: 0,
		mutationResults: 0,
		purgedThroughVersion: 0
	};

	for (const entity of PURGE_ORDER) {
		const table = getTableName(entityTables[entity]);
		const unreferenced = (await referencesTo(db, table)).map(
			(ref) =>
				sql`and not exists (select 1 from ${sql.raw(ref.child)} r where r.${sql.identifier(ref.childColumn)} = t.${sql.identifier(ref.parentColumn)})`
		);
		for (;;) {
			const deleted = await db.transaction(async (tx) => {
				const rows = rowsOf<{ id: string; version: string | number }>(
					await tx.execute(sql`
						delete from ${sql.identifier(table)} where id in (
							select t.id from ${sql.identifier(table)} t
							where t.deleted_at is not null and t.deleted_at < ${tombstoneCutoff.toISOString()}
							${sql.join(unreferenced, sql` `)}
							order by t.version limit ${PURGE_BATCH}
							for update skip locked
						) returning id, version`)
				);
				if (rows.length === 0) return 0;
				const top = Math.max(...rows.map((row) => Number(row.version)));
				await tx
					.update(syncState)
					.set({
						purgedThroughVersion: sql`greatest(${syncState.purgedThroughVersion}, ${top})`,
						updatedAt: now
					})
					.where(sql`${syncState.id}`);
				// Server-only merge bookkeeping of the purged rows ("no concurrent edit known" is right).
				await tx.delete(fieldWrites).where(
					and(
						eq(fieldWrites.entity, entity),
						inArray(
							fieldWrites.entityId,
							rows.map((row) => row.id)
						)
					)
				);
				return rows.length;
			});
			if (deleted > 0) summary.tombstones[entity] = (summary.tombstones[entity] ?? 0) + deleted;
			if (deleted < PURGE_BATCH) break;
		}
		const [left] = rowsOf<{ n: string | number }>(
			await db.execute(
				sql`select count(*) as n from ${sql.identifier(table)} where deleted_at is not null and deleted_at < ${tombstoneCutoff.toISOString()}`
			)
		);
		summary.kept += Number(left?.n ?? 0);
	}

	summary.mutationResults = await pruneMutationResults(db, now);
	const [state] = await db.select().from(syncState);
	summary.purgedThroughVersion = state?.purgedThroughVersion ?? 0;
	return summary;
}

/**
 * Applied results only: a replay of a pruned id answers `applied`, which is then still true. A
 * rejected result is kept, because the server does not know whether the device learned it (its
 * push answer may have been lost, and only a later pull would tell it); rejections are few.
 */
async function pruneMutationResults(db: Db, now: Date): Promise<number> {
	const cutoff = new Date(now.getTime() - MUTATION_RESULT_RETENTION_DAYS * DAY_MS);
	let total = 0;
	for (;;) {
		const rows = rowsOf<{ client_id: string }>(
			await db.execute(sql`
				delete from ${mutationResults} where (client_id, mutation_id) in (
					select client_id, mutation_id from ${mutationResults}
					where outcome = 'applied' and processed_at < ${cutoff.toISOString()}
					limit ${PURGE_BATCH}
				) returning client_id`)
		);
		total += rows.length;
		if (rows.length < PURGE_BATCH) return total;
	}
}
