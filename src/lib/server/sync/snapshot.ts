import { sql, type SQL } from 'drizzle-orm';
import type { SessionUser } from '$lib/shared/schemas/user';
import { entitiesForSchema, type EntityName } from '$lib/shared/sync/entities';
import {
	SUPPORTED_CLIENT_SCHEMAS,
	decodeSnapshotResponse,
	snapshotRequest,
	type SnapshotPosition,
	type SnapshotRequest,
	type SnapshotResponse,
	type SnapshotWireResponse
} from '$lib/shared/sync/protocol';
import { AppError } from '$lib/shared/errors';
import { now } from '../clock';
import type { Db, Tx } from '../db/client';
import { rowsOf } from '../db/rows';
import { syncState } from '../db/schema';
import { tableOf, visibleTo } from './pull';
import { ensureDevice, schemaSupported } from './push';
import { wireColumnsOf } from './tables';
import { claimAhead, readAhead, type Computed, type Plan } from './snapshot-ahead';

// A first sync as a few large pieces instead of the change log (docs/decisions.md §24). Each call
// is its own read-only snapshot; what keeps the pieces consistent with each other is the version:
// a row changed after V carries a version above V, so it is left out of every later piece and
// arrives with the pull from V, while a row still at or below V is exactly as it was at V (versions
// follow commit order, see `versionSeq`). No row is sent twice or kept stale.

/** The highest version the snapshot can see: every commit at or below it, none above. */
async function currentVersion(tx: Tx, entityNames: readonly EntityName[]): Promise<number> {
	const branches = entityNames.map(
		(entity) => sql`(select max(t.version) as v from ${tableOf(entity)} t)`
	);
	const [row] = rowsOf<{ v: string | number | null }>(
		await tx.execute(sql`select max(u.v) as v from (${sql.join(branches, sql` union all `)}) u`)
	);
	return Number(row?.v ?? 0);
}

function live(entity: EntityName, version: number, userId: string): SQL {
	return sql`t.version <= ${version} and t.deleted_at is null ${visibleTo(entity, userId)}`;
}

async function totalOf(
	tx: Tx,
	entityNames: readonly EntityName[],
	version: number,
	userId: string
): Promise<number> {
	const counts = entityNames.map(
		(entity) =>
			sql`(select count(*) from ${tableOf(entity)} t where ${live(entity, version, userId)})`
	);
	const [row] = rowsOf<{ total: string | number }>(
		await tx.execute(sql`select ${sql.join(counts, sql` + `)} as total`)
	);
	return Number(row?.total ?? 0);
}

interface Slice {
	/** Rows walked past, live or not. */
	scanned: number;
	last: string | null;
	rows: string;
}

/**
 * The next `limit` rows of one table after `after` in id order, and of them the live ones written
 * as JSON by the database. The walk reads every row, live or not, because only a bare
 * `order by id limit n` is sure to walk the primary key: PGlite has no autovacuum and so usually
 * no statistics, and with the live conditions in the scan its planner read the whole table through
 * the version index and sorted it, on every call (a third of a second for 500,000 events). The
 * aggregate takes the rows in the subquery's order, which PostgreSQL keeps when nothing (a join)
 * stands between them; an `order by` inside it sorted them again, 12% of the query. The device
 * checks the order and refuses a base whose rows are not in it.
 */
async function slice(
	tx: Tx,
	entity: EntityName,
	version: number,
	userId: string,
	after: string | null,
	limit: number,
	perRun: number | undefined
): Promise<Slice> {
	const from = after === null ? sql`` : sql`where t.id > ${after}`;
	const walk = sql`(select * from ${tableOf(entity)} t ${from} order by t.id limit ${limit})`;
	const isLive = live(entity, version, userId);
	const [row] = rowsOf<Slice>(
		await tx.execute(
			perRun === undefined
				? sql`select count(*)::int as scanned, max(t.id::text) as last, coalesce(json_agg(${wireColumnsOf(entity).row}) filter (where ${isLive}), '[]')::text as rows from ${walk} t`
				: // The same rows, with a line break before and after every run of `perRun` live rows
					// (shared/sync/snapshot-slices.ts); `n` counts the live rows in id order.
					sql`select count(*)::int as scanned, max(t.id::text) as last, coalesce(${'[\n'} || string_agg((${wireColumnsOf(entity).row})::text, case when (t.n - 1) % ${perRun} = 0 then ${'\n,\n'} else ',' end) filter (where t.live) || ${'\n]'}, '[]') as rows from (select t.*, (${isLive}) as live, count(*) filter (where ${isLive}) over (order by t.id rows unbounded preceding) as n from ${walk} t) t`
		)
	);
	return row ?? { scanned: 0, last: null, rows: '[]' };
}

/** What identifies a piece's request: a piece computed ahead answers only the same one. */
function requestKey(userId: string, request: ParsedRequest): string {
	return JSON.stringify([
		userId,
		request.schemaVersion,
		request.version,
		request.from?.entity ?? null,
		request.from?.after ?? null,
		request.limit,
		request.slice ?? null
	]);
}

type ParsedRequest = ReturnType<typeof snapshotRequest.parse>;

/** The highest version of any synced row the database holds now. */
function highestVersion(db: Db, entityNames: readonly EntityName[]): Promise<number> {
	return db.transaction((tx) => currentVersion(tx, entityNames), { accessMode: 'read only' });
}

/**
 * Reads one piece, and the highest version its read saw: read for a first piece (it fixes the
 * version) and for a piece read ahead (see snapshot-ahead.ts); otherwise 0, unread.
 */
async function readPiece(
	db: Db,
	user: SessionUser,
	request: ParsedRequest,
	entityNames: readonly EntityName[],
	start: number,
	ahead = false
): Promise<Computed> {
	return db.transaction(
		async (tx) => {
			const first = request.version === null;
			const seen = first || ahead ? await currentVersion(tx, entityNames) : 0;
			const version = request.version ?? seen;
			// The pull from this version would be refused: start over rather than finish in vain.
			const [state] = await tx.select().from(syncState);
			if (state && version > 0 && version < state.purgedThroughVersion)
				return { answer: { status: 'reset', reason: 'cursor-too-old' } as const, seen };

			const parts: string[] = [];
			let left = request.limit;
			let next: SnapshotPosition | null = null;
			let after = request.from?.after ?? null;
			for (let i = start; i < entityNames.length; i++) {
				const entity = entityNames[i] as EntityName;
				if (left === 0) {
					next = { entity, after };
					break;
				}
				const piece = await slice(tx, entity, version, user.id, after, left, request.slice);
				if (piece.rows !== '[]')
					parts.push(`${JSON.stringify(entity)}:[${wireColumnsOf(entity).keys},${piece.rows}]`);
				left -= piece.scanned;
				if (left === 0) {
					// Full: this table may have more after the last row sent.
					next = { entity, after: piece.last };
					break;
				}
				after = null;
			}
			const answer = {
				status: 'ok',
				version,
				rows: `{${parts.join(',')}}`,
				next,
				total: first ? await totalOf(tx, entityNames, version, user.id) : null,
				serverNow: now().toISOString()
			} as const;
			return { answer, seen };
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

/**
 * One piece of the snapshot: rows from `from` on, table after table, until `limit` rows walked. The
 * answer says where the next piece starts, or that this was the last; that next piece is then read
 * ahead while this one travels and is stored (snapshot-ahead.ts).
 */
export async function snapshotWire(
	db: Db,
	user: SessionUser,
	input: SnapshotRequest
): Promise<SnapshotWireResponse> {
	const request = snapshotRequest.parse(input);
	if (!schemaSupported(request.schemaVersion))
		return { status: 'unsupported-schema', ...SUPPORTED_CLIENT_SCHEMAS };
	const device = await ensureDevice(db, user, request.clientId, request.schemaVersion);
	if (!device.ok) return { status: 'reset', reason: 'device-user-mismatch' };
	const entityNames = entitiesForSchema(request.schemaVersion);
	const startOf = (from: SnapshotPosition | null) => (from ? entityNames.indexOf(from.entity) : 0);
	const start = startOf(request.from);
	// A device on an older schema has no table for a later entity.
	if (start < 0) throw new AppError('VALIDATION', { field: 'from.entity', message: '' });

	const ahead = await claimAhead(db, request.clientId, requestKey(user.id, request), () =>
		highestVersion(db, entityNames)
	);
	const answer =
		ahead?.status === 'ok'
			? { ...ahead, serverNow: now().toISOString() } // the device measures its clock by it
			: (ahead ?? (await readPiece(db, user, request, entityNames, start)).answer);
	const plan = (asked: ParsedRequest, after: SnapshotWireResponse): Plan | null => {
		if (after.status !== 'ok' || !after.next) return null;
		const following: ParsedRequest = { ...asked, version: after.version, from: after.next };
		return {
			key: requestKey(user.id, following),
			read: () => readPiece(db, user, following, entityNames, startOf(following.from), true),
			following: (next) => plan(following, next)
		};
	};
	const next = plan(request, answer);
	if (next) readAhead(db, request.clientId, next);
	return answer;
}

/** `snapshotWire` with the rows parsed (tests and in-process callers). */
export async function snapshot(
	db: Db,
	user: SessionUser,
	request: SnapshotRequest
): Promise<SnapshotResponse> {
	return decodeSnapshotResponse(await snapshotWire(db, user, request));
}
