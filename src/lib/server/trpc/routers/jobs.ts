import { AppError } from '$lib/shared/errors';
import { jobRunsInput, runJobInput } from '$lib/shared/schemas/jobs';
import { audit } from '../../audit';
import { now } from '../../clock';
import { appJobs } from '../../jobs/jobs';
import { listJobs, listRuns, runView } from '../../jobs/queries';
import { runJob } from '../../jobs/run';
import { actorOf, procedure, router } from '../init';

// The admin Jobs page (docs/jobs.md): the scheduled jobs, their recent runs, and "Run now".
export const jobsRouter = router({
	list: procedure('admin').query(({ ctx }) => listJobs(ctx.db, appJobs, now())),

	runs: procedure('admin')
		.input(jobRunsInput)
		.query(({ ctx, input }) => listRuns(ctx.db, input)),

	/** A manual run, now, in this request: it takes no tick from the schedule. */
	runNow: procedure('admin')
		.input(runJobInput)
		.mutation(async ({ ctx, input }) => {
			if (!appJobs.get(input.job)) throw new AppError('NOT_FOUND');
			const actor = actorOf(ctx);
			const run = await runJob(ctx.db, appJobs, input.job, {
				trigger: 'manual',
				actorId: actor.id
			});
			if (!run) throw new AppError('INTERNAL', {}, 'a manual run has no tick to lose');
			await audit(ctx.db, {
				actor,
				action: 'job.run',
				entity: 'job',
				entityId: input.job,
				after: { runId: run.id, outcome: run.outcome, error: run.error },
				meta: ctx.meta
			});
			return runView(run);
		})
});
