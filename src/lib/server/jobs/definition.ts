import type { Db } from '../db/client';
import type { log as rootLog } from '../log';
import { parseCron, type Cron } from './cron';

// What a scheduled job is (docs/jobs.md): a name, a UTC cron schedule and an idempotent function of
// (now, db) that answers a small JSON summary for the Jobs page.

export type JobTrigger = 'schedule' | 'manual';

/** JSON the job reports about its run (counts, states); stored as the run's summary. */
export type JobSummary = { [key: string]: unknown } | null;

export type JobLog = Pick<typeof rootLog, 'info' | 'warn' | 'error'>;

export interface JobContext {
	db: Db;
	/** The server's time when the run started; jobs read time only from here. */
	now: Date;
	log: JobLog;
	trigger: JobTrigger;
}

export interface JobDefinition {
	/** Kebab-case, stable: runs are recorded under it and the Jobs page translates it. */
	name: string;
	/** Five-field cron, UTC (`0 * * * *` hourly, `0 3 * * *` daily at 03:00). */
	schedule: string;
	run(ctx: JobContext): Promise<JobSummary>;
}

export interface RegisteredJob extends JobDefinition {
	cron: Cron;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The jobs a scheduler runs; checked once, so a typo in a schedule stops the server at start. */
export class JobRegistry {
	private readonly byName = new Map<string, RegisteredJob>();

	constructor(definitions: readonly JobDefinition[]) {
		for (const definition of definitions) {
			if (!NAME.test(definition.name))
				throw new Error(`job name "${definition.name}" must be kebab-case`);
			if (this.byName.has(definition.name))
				throw new Error(`job "${definition.name}" is registered twice`);
			this.byName.set(definition.name, { ...definition, cron: parseCron(definition.schedule) });
		}
	}

	get(name: string): RegisteredJob | undefined {
		return this.byName.get(name);
	}

	list(): RegisteredJob[] {
		return [...this.byName.values()];
	}
}
