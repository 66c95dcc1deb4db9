import { and, asc, between, eq, getTableName, sql, type SQL } from 'drizzle-orm';
import type { ErrorCode, ErrorParams } from '$lib/shared/errors';
import type { SessionUser } from '$lib/shared/schemas/user';
import { entitiesForSchema, type EntityName } from '$lib/shared/sync/entities';
import {
	DEFAULT_PULL_LIMIT,
	SUPPORTED_CLIENT_SCHEMAS,
	decodePullResponse,
	type PullRequest,
	type MutationResult,
	type PullResponse,
	type PullWireResponse
} from '$lib/shared/sync/protocol';
import { now } from '../clock';
import type { Db, Tx } from '../db/client';
import { rowsOf } from '../db/rows';
import { mutationResults, syncClients, syncState } from '../db/schema';
import { ensureDevice, schemaSupported } from './push';
import { entityTables, wireColumnsOf } from './tables';

export const tableOf = (entity: EntityName) => sql.identifier(getTableName(entityTables[entity]));

/** The rows of one entity this user may see (notifications are per user). */
export function visibleTo(entity: EntityName, userId: string): SQL {
	return entity === 'notifications'
		? sql`and (t.user_id is null or t.user_id = ${userId})`
		: entity === 'notificationReads'
			? sql`and t.user_id = ${userId}`
			: sql``;
}

interface PageOfEntity {
	entity: EntityName;
	count: number;
	top: string | number | null;
	rows: string;
}

/**
 * One page in two steps inside the snapshot, both walking the tables' version indexes:
 * 1. the page's last version and whether more follow, from the first `limit + 1` changed versions
 *    over every table (each branch reads only `version` from its index, so no row is built just
 *    to be thrown away); nothing changed ends the pull here;
 * 2. per table, the rows with `cursor < version <= last`, written as JSON by the database itself
 *    (`json_agg` of one `json_build_array` per row, see `wireColumnsOf`), so the server never
 *    parses or rebuilds a row, and the page travels as one JSON text.
 * The page is a prefix of the global version order: versions are unique across tables. Step 2 is
 * a closed range on purpose: PGlite has no autovacuum, so an embedded database usually has no
 * statistics, and its planner took an open `version > cursor` for a third of the table and read
 * whole tables on every pull (pull-scans.pg.test.ts).
 */
async function page(
	tx: Tx,
	cursor: number,
	limit: number,
	userId: string,
	entityNames: readonly EntityName[]
): Promise<{ entities: PageOfEntity[]; more: boolean }> {
	const branches = entityNames.map(
		(entity) =>
			sql`(select t.version from ${tableOf(entity)} t where t.version > ${cursor} ${visibleTo(entity, userId)} order by t.version limit ${limit + 1})`
	);
	const [found] = rowsOf<{ last: string | number | null; more: boolean | null }>(
		await tx.execute(
			sql`select max(v.version) filter (where v.n <= ${limit}) as last, bool_or(v.n > ${limit}) as more from (select u.version, row_number() over (order by u.version) as n from (${sql.join(branches, sql` union all `)}) u order by u.version limit ${limit + 1}) v`
		)
	);
	if (found?.last === null || found?.last === undefined) return { entities: [], more: false };
	const last = Number(found.last);
	const perEntity = entityNames.map(
		(entity) =>
			sql`select ${entity}::text as entity, count(*)::int as count, max(t.version) as top, coalesce(json_agg(${wireColumnsOf(entity).row}), '[]')::text as rows from ${tableOf(entity)} t where t.version > ${cursor} and t.version <= ${last} ${visibleTo(entity, userId)}`
	);
	const entities = rowsOf<PageOfEntity>(
		await tx.execute(sql.join(perEntity, sql` union all `))
	).filter((entity) => Number(entity.count) > 0);
	return { entities, more: found.more === true };
}

async function remaining(
	tx: Tx,
	cursor: number,
	userId: string,
	entityNames: readonly EntityName[]
): Promise<number> {
	const counts = entityNames.map(
		(entity) =>
			sql`(select count(*) from ${tableOf(entity)} t where t.version > ${cursor} ${visibleTo(entity, userId)})`
	);
	const [row] = rowsOf<{ total: string | number }>(
		await tx.execute(sql`select ${sql.join(counts, sql` + `)} as total`)
	);
	return Number(row?.total ?? 0);
}

/**
 * One page of changes since the cursor, as it goes on the wire (`rows` is one JSON text), with the
 * device's last applied mutation id read in the same snapshot, so "mutation n applied" and "its
 * effects are in these pages" are always consistent.
 */
export async function pullWire(
	db: Db,
	user: SessionUser,
	request: PullRequest
): Promise<PullWireResponse> {
	if (!schemaSupported(request.schemaVersion))
		return { status: 'unsupported-schema', ...SUPPORTED_CLIENT_SCHEMAS };
	const device = await ensureDevice(db, user, request.clientId, request.schemaVersion);
	if (!device.ok) return { status: 'reset', reason: 'device-user-mismatch' };
	const limit = request.limit ?? DEFAULT_PULL_LIMIT;

	return db.transaction(
		async (tx) => {
			const [state] = await tx.select().from(syncState);
			if (request.cursor > 0 && state && request.cursor < state.purgedThroughVersion) {
				return { status: 'reset', reason: 'cursor-too-old' } as const;
			}
			const [deviceRow] = await tx
				.select({ lastMutationId: syncClients.lastMutationId })
				.from(syncClients)
				.where(eq(syncClients.clientId, request.clientId));
			// A device on an older schema has no table for a later entity: it is left out.
			const entityNames = entitiesForSchema(request.schemaVersion);
			const { entities, more } = await page(tx, request.cursor, limit, user.id, entityNames);
			let cursor = request.cursor;
			const parts: string[] = [];
			for (const item of entities) {
				parts.push(
					`${JSON.stringify(item.entity)}:[${wireColumnsOf(item.entity).keys},${item.rows}]`
				);
				cursor = Math.max(cursor, Number(item.top));
			}
			const lastMutationId = deviceRow?.lastMutationId ?? 0;
			const pendingFrom = request.pendingFrom ?? null;
			const rejected: MutationResult[] =
				!more && pendingFrom !== null && pendingFrom <= lastMutationId
					? (
							await tx
								.select()
								.from(mutationResults)
								.where(
									and(
										eq(mutationResults.clientId, request.clientId),
										eq(mutationResults.outcome, 'rejected'),
										between(mutationResults.mutationId, pendingFrom, lastMutationId)
									)
								)
								.orderBy(asc(mutationResults.mutationId))
						).map((r) => ({
							id: r.mutationId,
							outcome: 'rejected' as const,
							code: (r.code ?? 'INTERNAL') as ErrorCode,
							params: (r.params ?? {}) as ErrorParams
						}))
					: [];
			return {
				status: 'ok',
				cursor,
				rows: `{${parts.join(',')}}`,
				more,
				lastMutationId,
				rejected,
				total:
					request.cursor === 0 ? await remaining(tx, request.cursor, user.id, entityNames) : null,
				serverNow: now().toISOString()
			} as const;
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

/** `pullWire` with the rows parsed: what a device stores (tests and in-process callers). */
export async function pull(db: Db, user: SessionUser, request: PullRequest): Promise<PullResponse> {
	return decodePullResponse(await pullWire(db, user, request));
}
