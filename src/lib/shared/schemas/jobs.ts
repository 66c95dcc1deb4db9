import { z } from 'zod';

// The admin Jobs page's inputs and answers (docs/jobs.md).

const jobName = z
	.string()
	.trim()
	.min(1, { error: 'validation.required' })
	.max(100)
	.regex(/^[a-z][a-z0-9-]*$/, { error: 'validation.invalid' });

export const jobRunsInput = z
	.object({
		job: jobName.optional(),
		/** The last run id of the previous page. */
		before: z.uuid().optional(),
		limit: z.number().int().min(1).max(100).default(20)
	})
	.default({ limit: 20 });
export type JobRunsInput = z.infer<typeof jobRunsInput>;

export const runJobInput = z.object({ job: jobName });

export type JobOutcome = 'running' | 'succeeded' | 'failed';
export type JobTrigger = 'schedule' | 'manual';

export interface JobRunView {
	id: string;
	job: string;
	trigger: JobTrigger;
	tick: Date | null;
	startedAt: Date;
	finishedAt: Date | null;
	durationMs: number | null;
	outcome: JobOutcome;
	error: string | null;
	summary: Record<string, unknown> | null;
	actorId: string | null;
}

export interface JobInfo {
	name: string;
	/** Five-field cron, UTC. */
	schedule: string;
	nextRunAt: Date | null;
	lastRun: JobRunView | null;
	lastSuccess: JobRunView | null;
}

export interface JobRunsPage {
	runs: JobRunView[];
	/** Pass as `before` for the next page; null on the last one. */
	next: string | null;
}
