CREATE TABLE "field_writes" (
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"field" text NOT NULL,
	"version" bigint NOT NULL,
	"client_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"value" jsonb,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "field_writes_pk" PRIMARY KEY("entity","entity_id","field")
);
--> statement-breakpoint
ALTER TABLE "mutation_results" ADD COLUMN "params" jsonb;