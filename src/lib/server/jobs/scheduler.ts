import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { now as serverNow } from '../clock';
import type { Db } from '../db/client';
import { log as rootLog } from '../log';
import { bossDb, createBoss } from './boss';
import { retryAborted } from '../db/errors';
import { rowsOf } from '../db/rows';
import { previousSlot } from './cron';
import type { JobLog, JobRegistry } from './definition';
import {
	jobsWithScheduledRuns,
	markInterrupted,
	pruneRuns,
	runJob,
	tickClaimed,
	type JobRun
} from './run';

// The scheduler (docs/jobs.md): pg-boss schedules say *when* (its cron monitor runs on one instance
// at a time and inserts a job into the job's queue shortly after each slot); the worker here turns
// that job into a run of the slot it belongs to. Whatever pg-boss does twice — two instances, a
// retried job, the catch-up below — the (job, tick) claim in runJob lets one run through.

/** pg-boss queue of a scheduled job (apart from the TradingView sync queue and pg-boss's own). */
/** Serializes the creation of job queues across instances (an arbitrary, fixed key). */
export const QUEUE_LOCK = 727_274_006;

export function queueOf(name: string): string {
	return `job.${name}`;
}

export interface SchedulerOptions {
	db: Db;
	/** Parameterless SQL on a connection (pg-boss's own schema upgrades). */
	exec: (sqlText: string) => Promise<void>;
	registry: JobRegistry;
	now?: () => Date;
	log?: JobLog;
	/** How often each job's queue is polled, seconds (ticks are hourly at most: no hurry). */
	pollingIntervalSeconds?: number;
	/** pg-boss settings (tests shorten the cron monitor). */
	boss?: Partial<PgBoss.ConstructorOptions>;
	/** Run a tick missed while every instance was down (default true). */
	catchUp?: boolean;
}

export class JobScheduler {
	private readonly boss: PgBoss;
	private readonly now: () => Date;
	private readonly log: JobLog;
	private background: Promise<void> | undefined;
	private stopped = false;

	constructor(private readonly options: SchedulerOptions) {
		this.boss = createBoss(bossDb(options.db, options.exec), {
			schedule: true,
			...options.boss
		});
		this.boss.on('error', (error) => this.log.error({ err: error }, 'job scheduler error'));
		this.now = options.now ?? serverNow;
		this.log = options.log ?? rootLog;
	}

	async start(): Promise<void> {
		await this.boss.start();
		for (const job of this.options.registry.list()) {
			const queue = queueOf(job.name);
			await this.ensureQueue(queue);
			await this.boss.schedule(queue, job.schedule, {}, { tz: 'UTC' });
			await this.boss.work(
				queue,
				{ pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 5, includeMetadata: true },
				async ([sent]) => {
					if (!sent) return;
					// The slot is the one pg-boss fired for: the latest at or before the job's creation
					// (created within a minute of the slot, worked a few seconds later).
					const tick = previousSlot(job.cron, new Date(sent.createdOn));
					if (tick) await this.fire(job.name, tick);
				}
			);
		}
		// Housekeeping and the catch-up can call TradingView (a reconciliation): beside the server's
		// start, not before it.
		this.background = this.housekeeping();
	}

	/** Finishes the runs in hand; pg-boss keeps unworked jobs for the next start or another instance. */
	async stop(): Promise<void> {
		this.stopped = true;
		// The server promises to stop within seconds: a long run (a reconciliation) left behind is
		// marked interrupted later and its job runs again at its next tick.
		await this.boss.stop({ graceful: true, close: false, wait: true, timeout: 5_000 });
		await Promise.race([this.background, new Promise((resolve) => setTimeout(resolve, 5_000))]);
	}

	/**
	 * A scheduled run of `tick`, or null when another process (or an earlier fire) has it. Never
	 * throws for the job's own failure; that is recorded and the next tick runs again.
	 */
	async fire(name: string, tick: Date): Promise<JobRun | null> {
		try {
			const run = await runJob(this.options.db, this.options.registry, name, {
				trigger: 'schedule',
				tick,
				now: this.now(),
				log: this.log
			});
			if (run) await pruneRuns(this.options.db, this.now());
			return run;
		} catch (error) {
			// The database, not the job: pg-boss must not retry a tick the claim may have taken.
			this.log.error({ err: error, job: name }, 'scheduled job could not be recorded');
			return null;
		}
	}

	/**
	 * Ticks pass unseen when no instance is up within a minute of them (pg-boss only fires recent
	 * slots). A job that has run on the schedule before gets its latest missed slot run once now;
	 * a new install waits for the first slot instead of running everything at its first start.
	 */
	async catchUp(): Promise<number> {
		const at = this.now();
		const jobs = this.options.registry.list();
		const known = await jobsWithScheduledRuns(
			this.options.db,
			jobs.map((j) => j.name)
		);
		let ran = 0;
		for (const job of jobs) {
			if (this.stopped) break;
			const tick = previousSlot(job.cron, at);
			if (!tick || !known.has(job.name)) continue;
			if (await tickClaimed(this.options.db, job.name, tick)) continue;
			if (await this.fire(job.name, tick)) ran += 1;
		}
		return ran;
	}

	private async housekeeping(): Promise<void> {
		try {
			const interrupted = await markInterrupted(this.options.db, this.now());
			if (interrupted) this.log.warn({ runs: interrupted }, 'job runs cut short by a stop');
			if (this.options.catchUp ?? true) await this.catchUp();
		} catch (error) {
			this.log.error({ err: error }, 'job scheduler housekeeping failed');
		}
	}

	private async ensureQueue(queue: string): Promise<void> {
		if (await this.boss.getQueue(queue)) return;
		// pg-boss's own create_queue (its timekeeper's queue, on another instance starting at the
		// same time) takes no lock of ours and can still deadlock with this one; nothing of an
		// aborted attempt remains, so it is simply run again (queue-deadlock.pg.test.ts).
		await retryAborted(
			() => this.createQueue(queue),
			(code, attempt) =>
				this.log.warn({ queue, code, attempt }, 'job queue creation retried after a deadlock')
		);
	}

	private async createQueue(queue: string): Promise<void> {
		// Two instances starting together would deadlock inside pg-boss's create_queue (it creates a
		// partition table): one creates it under a lock, the other then finds it.
		await this.options.db.transaction(async (tx) => {
			await tx.execute(sql`select pg_advisory_xact_lock(${QUEUE_LOCK})`);
			const [found] = rowsOf(
				await tx.execute(sql`select 1 as found from pgboss.queue where name = ${queue}`)
			);
			if (found) return;
			// No pg-boss retries: a failed run is recorded and the next tick is the retry.
			const options = { policy: 'standard', retryLimit: 0, expireInSeconds: 6 * 60 * 60 };
			await tx.execute(sql`select pgboss.create_queue(${queue}, ${JSON.stringify(options)}::json)`);
		});
	}
}

let current: JobScheduler | undefined;

export async function startJobScheduler(options: SchedulerOptions): Promise<JobScheduler> {
	const scheduler = new JobScheduler(options);
	await scheduler.start();
	current = scheduler;
	return scheduler;
}

export async function stopJobScheduler(): Promise<void> {
	const scheduler = current;
	current = undefined;
	await scheduler?.stop();
}
