CREATE SEQUENCE "public"."pinegate_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	"ip" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"success" boolean NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"user_agent" text,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "users_role_ck" CHECK ("users"."role" in ('admin', 'seller', 'support'))
);
--> statement-breakpoint
CREATE TABLE "mutation_results" (
	"client_id" uuid NOT NULL,
	"mutation_id" bigint NOT NULL,
	"name" text NOT NULL,
	"outcome" text NOT NULL,
	"code" text,
	"message" text,
	"entity" text,
	"entity_id" text,
	"processed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mutation_results_pk" PRIMARY KEY("client_id","mutation_id"),
	CONSTRAINT "mutation_results_outcome_ck" CHECK ("mutation_results"."outcome" in ('applied', 'rejected')),
	CONSTRAINT "mutation_results_code_ck" CHECK (("mutation_results"."outcome" = 'applied') = ("mutation_results"."code" is null)),
	CONSTRAINT "mutation_results_mutation_id_ck" CHECK ("mutation_results"."mutation_id" > 0)
);
--> statement-breakpoint
CREATE TABLE "sync_clients" (
	"client_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"last_mutation_id" bigint DEFAULT 0 NOT NULL,
	"schema_version" integer,
	"last_seen_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sync_clients_last_mutation_id_ck" CHECK ("sync_clients"."last_mutation_id" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"purged_through_version" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_state_singleton_ck" CHECK ("sync_state"."id")
);
--> statement-breakpoint
CREATE TABLE "access_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"access_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"previous_ends_at" timestamp with time zone,
	"new_ends_at" timestamp with time zone,
	"preset" text,
	"note" text,
	"version" bigint DEFAULT nextval('pinegate_version_seq') NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "access_events_kind_ck" CHECK ("access_events"."kind" in ('granted', 'renewed', 'revoked', 'expired', 'restored', 'tv_verified', 'tv_failed', 'conflict_flagged')),
	CONSTRAINT "access_events_actor_ck" CHECK ("access_events"."actor" = 'system' or "access_events"."actor" ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
);
--> statement-breakpoint
CREATE TABLE "accesses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	"access_type" text NOT NULL,
	"tv_state" text DEFAULT 'pending' NOT NULL,
	"tv_error" text,
	"tv_attempts" integer DEFAULT 0 NOT NULL,
	"tv_verified_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" bigint DEFAULT nextval('pinegate_version_seq') NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "accesses_ends_after_starts_ck" CHECK ("accesses"."ends_at" > "accesses"."starts_at"),
	CONSTRAINT "accesses_access_type_ck" CHECK ("accesses"."access_type" in ('trial', 'paid', 'complimentary')),
	CONSTRAINT "accesses_tv_state_ck" CHECK ("accesses"."tv_state" in ('pending', 'verified', 'failed', 'paused', 'not_applicable')),
	CONSTRAINT "accesses_tv_attempts_ck" CHECK ("accesses"."tv_attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tradingview_username" text NOT NULL,
	"tv_username_state" text DEFAULT 'unverified' NOT NULL,
	"email" text,
	"full_name" text,
	"registered_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" bigint DEFAULT nextval('pinegate_version_seq') NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "clients_tv_username_ck" CHECK (length("clients"."tradingview_username") > 0 and "clients"."tradingview_username" = btrim("clients"."tradingview_username")),
	CONSTRAINT "clients_email_ck" CHECK (length(btrim("clients"."email")) > 0),
	CONSTRAINT "clients_tv_username_state_ck" CHECK ("clients"."tv_username_state" in ('unverified', 'valid', 'invalid')),
	CONSTRAINT "clients_status_ck" CHECK ("clients"."status" in ('active', 'inactive'))
);
--> statement-breakpoint
CREATE TABLE "indicator_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"indicator_id" uuid NOT NULL,
	"release_version" text NOT NULL,
	"released_at" timestamp with time zone NOT NULL,
	"notes" text,
	"version" bigint DEFAULT nextval('pinegate_version_seq') NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "indicator_versions_release_version_ck" CHECK (length(btrim("indicator_versions"."release_version")) > 0)
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"pub_id" text NOT NULL,
	"pub_id_state" text DEFAULT 'unverified' NOT NULL,
	"release_version" text,
	"last_updated_at" timestamp with time zone,
	"status" text DEFAULT 'development' NOT NULL,
	"description" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" bigint DEFAULT nextval('pinegate_version_seq') NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "indicators_pub_id_ck" CHECK ("indicators"."pub_id" ~ '^PUB\x3B[A-Za-z0-9]{32}$'),
	CONSTRAINT "indicators_name_ck" CHECK (length(btrim("indicators"."name")) > 0),
	CONSTRAINT "indicators_pub_id_state_ck" CHECK ("indicators"."pub_id_state" in ('unverified', 'valid', 'invalid')),
	CONSTRAINT "indicators_status_ck" CHECK ("indicators"."status" in ('development', 'production', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "notification_reads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"notification_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	"version" bigint DEFAULT nextval('pinegate_version_seq') NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"data" jsonb,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	"version" bigint DEFAULT nextval('pinegate_version_seq') NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"payment_reference" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" bigint DEFAULT nextval('pinegate_version_seq') NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "transactions_currency_ck" CHECK ("transactions"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "transactions_amount_ck" CHECK ("transactions"."amount" >= 0),
	CONSTRAINT "transactions_status_ck" CHECK ("transactions"."status" in ('pending', 'paid', 'failed', 'refunded')),
	CONSTRAINT "transactions_source_ck" CHECK ("transactions"."source" in ('manual', 'stripe'))
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mutation_results" ADD CONSTRAINT "mutation_results_client_id_sync_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."sync_clients"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_clients" ADD CONSTRAINT "sync_clients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_events" ADD CONSTRAINT "access_events_access_id_accesses_id_fk" FOREIGN KEY ("access_id") REFERENCES "public"."accesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_events" ADD CONSTRAINT "access_events_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_events" ADD CONSTRAINT "access_events_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accesses" ADD CONSTRAINT "accesses_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accesses" ADD CONSTRAINT "accesses_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_versions" ADD CONSTRAINT "indicator_versions_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "login_attempts_lookup_idx" ON "login_attempts" USING btree ("email","ip","at");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_hash_uq" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_uq" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "mutation_results_processed_at_idx" ON "mutation_results" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX "sync_clients_user_idx" ON "sync_clients" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "access_events_access_idx" ON "access_events" USING btree ("access_id","at");--> statement-breakpoint
CREATE INDEX "access_events_client_idx" ON "access_events" USING btree ("client_id","at");--> statement-breakpoint
CREATE INDEX "access_events_indicator_at_idx" ON "access_events" USING btree ("indicator_id","at");--> statement-breakpoint
CREATE INDEX "access_events_version_idx" ON "access_events" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "accesses_open_pair_uq" ON "accesses" USING btree ("client_id","indicator_id") WHERE "accesses"."revoked_at" is null and "accesses"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "accesses_client_idx" ON "accesses" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "accesses_indicator_idx" ON "accesses" USING btree ("indicator_id");--> statement-breakpoint
CREATE INDEX "accesses_open_ends_at_idx" ON "accesses" USING btree ("ends_at") WHERE "accesses"."revoked_at" is null and "accesses"."deleted_at" is null and "accesses"."ends_at" is not null;--> statement-breakpoint
CREATE INDEX "accesses_version_idx" ON "accesses" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "clients_tv_username_lower_uq" ON "clients" USING btree (lower("tradingview_username")) WHERE "clients"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "clients_email_lower_uq" ON "clients" USING btree (lower("email")) WHERE "clients"."email" is not null and "clients"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "clients_version_idx" ON "clients" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_versions_release_uq" ON "indicator_versions" USING btree ("indicator_id","release_version") WHERE "indicator_versions"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "indicator_versions_version_idx" ON "indicator_versions" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "indicators_pub_id_uq" ON "indicators" USING btree ("pub_id") WHERE "indicators"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "indicators_version_idx" ON "indicators" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_reads_notification_user_uq" ON "notification_reads" USING btree ("notification_id","user_id");--> statement-breakpoint
CREATE INDEX "notification_reads_user_idx" ON "notification_reads" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "notification_reads_version_idx" ON "notification_reads" USING btree ("version");--> statement-breakpoint
CREATE INDEX "notifications_user_at_idx" ON "notifications" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "notifications_entity_idx" ON "notifications" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "notifications_version_idx" ON "notifications" USING btree ("version");--> statement-breakpoint
CREATE INDEX "transactions_client_idx" ON "transactions" USING btree ("client_id","occurred_at");--> statement-breakpoint
CREATE INDEX "transactions_occurred_at_idx" ON "transactions" USING btree ("occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "transactions_stripe_reference_uq" ON "transactions" USING btree ("payment_reference") WHERE "transactions"."source" = 'stripe' and "transactions"."payment_reference" is not null;--> statement-breakpoint
CREATE INDEX "transactions_version_idx" ON "transactions" USING btree ("version");