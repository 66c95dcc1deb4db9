import { and, desc, eq, lt } from 'drizzle-orm';
import type { JobInfo, JobRunView, JobRunsInput, JobRunsPage } from '$lib/shared/schemas/jobs';
import type { Db } from '../db/client';
import { jobRuns } from '../db/schema';
import { nextSlot } from './cron';
import type { JobRegistry } from './definition';
import type { JobRun } from './run';

// What the admin Jobs page reads: each job with its last run, last success and next slot, and the
// recent runs (newest first, paged by run id, which is time-ordered).

export function runView(run: JobRun): JobRunView {
	return {
		id: run.id,
		job: run.job,
		trigger: run.trigger,
		tick: run.tick,
		startedAt: run.startedAt,
		finishedAt: run.finishedAt,
		durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
		outcome: run.outcome,
		error: run.error,
		summary: (run.summary ?? null) as JobRunView['summary'],
		actorId: run.actorId
	};
}

async function latest(db: Db, job: string, succeededOnly: boolean): Promise<JobRun | undefined> {
	const [row] = await db
		.select()
		.from(jobRuns)
		.where(
			succeededOnly
				? and(eq(jobRuns.job, job), eq(jobRuns.outcome, 'succeeded'))
				: eq(jobRuns.job, job)
		)
		.orderBy(desc(jobRuns.startedAt))
		.limit(1);
	return row;
}

export async function listJobs(db: Db, registry: JobRegistry, at: Date): Promise<JobInfo[]> {
	const jobs: JobInfo[] = [];
	for (const job of registry.list()) {
		const [last, success] = await Promise.all([
			latest(db, job.name, false),
			latest(db, job.name, true)
		]);
		jobs.push({
			name: job.name,
			schedule: job.schedule,
			nextRunAt: nextSlot(job.cron, at),
			lastRun: last ? runView(last) : null,
			lastSuccess: success ? runView(success) : null
		});
	}
	return jobs;
}

export async function listRuns(db: Db, input: JobRunsInput): Promise<JobRunsPage> {
	const limit = input.limit;
	const conditions = [
		input.job ? eq(jobRuns.job, input.job) : undefined,
		input.before ? lt(jobRuns.id, input.before) : undefined
	].filter((c) => c !== undefined);
	const rows = await db
		.select()
		.from(jobRuns)
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(desc(jobRuns.id))
		.limit(limit + 1);
	const page = rows.slice(0, limit);
	return {
		runs: page.map(runView),
		next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null
	};
}
