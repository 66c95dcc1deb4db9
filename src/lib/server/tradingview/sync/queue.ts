import { and, eq, isNotNull, isNull, lte, or, lt, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Db, DbOrTx } from '../../db/client';
import { accesses, notifications, settings } from '../../db/schema';
import { bossDb, jobSender } from '../../jobs/boss';
import { pokeHub } from '../../sync/pokes';

// The TradingView sync queue (docs/tradingview-sync.md): a job names only a grant; the worker makes
// TradingView match the grant's row as it is when the job runs.

/** Created by drizzle/0004_pgboss_queue.sql: policy `singleton`, one active job at a time. */
export const SYNC_QUEUE = 'tradingview-sync';

/** Where the pause of TradingView writes is kept (survives restarts, seen by every instance). */
export const PAUSE_KEY = 'tradingview.sync.paused';

export interface SyncJob {
	accessId: string;
}

const listeners = new Set<() => void>();

/** The worker of this process hears about new jobs at once instead of at its next poll. */
export function onEnqueued(listener: () => void): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

function wake(): void {
	// After the caller's commit, most likely; a job not yet visible is found by the next poll.
	setTimeout(() => {
		for (const listener of listeners) listener();
	}, 5);
}

/** Writes a sync job for the grant in the caller's transaction (so both commit or neither). */
export async function enqueueGrantSync(
	db: DbOrTx,
	accessId: string,
	options: { startAfter?: Date } = {}
): Promise<void> {
	const data: SyncJob = { accessId };
	await jobSender().send(SYNC_QUEUE, data as object, {
		db: bossDb(db),
		// A date, not pg-boss's "seconds from now" string: PGlite folds both CASE branches of its
		// start_after expression and fails on the cast of a number to a timestamp.
		...(options.startAfter ? { startAfter: options.startAfter } : {})
	});
	wake();
}

/**
 * Grants that ended and whose removal from TradingView is not verified yet: back to `pending`, and
 * a job each. Run by the worker every minute (the expiry sweep of issue 7 will call it too).
 */
export async function enqueueExpired(db: Db, at: Date): Promise<number> {
	const ids = await db.transaction(async (tx) => {
		const rows = await tx
			.update(accesses)
			.set({ tvState: 'pending', tvError: null, tvAttempts: 0 })
			.where(
				and(
					isNull(accesses.revokedAt),
					isNull(accesses.deletedAt),
					isNotNull(accesses.endsAt),
					lte(accesses.endsAt, at),
					eq(accesses.tvState, 'verified'),
					or(isNull(accesses.tvVerifiedAt), lt(accesses.tvVerifiedAt, accesses.endsAt))
				)
			)
			.returning({ id: accesses.id });
		for (const row of rows) await enqueueGrantSync(tx, row.id);
		return rows.map((r) => r.id);
	});
	if (ids.length) pokeHub().poke();
	return ids.length;
}

export async function isPaused(db: DbOrTx): Promise<boolean> {
	const [row] = await db.select().from(settings).where(eq(settings.key, PAUSE_KEY));
	return row !== undefined;
}

/** Pauses every TradingView write; true when it was not paused yet (then everyone is notified). */
export async function pauseWrites(db: DbOrTx, at: Date, reason: string): Promise<boolean> {
	const inserted = await db
		.insert(settings)
		.values({ key: PAUSE_KEY, value: { pausedAt: at.toISOString(), reason }, updatedAt: at })
		.onConflictDoNothing()
		.returning({ key: settings.key });
	if (inserted.length === 0) return false;
	await db.insert(notifications).values({
		id: uuidv7(),
		kind: 'tradingview_session_expired',
		entity: 'tradingview_session',
		entityId: null,
		data: { reason },
		at,
		userId: null
	});
	return true;
}

/**
 * New cookies were saved: writes resume, and every grant paused by the old session waits for
 * TradingView again. Called by Settings → TradingView after a successful save or login.
 */
export async function resumeAfterNewSession(db: Db): Promise<number> {
	const ids = await db.transaction(async (tx) => {
		await tx.delete(settings).where(eq(settings.key, PAUSE_KEY));
		const rows = await tx
			.update(accesses)
			.set({ tvState: 'pending', tvError: null })
			.where(and(eq(accesses.tvState, 'paused'), isNull(accesses.deletedAt)))
			.returning({ id: accesses.id });
		for (const row of rows) await enqueueGrantSync(tx, row.id);
		return rows;
	});
	wake();
	if (ids.length) pokeHub().poke();
	return ids.length;
}

/**
 * "Retry now": the grant waits for TradingView again and its job runs first thing. Retrying a
 * paused grant also lifts the pause for one try: if the session still fails, it pauses again.
 */
export async function retryGrantSync(db: Db, accessId: string): Promise<boolean> {
	const done = await db.transaction(async (tx) => {
		const [current] = await tx
			.select({ tvState: accesses.tvState })
			.from(accesses)
			.where(eq(accesses.id, accessId));
		if (current?.tvState === 'paused') await tx.delete(settings).where(eq(settings.key, PAUSE_KEY));
		const rows = await tx
			.update(accesses)
			.set({ tvState: 'pending', tvError: null, tvAttempts: 0 })
			.where(and(eq(accesses.id, accessId), isNull(accesses.deletedAt)))
			.returning({ id: accesses.id });
		if (rows.length === 0) return false;
		await enqueueGrantSync(tx, accessId);
		return true;
	});
	if (done) pokeHub().poke();
	return done;
}

/** Jobs not yet done (waiting, retrying or running), for tests and the sync panel. */
export async function queuedJobs(db: DbOrTx): Promise<number> {
	const rows = await db.execute<{ n: number }>(
		sql`select count(*)::int as n from pgboss.job where name = ${SYNC_QUEUE} and state < 'completed'`
	);
	const list = Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows;
	return Number((list as { n: number }[])[0]?.n ?? 0);
}

/**
 * The worker working a job says so every few seconds (`started_on` moves), so that a job whose
 * worker died can be told from a long one (see `releaseStaleJobs`).
 */
export async function touchActiveJob(db: Db, jobId: string): Promise<void> {
	await db.execute(
		sql`update pgboss.job set started_on = now() where name = ${SYNC_QUEUE} and id = ${jobId} and state = 'active'`
	);
}

/**
 * Jobs left `active` by a worker that stopped saying so for `staleMs` (its process was killed, or
 * lost the database in the middle of the job) go back to waiting, to run at once. The queue lets
 * one job be active at a time across instances, so one such job would otherwise hold up every
 * grant until pg-boss's own expiry (5 minutes, plus up to 2 minutes until its maintenance looks).
 * Past the queue's retry limit the job fails instead; the grant stays `pending` and the worker's
 * recovery queues it again. Returns how many jobs were released.
 */
export async function releaseStaleJobs(db: Db, staleMs: number): Promise<number> {
	const rows = await db.execute<{ id: string }>(sql`
		update pgboss.job
		set state = (case when retry_count < retry_limit then 'retry' else 'failed' end)::pgboss.job_state,
			retry_count = retry_count + 1,
			start_after = now(),
			completed_on = (case when retry_count < retry_limit then null else now() end)
		where name = ${SYNC_QUEUE} and state = 'active'
			and started_on < now() - make_interval(secs => ${staleMs / 1000})
		returning id`);
	const list = Array.isArray(rows) ? rows : (rows as { rows: { id: string }[] }).rows;
	return list.length;
}
