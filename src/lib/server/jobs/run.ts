import { and, desc, eq, inArray, isNotNull, lt, notInArray } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { AppError } from '$lib/shared/errors';
import { now as serverNow } from '../clock';
import type { Db } from '../db/client';
import { jobRuns } from '../db/schema';
import { log as rootLog } from '../log';
import { previousSlot } from './cron';
import type { JobLog, JobRegistry, JobTrigger } from './definition';

export type JobRun = typeof jobRuns.$inferSelect;

export interface RunOptions {
	trigger: JobTrigger;
	/** Server time at the start (tests pass a controlled clock); default the server clock. */
	now?: Date;
	/** The schedule slot of a scheduled run; default the latest slot at or before `now`. */
	tick?: Date;
	/** Who pressed "Run now". */
	actorId?: string | null;
	log?: JobLog;
}

const ERROR_LENGTH = 2000;

function messageOf(error: unknown): string {
	const text = error instanceof Error ? error.message || error.name : String(error);
	return text.slice(0, ERROR_LENGTH);
}

/**
 * Runs a job once and records it. A scheduled run first claims its tick by inserting the run row:
 * the unique (job, tick) index lets exactly one process win, so the others get `null` and skip —
 * that insert, not pg-boss, is the one-run-per-tick guarantee. Manual runs have no tick and never
 * take one away from the schedule. A job's error is recorded, never thrown: the next tick simply
 * runs again.
 */
export async function runJob(
	db: Db,
	registry: JobRegistry,
	name: string,
	options: RunOptions
): Promise<JobRun | null> {
	const job = registry.get(name);
	if (!job) throw new AppError('NOT_FOUND', {}, `no job named ${name}`);
	const startedAt = options.now ?? serverNow();
	const tick =
		options.trigger === 'schedule' ? (options.tick ?? previousSlot(job.cron, startedAt)) : null;
	const id = uuidv7();
	const claimed = await db
		.insert(jobRuns)
		.values({
			id,
			job: name,
			trigger: options.trigger,
			tick,
			startedAt,
			outcome: 'running',
			actorId: options.actorId ?? null
		})
		.onConflictDoNothing()
		.returning({ id: jobRuns.id });
	if (claimed.length === 0) return null;

	const log: JobLog = options.log ?? rootLog.child({ job: name, runId: id });
	const began = performance.now();
	let outcome: 'succeeded' | 'failed' = 'succeeded';
	let summary: unknown = null;
	let error: string | null = null;
	try {
		summary = await job.run({ db, now: startedAt, log, trigger: options.trigger });
	} catch (err) {
		outcome = 'failed';
		error = messageOf(err);
		log.error({ err }, 'job failed');
	}
	// Duration by the monotonic clock: the server clock may be a test's fixed time.
	const finishedAt = new Date(startedAt.getTime() + Math.round(performance.now() - began));
	const [run] = await db
		.update(jobRuns)
		.set({ outcome, error, summary: summary ?? null, finishedAt })
		.where(eq(jobRuns.id, id))
		.returning();
	if (!run) throw new Error(`job run ${id} vanished`);
	if (outcome === 'succeeded') log.info({ summary }, 'job succeeded');
	return run;
}

/** A run still `running` after this long was cut short (the process died): shown as failed. */
export const STALE_AFTER_MS = 6 * 60 * 60_000;
/** Runs are kept this long; the last success of each job is kept whatever its age. */
export const RETENTION_DAYS = 90;

export async function markInterrupted(db: Db, at: Date): Promise<number> {
	const rows = await db
		.update(jobRuns)
		.set({ outcome: 'failed', error: 'Interrupted: the server stopped during the run' })
		.where(
			and(
				eq(jobRuns.outcome, 'running'),
				lt(jobRuns.startedAt, new Date(at.getTime() - STALE_AFTER_MS))
			)
		)
		.returning({ id: jobRuns.id });
	return rows.length;
}

export async function pruneRuns(db: Db, at: Date): Promise<number> {
	const lastSuccesses = db
		.selectDistinctOn([jobRuns.job], { id: jobRuns.id })
		.from(jobRuns)
		.where(eq(jobRuns.outcome, 'succeeded'))
		.orderBy(jobRuns.job, desc(jobRuns.startedAt));
	const rows = await db
		.delete(jobRuns)
		.where(
			and(
				lt(jobRuns.startedAt, new Date(at.getTime() - RETENTION_DAYS * 86_400_000)),
				notInArray(jobRuns.id, lastSuccesses)
			)
		)
		.returning({ id: jobRuns.id });
	return rows.length;
}

/** Whether a scheduled run already claimed this tick (for the catch-up after downtime). */
export async function tickClaimed(db: Db, name: string, tick: Date): Promise<boolean> {
	const [row] = await db
		.select({ id: jobRuns.id })
		.from(jobRuns)
		.where(and(eq(jobRuns.job, name), eq(jobRuns.tick, tick)))
		.limit(1);
	return row !== undefined;
}

/** Jobs (of `names`) that ever ran on the schedule: only those are caught up after downtime. */
export async function jobsWithScheduledRuns(db: Db, names: string[]): Promise<Set<string>> {
	if (names.length === 0) return new Set();
	const rows = await db
		.selectDistinct({ job: jobRuns.job })
		.from(jobRuns)
		.where(and(inArray(jobRuns.job, names), isNotNull(jobRuns.tick)));
	return new Set(rows.map((r) => r.job));
}
