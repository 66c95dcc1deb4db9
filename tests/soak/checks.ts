/**
 * What must hold once the faults stop and everything has settled: every device equals the server,
 * every accepted mutation was processed exactly once (its effect present once, refusals visible on
 * the device), no outbox or TradingView queue left with work, TradingView equals the grants, and
 * no TradingView write repeated a change that was already verified.
 */
import { isNull } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Db } from '../../src/lib/server/db/client';
import { entityTables, toWireRow } from '../../src/lib/server/sync/tables';
import { entityNames, type EntityName } from '../../src/lib/shared/sync/entities';
import type { Device } from './device';
import { pairKey, type PairState, type SoakTradingView } from './tradingview';

export interface CheckResult {
	divergences: string[];
	losses: string[];
	duplicates: string[];
	stuck: string[];
	rejectionsNotVisible: string[];
	tradingViewMismatches: string[];
	repeatedTradingViewWrites: string[];
	outcomes: { applied: number; rejected: number; rejectedByCode: Record<string, number> };
	tvStates: Record<string, number>;
}

/** Tables every user sees whole; notifications are per user (compared through a fresh pull). */
const SHARED: EntityName[] = [
	'clients',
	'indicators',
	'indicatorVersions',
	'accesses',
	'accessEvents',
	'transactions',
	'recordEdits'
];

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function diff(label: string, mine: { id: string }[], theirs: { id: string }[]): string[] {
	const out: string[] = [];
	const other = new Map(theirs.map((row) => [row.id, JSON.stringify(row)]));
	const seen = new Set<string>();
	for (const row of mine) {
		seen.add(row.id);
		const expected = other.get(row.id);
		if (expected === undefined) out.push(`${label}: ${row.id} only on the device`);
		else if (expected !== JSON.stringify(row)) out.push(`${label}: ${row.id} differs`);
	}
	for (const id of other.keys())
		if (!seen.has(id)) out.push(`${label}: ${id} missing on the device`);
	return out;
}

async function serverRows(db: Db, entity: EntityName): Promise<{ id: string }[]> {
	const table = entityTables[entity] as unknown as PgTable & { deletedAt: PgColumn };
	const rows = (await db.select().from(table).where(isNull(table.deletedAt))) as Record<
		string,
		unknown
	>[];
	return rows.map((row) => toWireRow(entity, row) as { id: string }).sort(byId);
}

/** Every device's tables against the database (shared tables) and a fresh pull (all tables). */
async function compareDevices(db: Db, devices: Device[], observers: Device[]): Promise<string[]> {
	const out: string[] = [];
	const server = new Map<EntityName, { id: string }[]>();
	for (const entity of SHARED) server.set(entity, await serverRows(db, entity));
	for (const [i, device] of devices.entries()) {
		const observer = observers[i]!;
		for (const entity of entityNames) {
			const mine = ((await device.rows(entity)) as { id: string }[]).sort(byId);
			const shared = server.get(entity);
			if (shared) out.push(...diff(`${device.name} ${entity} vs database`, mine, shared));
			const fresh = ((await observer.rows(entity)) as { id: string }[]).sort(byId);
			out.push(...diff(`${device.name} ${entity} vs a fresh pull`, mine, fresh));
		}
	}
	return out;
}

interface ResultRow {
	mutation_id: number;
	outcome: 'applied' | 'rejected';
	code: string | null;
}

/** The id a mutation's effect can be found by: the row it creates or the event it records. */
function effectOf(
	name: string,
	args: Record<string, unknown>
): { table: string; id: string } | null {
	switch (name) {
		case 'client.create':
			return { table: 'clients', id: String(args.id) };
		case 'indicator.create':
			return { table: 'indicators', id: String(args.id) };
		case 'access.grant': {
			const [item] = args.items as { eventId: string }[];
			return item ? { table: 'access_events', id: item.eventId } : null;
		}
		case 'access.renew':
		case 'access.revoke':
			return { table: 'access_events', id: String(args.eventId) };
		default:
			return null;
	}
}

async function checkExactlyOnce(sql: postgres.Sql, devices: Device[], result: CheckResult) {
	let madeEvents = 0;
	for (const device of devices) {
		const clientId = device.engine.device.clientId;
		const rows = await sql<ResultRow[]>`
			select mutation_id::int, outcome, code from mutation_results where client_id = ${clientId}`;
		const results = new Map(rows.map((r) => [Number(r.mutation_id), r]));
		const [registered] = await sql<{ last: number }[]>`
			select last_mutation_id::int as last from sync_clients where client_id = ${clientId}`;
		const lastAccepted = Math.max(0, ...device.accepted.map((a) => a.mutationId));
		if ((registered?.last ?? 0) !== lastAccepted)
			result.losses.push(
				`${device.name}: server's last mutation id ${registered?.last ?? 0}, device accepted up to ${lastAccepted}`
			);
		const acceptedIds = new Set(device.accepted.map((a) => a.mutationId));
		for (const id of results.keys())
			if (!acceptedIds.has(id))
				result.duplicates.push(`${device.name}: result for unknown mutation ${id}`);
		for (const accepted of device.accepted) {
			const outcome = results.get(accepted.mutationId);
			const label = `${device.name} #${accepted.mutationId} ${accepted.name}`;
			if (!outcome) {
				result.losses.push(`${label}: never processed by the server`);
				continue;
			}
			if (outcome.outcome === 'applied') result.outcomes.applied++;
			else {
				result.outcomes.rejected++;
				const code = outcome.code ?? '?';
				result.outcomes.rejectedByCode[code] = (result.outcomes.rejectedByCode[code] ?? 0) + 1;
			}
			const effect = effectOf(accepted.name, accepted.args);
			if (!effect) continue;
			const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`
				select count(*)::int as n from ${sql(effect.table)} where id = ${effect.id}`;
			const applied = outcome.outcome === 'applied';
			// Revoking a grant already revoked is applied and changes nothing (no second event).
			const alreadyRevoked = applied && accepted.name === 'access.revoke' && n === 0;
			if (alreadyRevoked) {
				const [grant] = await sql<{ revoked: boolean }[]>`
					select revoked_at is not null as revoked from accesses where id = ${String(accepted.args.accessId)}`;
				if (!grant?.revoked) result.losses.push(`${label}: applied, but the grant is not revoked`);
			} else if (applied && n < 1) {
				result.losses.push(`${label}: applied, but its ${effect.table} row is missing`);
			}
			if (n > (applied ? 1 : 0))
				result.duplicates.push(`${label}: ${n} ${effect.table} rows (${outcome.outcome})`);
			if (applied && effect.table === 'access_events') madeEvents += n;
		}
		const visible = new Set(
			(await device.store.transaction((tx) => tx.rejections.toArray())).map((r) => r.mutationId)
		);
		for (const row of rows)
			if (row.outcome === 'rejected' && !visible.has(Number(row.mutation_id)))
				result.rejectionsNotVisible.push(`${device.name} #${row.mutation_id} ${row.code}`);
	}
	// Every grant, renewal and revocation event in the database comes from one applied mutation.
	const [{ n: events } = { n: 0 }] = await sql<{ n: number }[]>`
		select count(*)::int as n from access_events where kind in ('granted', 'renewed', 'revoked')`;
	if (events !== madeEvents)
		result.duplicates.push(
			`${events} grant/renew/revoke events for ${madeEvents} applied mutations`
		);
	// Each grant ends where its latest grant or renewal event says: no extension applied twice.
	const ends = await sql<{ id: string; ends_at: Date | null; last: Date | null }[]>`
		select a.id, a.ends_at, (
			select e.new_ends_at from access_events e
			where e.access_id = a.id and e.kind in ('granted', 'renewed')
			order by e.version desc limit 1
		) as last
		from accesses a where a.deleted_at is null`;
	for (const row of ends)
		if ((row.ends_at?.getTime() ?? null) !== (row.last?.getTime() ?? null))
			result.duplicates.push(
				`grant ${row.id}: ends ${row.ends_at?.toISOString()}, last event says ${row.last?.toISOString()}`
			);
}

/** Work left in a queue: outboxes, pending grants, TradingView jobs not finished. */
export async function pendingWork(sql: postgres.Sql, devices: Device[]): Promise<string[]> {
	const out: string[] = [];
	for (const device of devices) {
		const n = await device.outboxCount();
		if (n > 0) out.push(`${device.name}: ${n} outbox entries pending`);
		if (device.engine.state.paused)
			out.push(`${device.name}: sync paused (${device.engine.state.paused})`);
	}
	const [{ n: pending } = { n: 0 }] = await sql<{ n: number }[]>`
		select count(*)::int as n from accesses where tv_state = 'pending' and deleted_at is null`;
	if (pending > 0) out.push(`${pending} grants pending on TradingView`);
	const jobs = await sql<{ state: string; n: number }[]>`
		select state::text, count(*)::int as n from pgboss.job
		where name = 'tradingview-sync' and state in ('created', 'retry', 'active') group by state`;
	for (const job of jobs) out.push(`${job.n} TradingView sync jobs ${job.state}`);
	return out;
}

/** What TradingView should show per (script, user) pair whose grants are all verified. */
async function wantedOnTradingView(sql: postgres.Sql): Promise<Map<string, PairState>> {
	const rows = await sql<
		{ pub_id: string; username: string; ends_at: Date | null; revoked: boolean; tv_state: string }[]
	>`
		select i.pub_id, c.tradingview_username as username, a.ends_at,
			a.revoked_at is not null as revoked, a.tv_state
		from accesses a join clients c on c.id = a.client_id join indicators i on i.id = a.indicator_id
		where a.deleted_at is null`;
	type Row = (typeof rows)[number];
	const pairs = new Map<string, Row[]>();
	for (const row of rows) {
		const key = pairKey(row.pub_id, row.username);
		pairs.set(key, [...(pairs.get(key) ?? []), row]);
	}
	const wanted = new Map<string, PairState>();
	const now = Date.now();
	for (const [key, grants] of pairs) {
		if (grants.some((g) => g.tv_state !== 'verified')) continue;
		const open = grants.find(
			(g) => !g.revoked && (g.ends_at === null || g.ends_at.getTime() > now)
		);
		wanted.set(
			key,
			open
				? {
						member: true,
						expiration:
							open.ends_at === null ? null : Math.floor(open.ends_at.getTime() / 1000) * 1000
					}
				: { member: false }
		);
	}
	return wanted;
}

export async function runChecks(
	db: Db,
	sql: postgres.Sql,
	devices: Device[],
	observers: Device[],
	tv: SoakTradingView
): Promise<CheckResult> {
	const result: CheckResult = {
		divergences: await compareDevices(db, devices, observers),
		losses: [],
		duplicates: [],
		stuck: await pendingWork(sql, devices),
		rejectionsNotVisible: [],
		tradingViewMismatches: tv.mismatches(await wantedOnTradingView(sql)),
		repeatedTradingViewWrites: tv.audit().repeatedWrites,
		outcomes: { applied: 0, rejected: 0, rejectedByCode: {} },
		tvStates: {}
	};
	await checkExactlyOnce(sql, devices, result);
	for (const row of await sql<{ tv_state: string; n: number }[]>`
		select tv_state, count(*)::int as n from accesses where deleted_at is null group by tv_state`)
		result.tvStates[row.tv_state] = row.n;
	return result;
}

export function failures(result: CheckResult): string[] {
	return [
		...result.divergences.map((d) => `divergence: ${d}`),
		...result.losses.map((d) => `loss: ${d}`),
		...result.duplicates.map((d) => `duplicate: ${d}`),
		...result.stuck.map((d) => `stuck: ${d}`),
		...result.rejectionsNotVisible.map((d) => `rejection not visible: ${d}`),
		...result.tradingViewMismatches.map((d) => `TradingView differs: ${d}`),
		...result.repeatedTradingViewWrites.map((d) => `repeated TradingView write: ${d}`)
	];
}
