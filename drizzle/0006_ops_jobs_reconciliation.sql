CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"trigger" text NOT NULL,
	"tick" timestamp with time zone,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"error" text,
	"summary" jsonb,
	"actor_id" uuid,
	CONSTRAINT "job_runs_trigger_ck" CHECK ("job_runs"."trigger" in ('schedule', 'manual')),
	CONSTRAINT "job_runs_outcome_ck" CHECK ("job_runs"."outcome" in ('running', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "reconciliation_drifts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"indicator_id" uuid NOT NULL,
	"client_id" uuid,
	"access_id" uuid,
	"username" text NOT NULL,
	"tv_expiration" timestamp with time zone,
	"crm_ends_at" timestamp with time zone,
	"fixed_at" timestamp with time zone,
	"fixed_by" text,
	"fix" text,
	CONSTRAINT "reconciliation_drifts_kind_ck" CHECK ("reconciliation_drifts"."kind" in ('missing', 'leak', 'expiry_mismatch', 'unknown_user'))
);
--> statement-breakpoint
CREATE TABLE "reconciliation_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"state" text NOT NULL,
	"error" text,
	"actor" text NOT NULL,
	"indicators_scanned" integer DEFAULT 0 NOT NULL,
	"entries_scanned" integer DEFAULT 0 NOT NULL,
	"grants_compared" integer DEFAULT 0 NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "reconciliation_runs_state_ck" CHECK ("reconciliation_runs"."state" in ('running', 'done', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "reconciliation_drifts" ADD CONSTRAINT "reconciliation_drifts_run_id_reconciliation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."reconciliation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_drifts" ADD CONSTRAINT "reconciliation_drifts_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_drifts" ADD CONSTRAINT "reconciliation_drifts_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_drifts" ADD CONSTRAINT "reconciliation_drifts_access_id_accesses_id_fk" FOREIGN KEY ("access_id") REFERENCES "public"."accesses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_runs_job_started_idx" ON "job_runs" USING btree ("job","started_at");--> statement-breakpoint
CREATE INDEX "job_runs_started_idx" ON "job_runs" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_job_tick_uq" ON "job_runs" USING btree ("job","tick") WHERE "job_runs"."tick" is not null;--> statement-breakpoint
CREATE INDEX "reconciliation_drifts_run_idx" ON "reconciliation_drifts" USING btree ("run_id","kind");--> statement-breakpoint
CREATE INDEX "reconciliation_runs_started_idx" ON "reconciliation_runs" USING btree ("started_at");