-- Custom SQL migration (drizzle cannot express triggers). See src/lib/server/db/schema/sync.ts.
--
-- pinegate_bump_version(): every insert and update of a synced table takes its version from the
-- one global sequence, whatever the application wrote, under a transaction-scoped advisory lock
-- (key 727274002 = VERSION_WRITE_LOCK) so that version order equals commit order and the pull
-- cursor (`version > cursor`) can never skip a row committed late.
CREATE FUNCTION "public"."pinegate_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(727274002);
	NEW.version := nextval('public.pinegate_version_seq');
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "clients_bump_version" BEFORE INSERT OR UPDATE ON "clients" FOR EACH ROW EXECUTE FUNCTION "public"."pinegate_bump_version"();
--> statement-breakpoint
CREATE TRIGGER "indicators_bump_version" BEFORE INSERT OR UPDATE ON "indicators" FOR EACH ROW EXECUTE FUNCTION "public"."pinegate_bump_version"();
--> statement-breakpoint
CREATE TRIGGER "indicator_versions_bump_version" BEFORE INSERT OR UPDATE ON "indicator_versions" FOR EACH ROW EXECUTE FUNCTION "public"."pinegate_bump_version"();
--> statement-breakpoint
CREATE TRIGGER "accesses_bump_version" BEFORE INSERT OR UPDATE ON "accesses" FOR EACH ROW EXECUTE FUNCTION "public"."pinegate_bump_version"();
--> statement-breakpoint
CREATE TRIGGER "access_events_bump_version" BEFORE INSERT OR UPDATE ON "access_events" FOR EACH ROW EXECUTE FUNCTION "public"."pinegate_bump_version"();
--> statement-breakpoint
CREATE TRIGGER "transactions_bump_version" BEFORE INSERT OR UPDATE ON "transactions" FOR EACH ROW EXECUTE FUNCTION "public"."pinegate_bump_version"();
--> statement-breakpoint
CREATE TRIGGER "notifications_bump_version" BEFORE INSERT OR UPDATE ON "notifications" FOR EACH ROW EXECUTE FUNCTION "public"."pinegate_bump_version"();
--> statement-breakpoint
CREATE TRIGGER "notification_reads_bump_version" BEFORE INSERT OR UPDATE ON "notification_reads" FOR EACH ROW EXECUTE FUNCTION "public"."pinegate_bump_version"();
--> statement-breakpoint
-- The single bookkeeping row of the pull cursor (nothing purged yet).
INSERT INTO "sync_state" ("id", "purged_through_version") VALUES (true, 0) ON CONFLICT DO NOTHING;
