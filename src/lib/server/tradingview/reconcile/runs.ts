import { and, desc, eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../audit';
import type { Db } from '../../db/client';
import { reconciliationDrifts, reconciliationRuns } from '../../db/schema';
import { emptyCounts, type DriftKind, type ReconciliationSummary } from './types';

// The reconciliation_runs rows: one run at a time across server processes, and its summary.

/** Advisory lock (by name, so no number clashes with the others) held while a run is started. */
const START_LOCK = 'pinegate.tradingview.reconciliation';

/**
 * A `running` row older than this belongs to a process that died mid-run (a run of a large account
 * takes minutes): it is closed as failed, so the next run can start.
 */
export const STALE_RUN_MS = 2 * 60 * 60_000;

/** `system` for the daily job, else the admin's user id (the column is text, as in access_events). */
export const actorColumn = (actor: Actor) => actor.id ?? 'system';

/** A new `running` row, or the one already running (then `started` is false). */
export async function beginRun(
	db: Db,
	actor: Actor,
	at: Date
): Promise<{ runId: string; started: boolean }> {
	return db.transaction(async (tx) => {
		// Two "Run now" at once, on two servers: the second waits here, then sees the first's row.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${START_LOCK}, 0))`);
		const [running] = await tx
			.select({ id: reconciliationRuns.id, startedAt: reconciliationRuns.startedAt })
			.from(reconciliationRuns)
			.where(eq(reconciliationRuns.state, 'running'))
			.orderBy(desc(reconciliationRuns.startedAt))
			.limit(1);
		if (running && at.getTime() - running.startedAt.getTime() < STALE_RUN_MS)
			return { runId: running.id, started: false };
		await tx
			.update(reconciliationRuns)
			.set({ state: 'failed', finishedAt: at, error: 'Interrupted: the server stopped mid-run' })
			.where(eq(reconciliationRuns.state, 'running'));
		const runId = uuidv7();
		await tx.insert(reconciliationRuns).values({
			id: runId,
			startedAt: at,
			state: 'running',
			actor: actorColumn(actor)
		});
		return { runId, started: true };
	});
}

export interface RunProgress {
	indicatorsScanned: number;
	entriesScanned: number;
	grantsCompared: number;
	calls: number;
}

export async function finishRun(
	db: Db,
	runId: string,
	outcome: { state: 'done' | 'failed'; error: string | null; at: Date },
	progress: RunProgress
): Promise<void> {
	await db
		.update(reconciliationRuns)
		.set({ ...progress, state: outcome.state, error: outcome.error, finishedAt: outcome.at })
		.where(and(eq(reconciliationRuns.id, runId), eq(reconciliationRuns.state, 'running')));
}

export async function driftCounts(db: Db, runId: string): Promise<Record<DriftKind, number>> {
	const rows = await db
		.select({ kind: reconciliationDrifts.kind, n: sql<number>`count(*)::int` })
		.from(reconciliationDrifts)
		.where(eq(reconciliationDrifts.runId, runId))
		.groupBy(reconciliationDrifts.kind);
	const counts = emptyCounts();
	for (const row of rows) counts[row.kind] = Number(row.n);
	return counts;
}

/** The summary of a finished run from its row, or null while it runs (or if there is none). */
export async function finishedSummary(
	db: Db,
	runId: string
): Promise<ReconciliationSummary | null> {
	const [run] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, runId));
	if (!run || run.state === 'running') return null;
	return {
		runId,
		state: run.state,
		...(run.error ? { error: run.error } : {}),
		drifts: await driftCounts(db, runId),
		calls: run.calls,
		entriesScanned: run.entriesScanned,
		grantsCompared: run.grantsCompared,
		durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : 0
	};
}
