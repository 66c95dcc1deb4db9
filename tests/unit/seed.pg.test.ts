import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/lib/server/auth/password';
import type { Db } from '../../src/lib/server/db/client';
import * as s from '../../src/lib/server/db/schema';
import { parseSeedArgs, seed, SeedError, type SeedOptions } from '../../src/lib/server/seed';
import { buildDataset } from '../factories';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/db';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NOW = new Date('2026-03-01T00:00:00.000Z');
// Small, but several statements and transactions per table (batchSize 150).
const OPTIONS: SeedOptions = {
	clients: 400,
	indicators: 6,
	accesses: 1_000,
	seed: 'pg-test',
	now: NOW,
	batchSize: 150
};
const TABLES = [
	'clients',
	'indicators',
	'indicator_versions',
	'accesses',
	'access_events',
	'transactions'
] as const;

/** Rows of a raw query, whichever driver answered (PGlite: `{ rows }`, postgres.js: an array). */
async function query<T>(db: Db, statement: SQL): Promise<T[]> {
	const result: unknown = await db.execute(statement);
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** md5 of every row of every domain table, `version` left out (the database assigns it). */
async function checksum(db: Db): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const table of TABLES) {
		const [row] = await query<{ sum: string }>(
			db,
			sql.raw(
				`select md5(coalesce(string_agg((to_jsonb(t) - 'version')::text, '|' order by t.id), '')) as sum from ${table} t`
			)
		);
		out[table] = row?.sum ?? '';
	}
	return out;
}

async function counts(db: Db): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	for (const table of TABLES) {
		const [row] = await query<{ n: string | number }>(
			db,
			sql.raw(`select count(*) as n from ${table}`)
		);
		out[table] = Number(row?.n ?? -1);
	}
	return out;
}

async function maxVersion(db: Db): Promise<number> {
	const parts = TABLES.map((table) => `select max(version) as v from ${table}`).join(' union all ');
	const [row] = await query<{ v: string | number | null }>(
		db,
		sql.raw(`select max(v) as v from (${parts}) x`)
	);
	return Number(row?.v ?? 0);
}

describeEachDatabase('seed', (kind) => {
	let database: TestDatabase;
	const expected = buildDataset({
		seed: OPTIONS.seed ?? '1',
		clients: OPTIONS.clients,
		indicators: OPTIONS.indicators,
		accesses: OPTIONS.accesses,
		now: NOW
	});

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});

	it('inserts the factories’ dataset; the constraints accept every row and the trigger versions it', async () => {
		const progress: string[] = [];
		const result = await seed(database.db, {
			...OPTIONS,
			admin: { email: 'Owner@Example.com', password: 'correct horse battery' },
			onProgress: ({ table, done, total }) => progress.push(`${table} ${done}/${total}`)
		});
		const inserted = {
			clients: expected.clients.length,
			indicators: expected.indicators.length,
			indicatorVersions: expected.indicatorVersions.length,
			accesses: expected.accesses.length,
			accessEvents: expected.accessEvents.length,
			transactions: expected.transactions.length
		};
		expect(result.inserted).toEqual(inserted);
		expect(result).toMatchObject({ seed: 'pg-test', now: NOW.toISOString(), wiped: null });
		expect(await counts(database.db)).toEqual({
			clients: inserted.clients,
			indicators: inserted.indicators,
			indicator_versions: inserted.indicatorVersions,
			accesses: inserted.accesses,
			access_events: inserted.accessEvents,
			transactions: inserted.transactions
		});
		expect(progress).toContain('clients 400/400');
		expect(progress.at(-1)).toBe('accesses 1000/1000');

		// Rows come back as the factories made them.
		const [firstClient] = await database.db
			.select()
			.from(s.clients)
			.where(eq(s.clients.id, expected.clients[0]?.id ?? ''));
		expect(firstClient).toMatchObject({ ...expected.clients[0] });
		expect(firstClient?.version).toBeGreaterThan(0);
		const [firstAccess] = await database.db
			.select()
			.from(s.accesses)
			.where(eq(s.accesses.id, expected.accesses[0]?.id ?? ''));
		expect(firstAccess).toMatchObject({ ...expected.accesses[0] });

		// Every synced row got its own version from the trigger.
		const versions = await query<{ n: string | number; distinct_n: string | number }>(
			database.db,
			sql.raw(
				`select count(*) as n, count(distinct version) as distinct_n from (${TABLES.map((t) => `select version from ${t}`).join(' union all ')}) x where version > 0`
			)
		);
		expect(Number(versions[0]?.n)).toBe(Object.values(inserted).reduce((a, b) => a + b, 0));
		expect(Number(versions[0]?.distinct_n)).toBe(Number(versions[0]?.n));

		// The admin was created (email normalised, argon2id hash that verifies).
		expect(result.adminCreated).toBe(true);
		const staff = await database.db.select().from(s.users);
		expect(staff).toHaveLength(1);
		expect(staff[0]).toMatchObject({ email: 'owner@example.com', role: 'admin' });
		expect(staff[0]?.passwordHash).toMatch(/^\$argon2id\$/);
		expect(await verifyPassword(staff[0]?.passwordHash ?? null, 'correct horse battery')).toBe(
			true
		);
	});

	it('refuses to seed over existing data without reset', async () => {
		const before = await checksum(database.db);
		await expect(seed(database.db, OPTIONS)).rejects.toThrow(SeedError);
		await expect(seed(database.db, OPTIONS)).rejects.toThrow(/--reset/);
		expect(await checksum(database.db)).toEqual(before);
	});

	it('with reset gives identical content again, keeps users, and sends devices to re-bootstrap', async () => {
		const before = await checksum(database.db);
		const highest = await maxVersion(database.db);
		const result = await seed(database.db, {
			...OPTIONS,
			reset: true,
			admin: { email: 'second@example.com', password: 'another long password' }
		});
		expect(result.wiped).toMatchObject({ clients: 400, accesses: 1_000 });
		expect(result.adminCreated).toBe(false);
		expect(await checksum(database.db)).toEqual(before);
		expect(await database.db.select({ email: s.users.email }).from(s.users)).toEqual([
			{ email: 'owner@example.com' }
		]);
		// Hard deletes are invisible to pull: every cursor handed out before the wipe is now too old.
		const [state] = await database.db.select().from(s.syncState);
		expect(state?.purgedThroughVersion).toBeGreaterThan(highest);
		const [lowest] = await query<{ v: string | number }>(
			database.db,
			sql.raw(`select min(version) as v from clients`)
		);
		expect(Number(lowest?.v)).toBeGreaterThan(state?.purgedThroughVersion ?? Infinity);
	});

	it('gives other content for another seed', async () => {
		const before = await checksum(database.db);
		await seed(database.db, { ...OPTIONS, seed: 'another', reset: true });
		const after = await checksum(database.db);
		for (const table of TABLES) expect(after[table]).not.toBe(before[table]);
	});
});

describe('seed arguments', () => {
	it('parses the documented options', () => {
		expect(
			parseSeedArgs([
				'--clients',
				'100000',
				'--indicators',
				'20',
				'--accesses',
				'300000',
				'--seed',
				'demo',
				'--reset',
				'--now',
				'2026-01-01',
				'--admin',
				'a@example.com:pass:with:colons'
			])
		).toEqual({
			help: false,
			options: {
				clients: 100_000,
				indicators: 20,
				accesses: 300_000,
				seed: 'demo',
				reset: true,
				now: new Date('2026-01-01T00:00:00.000Z'),
				admin: { email: 'a@example.com', password: 'pass:with:colons' },
				batchSize: 5_000
			}
		});
		expect(parseSeedArgs([]).options).toMatchObject({ seed: '1', reset: false, now: undefined });
	});

	it('refuses bad values with a message', () => {
		for (const args of [
			['--clients', '-1'],
			['--clients', '1.5'],
			['--accesses', 'many'],
			['--now', 'yesterday'],
			['--admin', 'no-colon'],
			['--batch-size', '0'],
			['--unknown'],
			['stray']
		])
			expect(() => parseSeedArgs(args), args.join(' ')).toThrow(SeedError);
	});
});

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function runCli(args: string[], dataDir: string): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', ...args], {
			cwd: ROOT,
			// DATABASE_URL empty = unset: the embedded PGlite under DATA_DIR.
			env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

describe('npm run seed (scripts/seed.ts on PGlite)', { timeout: 180_000 }, () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-seed-'));
	});
	afterAll(() => {
		rmSync(dir, { recursive: true, force: true });
	});

	it('refuses while a server holds DATA_DIR, and leaves its lock alone', async () => {
		const dataDir = path.join(dir, 'busy');
		mkdirSync(dataDir, { recursive: true });
		// This test process is alive, like a server would be.
		writeFileSync(path.join(dataDir, 'server.pid'), String(process.pid));
		const run = await runCli(['--clients', '5'], dataDir);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(
			/refusing to seed: DATA_DIR .* is in use by another PineGate server/
		);
		expect(run.stdout).toBe('');
		expect(readFileSync(path.join(dataDir, 'server.pid'), 'utf8')).toBe(String(process.pid));
		expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
	});

	it('rejects bad arguments with usage (exit 2)', async () => {
		const run = await runCli(['--clients', 'lots'], path.join(dir, 'unused'));
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/--clients must be a whole number/);
		expect(run.stderr).toMatch(/Usage: npm run seed/);
	});

	it('seeds, prints one JSON summary line, and releases the folder', async () => {
		const dataDir = path.join(dir, 'fresh');
		const args = [
			'--clients',
			'30',
			'--indicators',
			'3',
			'--accesses',
			'60',
			'--now',
			'2026-03-01'
		];
		const run = await runCli(args, dataDir);
		expect(run.stderr).toMatch(/seed: accesses 60\/60/);
		expect(run.code).toBe(0);
		const lines = run.stdout.trim().split('\n');
		expect(lines).toHaveLength(1);
		const summary = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
		expect(summary).toMatchObject({
			database: 'pglite',
			seed: '1',
			now: NOW.toISOString(),
			clients: 30,
			indicators: 3,
			accesses: 60,
			wiped: null,
			adminCreated: null
		});
		expect(summary.elapsedMs).toBeTypeOf('number');
		expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(false);
	});
});
