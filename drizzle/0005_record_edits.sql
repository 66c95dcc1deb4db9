CREATE TABLE "record_edits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"changes" jsonb NOT NULL,
	"version" bigint DEFAULT nextval('pinegate_version_seq') NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "record_edits_entity_ck" CHECK ("record_edits"."entity" in ('clients', 'indicators')),
	CONSTRAINT "record_edits_actor_ck" CHECK ("record_edits"."actor" = 'system' or "record_edits"."actor" ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
);
--> statement-breakpoint
CREATE INDEX "record_edits_entity_at_idx" ON "record_edits" USING btree ("entity_id","at");--> statement-breakpoint
CREATE INDEX "record_edits_version_idx" ON "record_edits" USING btree ("version");--> statement-breakpoint
-- Custom: the version trigger every synced table has (see drizzle/0001_version_triggers.sql).
CREATE TRIGGER "record_edits_bump_version" BEFORE INSERT OR UPDATE ON "record_edits" FOR EACH ROW EXECUTE FUNCTION "public"."pinegate_bump_version"();
