/**
 * docs/operations.md's expand/contract policy, enforced: every migration in drizzle/ is expand-only
 * (the previous release keeps working on the new schema) unless it is listed there as a contract
 * step with its reason. The checker itself is shown to fail on crafted destructive migrations.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	checkMigration,
	checkPolicy,
	parseContractSteps,
	readMigrations
} from '../upgrade/migration-policy';

const ROOT = path.resolve(import.meta.dirname, '../..');

const rulesOf = (sql: string) => checkMigration({ tag: '9999_fixture', sql }).map((f) => f.rule);

describe('the migrations in drizzle/', () => {
	it('are expand-only, or listed as contract steps in docs/operations.md with a reason', () => {
		const { migrations, journalTags } = readMigrations(path.join(ROOT, 'drizzle'));
		const steps = parseContractSteps(readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8'));
		const report = checkPolicy(migrations, steps, journalTags);
		expect(migrations.length).toBeGreaterThanOrEqual(7);
		expect(report.problems).toEqual([]);
		expect(report.violations).toEqual([]);
	});

	it('lists only migrations that needed listing', () => {
		// A listed migration the checker finds clean would make the list a place to hide things.
		const { migrations } = readMigrations(path.join(ROOT, 'drizzle'));
		const steps = parseContractSteps(readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8'));
		for (const tag of steps.keys()) {
			const migration = migrations.find((m) => m.tag === tag);
			expect(migration, tag).toBeDefined();
			expect(checkMigration(migration!).length, tag).toBeGreaterThan(0);
		}
	});
});

describe('checkMigration refuses destructive statements', () => {
	const bad: Array<[string, string]> = [
		['DROP COLUMN', 'ALTER TABLE "clients" DROP COLUMN "email";'],
		['DROP TABLE', 'DROP TABLE "notes";'],
		['DROP INDEX', 'DROP INDEX IF EXISTS "clients_email_idx";'],
		['RENAME COLUMN', 'ALTER TABLE "clients" RENAME COLUMN "email" TO "mail";'],
		['RENAME TABLE', 'ALTER TABLE clients RENAME TO customers;'],
		['ALTER COLUMN TYPE', 'ALTER TABLE "clients" ALTER COLUMN "notes" TYPE varchar(50);'],
		['SET DATA TYPE', 'ALTER TABLE "clients" ALTER COLUMN "notes" SET DATA TYPE text;'],
		['SET NOT NULL', 'ALTER TABLE "clients" ALTER COLUMN "email" SET NOT NULL;'],
		['DROP DEFAULT', 'ALTER TABLE "accesses" ALTER COLUMN "tv_state" DROP DEFAULT;'],
		['NOT NULL without default', 'ALTER TABLE "clients" ADD COLUMN "tier" text NOT NULL;'],
		[
			'constraint on existing',
			'ALTER TABLE "clients" ADD CONSTRAINT "c" CHECK (length(notes) < 9);'
		],
		['unique index on existing', 'CREATE UNIQUE INDEX "u" ON "public"."clients" ("email");'],
		[
			'trigger on existing',
			'CREATE TRIGGER t BEFORE INSERT ON clients FOR EACH ROW EXECUTE FUNCTION f();'
		],
		['TRUNCATE', 'TRUNCATE "audit_log";'],
		['DELETE', 'DELETE FROM "sessions";'],
		['DO block', "DO $$ BEGIN EXECUTE 'drop table x'; END $$;"],
		[
			'CREATE OR REPLACE',
			'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ select 1 $$;'
		],
		['ALTER TYPE RENAME VALUE', "ALTER TYPE pgboss.job_state RENAME VALUE 'failed' TO 'broken';"],
		['SET SCHEMA', 'ALTER TABLE clients SET SCHEMA archive;'],
		['second action drops', 'ALTER TABLE "clients" ADD COLUMN "a" text, DROP COLUMN "b";'],
		['unknown statement', 'VACUUM FULL "clients";']
	];
	for (const [name, sql] of bad) {
		it(name, () => {
			expect(rulesOf(sql)).toHaveLength(1);
		});
	}

	it('finds the destructive statement among expand ones, after a breakpoint', () => {
		const sql = [
			'CREATE TABLE "notes" ("id" uuid PRIMARY KEY NOT NULL);',
			'--> statement-breakpoint',
			'ALTER TABLE "clients" DROP COLUMN "notes";--> statement-breakpoint',
			'CREATE INDEX "notes_idx" ON "notes" ("id");'
		].join('\n');
		const findings = checkMigration({ tag: '9999_mixed', sql });
		expect(findings).toHaveLength(1);
		expect(findings[0]!.statement).toBe('ALTER TABLE "clients" DROP COLUMN "notes"');
	});
});

describe('checkMigration accepts expand-only statements', () => {
	const good: Array<[string, string]> = [
		['nullable column', 'ALTER TABLE "clients" ADD COLUMN "tier" text;'],
		['NOT NULL with default', 'ALTER TABLE "clients" ADD COLUMN "n" integer DEFAULT 0 NOT NULL;'],
		['index', 'CREATE INDEX IF NOT EXISTS "i" ON "clients" USING btree ("email");'],
		['enum value', "ALTER TYPE pgboss.job_state ADD VALUE 'paused';"],
		['DROP NOT NULL (loosening)', 'ALTER TABLE "clients" ALTER COLUMN "email" DROP NOT NULL;'],
		['SET DEFAULT', 'ALTER TABLE "clients" ALTER COLUMN "status" SET DEFAULT \'active\';'],
		['backfill', 'UPDATE "clients" SET "tier" = \'basic\' WHERE "tier" IS NULL;'],
		[
			'words inside strings and comments',
			"INSERT INTO t (v) VALUES ('drop table x; rename'); -- DROP TABLE y"
		],
		['a column named drop', 'ALTER TABLE "clients" ADD COLUMN "drop" text;'],
		[
			'a function body',
			'CREATE FUNCTION f() RETURNS void AS $body$ BEGIN DROP TABLE x; END $body$ LANGUAGE plpgsql;'
		],
		[
			'constraints, unique index and trigger on a table of the same migration',
			[
				'CREATE TABLE "public"."notes" ("id" uuid NOT NULL, "client_id" uuid NOT NULL);',
				'ALTER TABLE "notes" ADD CONSTRAINT "fk" FOREIGN KEY ("client_id") REFERENCES "clients"("id");',
				'ALTER TABLE notes ADD PRIMARY KEY (id), ADD COLUMN body text NOT NULL;',
				'CREATE UNIQUE INDEX "u" ON "notes" ("client_id");',
				'CREATE TRIGGER t BEFORE INSERT ON "notes" FOR EACH ROW EXECUTE FUNCTION f();'
			].join('\n')
		]
	];
	for (const [name, sql] of good) {
		it(name, () => {
			expect(rulesOf(sql)).toEqual([]);
		});
	}
});

describe('checkPolicy', () => {
	const drop = { tag: '0007_drop_notes', sql: 'ALTER TABLE "clients" DROP COLUMN "notes";' };
	const add = { tag: '0006_add_notes', sql: 'ALTER TABLE "clients" ADD COLUMN "notes" text;' };

	it('fails an unlisted contract migration and allows a listed one', () => {
		const tags = [add.tag, drop.tag];
		expect(checkPolicy([add, drop], new Map(), tags).violations).toHaveLength(1);
		const listed = new Map([[drop.tag, 'no release since 0006 reads clients.notes (see above)']]);
		const report = checkPolicy([add, drop], listed, tags);
		expect(report.violations).toEqual([]);
		expect(report.allowed).toHaveLength(1);
		expect(report.problems).toEqual([]);
	});

	it('reports a listing without a reason, an unknown tag and a file drizzle would never run', () => {
		const report = checkPolicy(
			[add, drop],
			new Map([
				[drop.tag, ''],
				['0042_missing', 'a reason long enough to count as one']
			]),
			[add.tag]
		);
		expect(report.problems).toEqual([
			'docs/operations.md lists 0007_drop_notes without saying why it was safe',
			'docs/operations.md lists 0042_missing, which is not in drizzle/',
			'0007_drop_notes.sql is not in drizzle/meta/_journal.json'
		]);
	});
});

describe('parseContractSteps', () => {
	it('reads the list items under the "Contract steps" heading only', () => {
		const markdown = [
			'## Policy',
			'- `0001_elsewhere`: not a listing, wrong section',
			'## Contract steps',
			'',
			'- `0003_grant_conflicts`: replaces a CHECK with a wider one',
			'* `0009_drop_x` — drops x, unread since 0007',
			'Some prose mentioning `0010_prose`.',
			'### Next heading',
			'- `0011_after`: after the section'
		].join('\n');
		expect([...parseContractSteps(markdown)]).toEqual([
			['0003_grant_conflicts', 'replaces a CHECK with a wider one'],
			['0009_drop_x', 'drops x, unread since 0007']
		]);
	});
});
