import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { oneOf, tz } from './columns';
import { indicators, clients, accesses } from './domain';

/*
 * Server-only operations tables: scheduled job runs and TradingView reconciliation. Not synced to
 * devices (they need the server online anyway); admins read them through tRPC.
 */

export const JOB_TRIGGERS = ['schedule', 'manual'] as const;
export const JOB_OUTCOMES = ['running', 'succeeded', 'failed'] as const;

/**
 * One row per run of a scheduled job (expiry sweep, reminders, reconciliation, session check,
 * backup). `tick` is the schedule slot the run belongs to (`2026-11-28T03:00Z` for a daily job):
 * unique per job for scheduled runs, so two server processes on one PostgreSQL run each tick once.
 * Manual runs ("Run now") have a null tick. `summary` is the job's own result (counts).
 */
export const jobRuns = pgTable(
	'job_runs',
	{
		id: uuid('id').primaryKey(),
		job: text('job').notNull(),
		trigger: text('trigger', { enum: JOB_TRIGGERS }).notNull(),
		tick: tz('tick'),
		startedAt: tz('started_at').notNull(),
		finishedAt: tz('finished_at'),
		outcome: text('outcome', { enum: JOB_OUTCOMES }).notNull(),
		error: text('error'),
		summary: jsonb('summary'),
		/** Who pressed "Run now" (a user id), null for the schedule. */
		actorId: uuid('actor_id')
	},
	(t) => [
		index('job_runs_job_started_idx').on(t.job, t.startedAt),
		index('job_runs_started_idx').on(t.startedAt),
		// One run per scheduled tick, across server processes.
		uniqueIndex('job_runs_job_tick_uq')
			.on(t.job, t.tick)
			.where(sql`${t.tick} is not null`),
		check('job_runs_trigger_ck', oneOf(t.trigger, JOB_TRIGGERS)),
		check('job_runs_outcome_ck', oneOf(t.outcome, JOB_OUTCOMES))
	]
);

export const RECONCILIATION_STATES = ['running', 'done', 'failed'] as const;
export const DRIFT_KINDS = ['missing', 'leak', 'expiry_mismatch', 'unknown_user'] as const;

/** A reconciliation pass over every indicator's TradingView access list. */
export const reconciliationRuns = pgTable(
	'reconciliation_runs',
	{
		id: uuid('id').primaryKey(),
		startedAt: tz('started_at').notNull(),
		finishedAt: tz('finished_at'),
		state: text('state', { enum: RECONCILIATION_STATES }).notNull(),
		error: text('error'),
		/** `system` for the daily job, else the admin's user id. */
		actor: text('actor').notNull(),
		indicatorsScanned: integer('indicators_scanned').notNull().default(0),
		entriesScanned: integer('entries_scanned').notNull().default(0),
		grantsCompared: integer('grants_compared').notNull().default(0),
		calls: integer('calls').notNull().default(0)
	},
	(t) => [
		index('reconciliation_runs_started_idx').on(t.startedAt),
		check('reconciliation_runs_state_ck', oneOf(t.state, RECONCILIATION_STATES))
	]
);

/**
 * One difference found by a run. `missing`: an open grant TradingView does not list. `leak`:
 * TradingView lists a user of the CRM without an open grant. `expiry_mismatch`: both exist, the
 * expirations differ. `unknown_user`: TradingView lists a username no client has. Fixing records
 * who fixed it, when and how (and the audit log has the before/after).
 */
export const reconciliationDrifts = pgTable(
	'reconciliation_drifts',
	{
		id: uuid('id').primaryKey(),
		runId: uuid('run_id')
			.notNull()
			.references(() => reconciliationRuns.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: DRIFT_KINDS }).notNull(),
		indicatorId: uuid('indicator_id')
			.notNull()
			.references(() => indicators.id, { onDelete: 'cascade' }),
		clientId: uuid('client_id').references(() => clients.id, { onDelete: 'set null' }),
		accessId: uuid('access_id').references(() => accesses.id, { onDelete: 'set null' }),
		/** TradingView's spelling when it lists the user, else the client's. */
		username: text('username').notNull(),
		/** TradingView's expiration (null: lifetime, or not listed — see `kind`). */
		tvExpiration: tz('tv_expiration'),
		/** The grant's end (null: lifetime or no grant). */
		crmEndsAt: tz('crm_ends_at'),
		fixedAt: tz('fixed_at'),
		fixedBy: text('fixed_by'),
		/** What the fix did (`resynced`, `removed`, `imported`). */
		fix: text('fix')
	},
	(t) => [
		index('reconciliation_drifts_run_idx').on(t.runId, t.kind),
		check('reconciliation_drifts_kind_ck', oneOf(t.kind, DRIFT_KINDS))
	]
);
