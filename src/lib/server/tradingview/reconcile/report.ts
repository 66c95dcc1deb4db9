import { asc, desc, eq, inArray } from 'drizzle-orm';
import type {
	ReconcileDriftView,
	ReconcileReport,
	ReconcileRunView
} from '$lib/shared/schemas/reconcile';
import type { Db } from '../../db/client';
import {
	clients,
	indicators,
	reconciliationDrifts,
	reconciliationRuns,
	users
} from '../../db/schema';
import { emptyCounts } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The latest run (or the one named) with its drifts, for the Reconciliation page. */
export async function reconciliationReport(db: Db, runId?: string): Promise<ReconcileReport> {
	const [run] = await db
		.select()
		.from(reconciliationRuns)
		.where(runId ? eq(reconciliationRuns.id, runId) : undefined)
		.orderBy(desc(reconciliationRuns.startedAt))
		.limit(1);
	if (!run) return { run: null, drifts: [] };
	const rows = await db
		.select({
			id: reconciliationDrifts.id,
			kind: reconciliationDrifts.kind,
			indicatorId: reconciliationDrifts.indicatorId,
			indicatorName: indicators.name,
			clientId: reconciliationDrifts.clientId,
			clientName: clients.fullName,
			accessId: reconciliationDrifts.accessId,
			username: reconciliationDrifts.username,
			tvExpiration: reconciliationDrifts.tvExpiration,
			crmEndsAt: reconciliationDrifts.crmEndsAt,
			fixedAt: reconciliationDrifts.fixedAt,
			fixedBy: reconciliationDrifts.fixedBy,
			fix: reconciliationDrifts.fix
		})
		.from(reconciliationDrifts)
		.innerJoin(indicators, eq(indicators.id, reconciliationDrifts.indicatorId))
		.leftJoin(clients, eq(clients.id, reconciliationDrifts.clientId))
		.where(eq(reconciliationDrifts.runId, run.id))
		.orderBy(
			asc(reconciliationDrifts.kind),
			asc(indicators.name),
			asc(reconciliationDrifts.username)
		);
	const staffIds = [run.actor, ...rows.map((r) => r.fixedBy)].filter(
		(id): id is string => id !== null && UUID.test(id)
	);
	const names = new Map(
		staffIds.length
			? (
					await db
						.select({ id: users.id, name: users.name })
						.from(users)
						.where(inArray(users.id, [...new Set(staffIds)]))
				).map((u) => [u.id, u.name])
			: []
	);
	const counts = emptyCounts();
	for (const row of rows) counts[row.kind] += 1;
	const runView: ReconcileRunView = {
		id: run.id,
		state: run.state,
		startedAt: run.startedAt,
		finishedAt: run.finishedAt,
		error: run.error,
		actor: run.actor,
		actorName: names.get(run.actor) ?? null,
		indicatorsScanned: run.indicatorsScanned,
		entriesScanned: run.entriesScanned,
		grantsCompared: run.grantsCompared,
		calls: run.calls,
		counts
	};
	const drifts: ReconcileDriftView[] = rows.map(({ fixedBy, fix, ...row }) => ({
		...row,
		fixedByName: fixedBy ? (names.get(fixedBy) ?? null) : null,
		fix: fix as ReconcileDriftView['fix']
	}));
	return { run: runView, drifts };
}
