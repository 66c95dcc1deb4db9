import { and, asc, between, eq, getTableName, sql, type SQL } from 'drizzle-orm';
import type { ErrorCode, ErrorParams } from '$lib/shared/errors';
import type { SessionUser } from '$lib/shared/schemas/user';
import { entityNames, type EntityName } from '$lib/shared/sync/entities';
import {
	DEFAULT_PULL_LIMIT,
	SUPPORTED_CLIENT_SCHEMAS,
	type PullRequest,
	type MutationResult,
	type PullResponse,
	type PullRows
} from '$lib/shared/sync/protocol';
import { now } from '../clock';
import type { Db, Tx } from '../db/client';
import { mutationResults, syncClients, syncState } from '../db/schema';
import { ensureDevice, schemaSupported } from './push';
import { entityTables, fromJsonbRow } from './tables';

function rowsOf<T>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	return (result as { rows?: T[] }).rows ?? [];
}

/** Rows of one entity this user may see changed since the cursor (notifications are per user). */
function changedSince(entity: EntityName, cursor: number, userId: string): SQL {
	const table = sql.identifier(getTableName(entityTables[entity]));
	const visibility =
		entity === 'notifications'
			? sql`and (t.user_id is null or t.user_id = ${userId})`
			: entity === 'notificationReads'
				? sql`and t.user_id = ${userId}`
				: sql``;
	return sql`from ${table} t where t.version > ${cursor} ${visibility}`;
}

async function page(tx: Tx, cursor: number, limit: number, userId: string) {
	// Each branch walks its table's version index; the merge takes the lowest versions overall,
	// so a page is always a prefix of the global version order.
	const branches = entityNames.map(
		(entity) =>
			sql`(select ${entity}::text as entity, t.version as version, to_jsonb(t) as row ${changedSince(entity, cursor, userId)} order by t.version limit ${limit + 1})`
	);
	const query = sql`select entity, version, row from (${sql.join(branches, sql` union all `)}) u order by version limit ${limit + 1}`;
	return rowsOf<{
		entity: EntityName;
		version: string | number;
		row: Record<string, unknown> | string;
	}>(await tx.execute(query));
}

async function remaining(tx: Tx, cursor: number, userId: string): Promise<number> {
	const counts = entityNames.map(
		(entity) => sql`(select count(*) ${changedSince(entity, cursor, userId)})`
	);
	const [row] = rowsOf<{ total: string | number }>(
		await tx.execute(sql`select ${sql.join(counts, sql` + `)} as total`)
	);
	return Number(row?.total ?? 0);
}

/**
 * One page of changes since the cursor, with the device's last applied mutation id read in the same
 * snapshot, so "mutation n applied" and "its effects are in these pages" are always consistent.
 */
export async function pull(db: Db, user: SessionUser, request: PullRequest): Promise<PullResponse> {
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
			const found = await page(tx, request.cursor, limit, user.id);
			const more = found.length > limit;
			const taken = more ? found.slice(0, limit) : found;
			const rows: PullRows = {};
			let cursor = request.cursor;
			for (const item of taken) {
				const json =
					typeof item.row === 'string'
						? (JSON.parse(item.row) as Record<string, unknown>)
						: item.row;
				const list = (rows[item.entity] ??= []) as unknown[];
				list.push(fromJsonbRow(item.entity, json));
				cursor = Math.max(cursor, Number(item.version));
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
				rows,
				more,
				lastMutationId,
				rejected,
				total: request.cursor === 0 ? await remaining(tx, request.cursor, user.id) : null,
				serverNow: now().toISOString()
			} as const;
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}
