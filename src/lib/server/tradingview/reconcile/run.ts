import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { now as serverNow } from '../../clock';
import type { Db } from '../../db/client';
import {
	accesses,
	clients,
	indicators,
	reconciliationDrifts,
	reconciliationRuns
} from '../../db/schema';
import { env } from '../../env';
import { log } from '../../log';
import { pokeHub } from '../../sync/pokes';
import type { TradingViewClient } from '../client';
import { TradingViewError } from '../errors';
import { realClock, TokenBucket } from '../sync/pacing';
import { pauseWrites } from '../sync/queue';
import { clientsByUsername, compareIndicator, type GrantRow } from './compare';
import { beginRun, finishedSummary, finishRun, type RunProgress } from './runs';
import { listAccess } from './scan';
import { sessionClient } from './session';
import { emptyCounts, type ReconciliationOptions, type ReconciliationSummary } from './types';

// A reconciliation run (docs/tradingview-sync.md "Reconciliation"): page through each indicator's
// TradingView access list, compare it with the grants, record one drift row per difference. It
// only reads TradingView; fixing is a separate, audited step (fix.ts).

export const NOT_CONNECTED_ERROR =
	'TradingView is not connected: save the session cookies in Settings → TradingView';
export const SESSION_ERROR =
	'TradingView did not accept the session (expired?): writes are paused until new cookies are saved';

/** Runs started by this process, so a second caller here awaits the same promise. */
const inProcess = new Map<string, Promise<ReconciliationSummary>>();

/** The grants the comparison needs: open ones, and revoked ones whose removal is still pending. */
async function grantsOf(db: Db, indicatorId: string): Promise<GrantRow[]> {
	const rows = await db
		.select({
			accessId: accesses.id,
			version: accesses.version,
			clientId: accesses.clientId,
			username: clients.tradingviewUsername,
			endsAt: accesses.endsAt,
			revokedAt: accesses.revokedAt,
			tvState: accesses.tvState
		})
		.from(accesses)
		.innerJoin(clients, eq(clients.id, accesses.clientId))
		.where(
			and(
				eq(accesses.indicatorId, indicatorId),
				isNull(accesses.deletedAt),
				or(isNull(accesses.revokedAt), eq(accesses.tvState, 'pending'))
			)
		);
	return rows.map(({ revokedAt, ...row }) => ({
		...row,
		version: Number(row.version),
		revoked: revokedAt !== null
	}));
}

/**
 * Grants that changed while TradingView was being read are compared as in flight (pending): their
 * change queued a job, and the list may show either side of it.
 */
function settled(before: GrantRow[], after: GrantRow[]): GrantRow[] {
	const versionBefore = new Map(before.map((g) => [g.accessId, g.version]));
	const idsAfter = new Set(after.map((g) => g.accessId));
	const moved = (g: GrantRow) => versionBefore.get(g.accessId) !== g.version;
	const gone = before.filter((g) => !idsAfter.has(g.accessId));
	return [
		...after.map((g) => (moved(g) ? { ...g, tvState: 'pending' } : g)),
		...gone.map((g) => ({ ...g, tvState: 'pending' }))
	];
}

async function execute(
	db: Db,
	runId: string,
	options: ReconciliationOptions
): Promise<ReconciliationSummary> {
	const started = performance.now();
	const now = options.now ?? serverNow;
	const progress: RunProgress = {
		indicatorsScanned: 0,
		entriesScanned: 0,
		grantsCompared: 0,
		calls: 0
	};
	const counts = emptyCounts();
	const counters = { calls: 0, entries: 0 };
	const unreadable: string[] = [];
	let state: 'done' | 'failed' = 'done';
	let error: string | null = null;
	try {
		const client: TradingViewClient | null = options.client ?? (await sessionClient(db));
		if (!client) throw new NotConnected();
		const clock = options.clock ?? realClock;
		// The same pacing as the sync worker (TRADINGVIEW_RATE_PER_MINUTE), so a run stays polite.
		const bucket = new TokenBucket(
			options.ratePerMinute ?? env().TRADINGVIEW_RATE_PER_MINUTE,
			clock
		);
		const known = clientsByUsername(
			await db
				.select({ id: clients.id, username: clients.tradingviewUsername })
				.from(clients)
				.where(isNull(clients.deletedAt))
		);
		// A PUB ID TradingView refused is not the vendor's script: its list cannot be read.
		const scripts = await db
			.select({ id: indicators.id, name: indicators.name, pubId: indicators.pubId })
			.from(indicators)
			.where(and(isNull(indicators.deletedAt), ne(indicators.pubIdState, 'invalid')));
		for (const script of scripts) {
			const before = await grantsOf(db, script.id);
			let entries;
			try {
				entries = await listAccess(client, script.pubId, { bucket, clock }, counters);
			} catch (err) {
				// One foreign or deleted script (422/404) must not hide the drift of the others.
				if (err instanceof TradingViewError && err.kind === 'permanent') {
					unreadable.push(`${script.name} (${err.detail ?? err.message})`);
					continue;
				}
				throw err;
			}
			const grants = settled(before, await grantsOf(db, script.id));
			const { drifts, compared } = compareIndicator(entries, grants, known, now());
			progress.indicatorsScanned += 1;
			progress.grantsCompared += compared;
			progress.entriesScanned = counters.entries;
			progress.calls = counters.calls;
			await db.transaction(async (tx) => {
				if (drifts.length)
					await tx
						.insert(reconciliationDrifts)
						.values(drifts.map((d) => ({ id: uuidv7(), runId, indicatorId: script.id, ...d })));
				// Progress for the page that polls a running run.
				await tx.update(reconciliationRuns).set(progress).where(eq(reconciliationRuns.id, runId));
			});
			for (const d of drifts) counts[d.kind] += 1;
		}
		if (unreadable.length)
			error = `TradingView would not list the users of ${unreadable.join('; ')}`.slice(0, 1000);
	} catch (err) {
		state = 'failed';
		error = await failure(db, err, now());
	}
	progress.entriesScanned = counters.entries;
	progress.calls = counters.calls;
	await finishRun(db, runId, { state, error, at: now() }, progress);
	return {
		runId,
		state,
		...(error ? { error } : {}),
		drifts: counts,
		calls: progress.calls,
		entriesScanned: progress.entriesScanned,
		grantsCompared: progress.grantsCompared,
		durationMs: Math.round(performance.now() - started)
	};
}

class NotConnected extends Error {}

/** The run's error text; an expired session also pauses every TradingView write, as the worker does. */
async function failure(db: Db, err: unknown, at: Date): Promise<string> {
	if (err instanceof NotConnected) return NOT_CONNECTED_ERROR;
	if (err instanceof TradingViewError && err.kind === 'session') {
		const reason = err.detail ?? err.message;
		const paused = await db.transaction((tx) => pauseWrites(tx, at, reason));
		if (paused) pokeHub().poke();
		return SESSION_ERROR;
	}
	log.error({ err }, 'TradingView reconciliation failed');
	// TradingView errors carry the path, status and TradingView's detail, never cookies.
	return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}

/** Waits for a run another caller started (in this process: its promise; elsewhere: its row). */
async function awaitRun(db: Db, runId: string): Promise<ReconciliationSummary> {
	const local = inProcess.get(runId);
	if (local) return local;
	for (;;) {
		const summary = await finishedSummary(db, runId);
		if (summary) return summary;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/**
 * Starts a run unless one is running (anywhere): `started` says which. `done` settles with the
 * summary of the run named by `runId`, whichever started it; it never rejects.
 */
export async function startReconciliation(
	db: Db,
	options: ReconciliationOptions
): Promise<{ runId: string; started: boolean; done: Promise<ReconciliationSummary> }> {
	const at = (options.now ?? serverNow)();
	const { runId, started } = await beginRun(db, options.actor, at);
	if (!started) return { runId, started, done: awaitRun(db, runId) };
	const done = execute(db, runId, options).finally(() => inProcess.delete(runId));
	inProcess.set(runId, done);
	return { runId, started, done };
}

/** One reconciliation pass, to its end; with a run already going, that run's summary. */
export async function runReconciliation(
	db: Db,
	options: ReconciliationOptions
): Promise<ReconciliationSummary> {
	return (await startReconciliation(db, options)).done;
}
