import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { audit, systemActor } from '../audit';
import type { Db } from '../db/client';
import { rowsOf } from '../db/rows';
import { openDatabase } from '../db/client';
import { seed } from '../seed';
import { listBackupFiles } from './files';
import { BackupError, dumpLogical, readLogicalHeader, restoreLogical } from './logical';
import { restoreBackup } from './restore';
import { createBackup } from './service';

const NOW = new Date('2026-11-28T02:30:00.000Z');
const MIGRATIONS = 'drizzle';

async function query<T>(db: Db, statement: SQL): Promise<T[]> {
	return rowsOf<T>(await db.execute(statement));
}

/** Every table of `public` with its primary key, from information_schema (not the code under test). */
async function tables(db: Db): Promise<Array<{ name: string; pk: string }>> {
	return query<{ name: string; pk: string }>(
		db,
		sql`select tc.table_name as name,
				string_agg(quote_ident(kcu.column_name), ', ' order by kcu.ordinal_position) as pk
			from information_schema.table_constraints tc
			join information_schema.key_column_usage kcu
				on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
			where tc.table_schema = 'public' and tc.constraint_type = 'PRIMARY KEY'
			group by tc.table_name order by tc.table_name`
	);
}

/** Row count and md5 of every row's text, in primary-key order, per table. */
async function fingerprint(db: Db): Promise<Record<string, { rows: number; md5: string }>> {
	const out: Record<string, { rows: number; md5: string }> = {};
	for (const table of await tables(db)) {
		const [row] = await query<{ n: string | number; sum: string }>(
			db,
			sql.raw(
				`select count(*) as n, md5(coalesce(string_agg(t::text, '|' order by ${table.pk}), '')) as sum from public.${table.name} t`
			)
		);
		out[table.name] = { rows: Number(row?.n ?? 0), md5: row?.sum ?? '' };
	}
	return out;
}

async function maxVersion(db: Db): Promise<bigint> {
	const [row] = await query<{ m: string }>(
		db,
		sql`select greatest(
			(select coalesce(max(version), 0) from clients), (select coalesce(max(version), 0) from accesses),
			(select coalesce(max(version), 0) from access_events), (select coalesce(max(version), 0) from transactions)
		)::text as m`
	);
	return BigInt(row!.m);
}

/** The deterministic dataset: seeded domain rows (a few thousand), an admin, settings, audit rows. */
async function fill(db: Db): Promise<void> {
	await seed(db, {
		clients: 300,
		indicators: 5,
		accesses: 900,
		seed: 'backup-test',
		now: NOW,
		admin: { email: 'admin@example.com', password: 'correct horse battery' }
	});
	await db.execute(
		sql`insert into settings (key, value, updated_at) values ('backup.test', ${JSON.stringify({ a: [1, 'two', null], b: 'ünïcødé ✓' })}::jsonb, ${NOW.toISOString()}::timestamptz)`
	);
	for (let i = 0; i < 20; i++)
		await audit(db, {
			actor: systemActor,
			action: 'test.action',
			entity: 'client',
			entityId: uuidv7(),
			before: i % 2 ? null : { i, quote: `it's "quoted"\n\ttabbed` },
			after: { i, big: 9_007_199_254_740_993n.toString() }
		});
}

async function wipe(db: Db): Promise<void> {
	const names = (await tables(db)).map((t) => `public.${t.name}`).join(', ');
	await db.execute(sql.raw(`truncate table ${names} cascade`));
}

function gzipHeaderEdit(
	source: string,
	target: string,
	edit: (header: Record<string, unknown>) => void
) {
	const lines = gunzipSync(readFileSync(source)).toString('utf8').split('\n');
	const header = JSON.parse(lines[0]!) as Record<string, unknown>;
	edit(header);
	lines[0] = JSON.stringify(header);
	writeFileSync(target, gzipSync(lines.join('\n')));
}

describeEachDatabase('backup → wipe → restore (logical)', (kind) => {
	let database: TestDatabase;
	let dir: string;
	let file: string;
	let before: Record<string, { rows: number; md5: string }>;
	let versionsBefore: bigint;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		dir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-backup-'));
		await fill(database.db);
		before = await fingerprint(database.db);
		versionsBefore = await maxVersion(database.db);
		file = path.join(dir, 'dump.postgres.jsonl.gz');
		await dumpLogical(database.db, file, { database: kind, now: NOW });
	}, 180_000);

	afterAll(async () => {
		await database?.dispose();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('dumps a few thousand rows with a header that describes them', async () => {
		const total = Object.values(before).reduce((sum, t) => sum + t.rows, 0);
		expect(total).toBeGreaterThan(3000);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const header = await readLogicalHeader(file);
		expect(header.database).toBe(kind);
		expect(header.migrations.count).toBeGreaterThan(0);
		for (const table of header.tables) expect(table.rows).toBe(before[table.name]!.rows);
		// Parents come before the tables that reference them.
		const order = header.tables.map((t) => t.name);
		expect(order.indexOf('clients')).toBeLessThan(order.indexOf('accesses'));
		expect(order.indexOf('accesses')).toBeLessThan(order.indexOf('access_events'));
		expect(order.indexOf('users')).toBeLessThan(order.indexOf('sessions'));
	});

	it('restores identical row counts and content checksums after a wipe', async () => {
		await wipe(database.db);
		expect((await fingerprint(database.db)).clients!.rows).toBe(0);
		const result = await restoreLogical(database.db, file, { migrationsDir: MIGRATIONS });
		const after = await fingerprint(database.db);
		// sync_state alone differs, on purpose: its version floor is raised (checked below).
		const { sync_state: stateAfter, ...restAfter } = after;
		const { sync_state: stateBefore, ...restBefore } = before;
		expect(restAfter).toEqual(restBefore);
		expect(stateAfter!.rows).toBe(stateBefore!.rows);
		expect(result.tables.accesses).toBe(before.accesses!.rows);
		expect(BigInt(result.versionFloor!)).toBeGreaterThan(versionsBefore);
	});

	it('continues versions above the restored maximum and makes devices start over', async () => {
		const [state] = await query<{ floor: string }>(
			database.db,
			sql`select purged_through_version::text as floor from sync_state`
		);
		const floor = BigInt(state!.floor);
		expect(floor).toBeGreaterThan(versionsBefore);
		const [row] = await query<{ version: string }>(
			database.db,
			sql`update clients set notes = coalesce(notes, '') || ' restored'
				where id = (select id from clients order by id limit 1) returning version::text as version`
		);
		expect(BigInt(row!.version)).toBeGreaterThan(floor);
	});

	it('restores into a freshly created database as well', async () => {
		const fresh = await createTestDatabase(kind);
		try {
			await restoreLogical(fresh.db, file, { migrationsDir: MIGRATIONS });
			const { sync_state: _ignored, ...restAfter } = await fingerprint(fresh.db);
			const { sync_state: _ignoredToo, ...restBefore } = before;
			expect(restAfter).toEqual(restBefore);
			expect(await maxVersion(fresh.db)).toBe(versionsBefore);
		} finally {
			await fresh.dispose();
		}
	}, 120_000);

	it('refuses a backup from a newer migration level, changing nothing', async () => {
		const newer = path.join(dir, 'newer.postgres.jsonl.gz');
		gzipHeaderEdit(file, newer, (header) => {
			const migrations = header.migrations as { count: number; last: number };
			header.migrations = { count: migrations.count + 1, last: migrations.last + 1000 };
		});
		const fingerprintBefore = await fingerprint(database.db);
		await expect(restoreLogical(database.db, newer, { migrationsDir: MIGRATIONS })).rejects.toThrow(
			/newer PineGate/
		);
		expect(await fingerprint(database.db)).toEqual(fingerprintBefore);
	});

	it('refuses damaged and foreign files with a clear message, changing nothing', async () => {
		const fingerprintBefore = await fingerprint(database.db);
		const bytes = readFileSync(file);
		const truncated = path.join(dir, 'truncated.jsonl.gz');
		writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
		const foreign = path.join(dir, 'foreign.jsonl.gz');
		writeFileSync(foreign, gzipSync('{"hello":"world"}\n'));
		const plain = path.join(dir, 'plain.jsonl.gz');
		writeFileSync(plain, 'not gzip at all');
		const tampered = path.join(dir, 'tampered.jsonl.gz');
		const text = gunzipSync(bytes).toString('utf8').replace('ünïcødé', 'unicode');
		writeFileSync(tampered, gzipSync(text));
		for (const [bad, message] of [
			[truncated, /damaged|truncated/],
			[foreign, /not a PineGate logical backup/],
			[plain, /damaged or not a PineGate backup/],
			[tampered, /fails its checksum/],
			[path.join(dir, 'missing.jsonl.gz'), /no such file/]
		] as const) {
			const error = await restoreLogical(database.db, bad, { migrationsDir: MIGRATIONS }).catch(
				(e: unknown) => e
			);
			expect(error).toBeInstanceOf(BackupError);
			expect((error as Error).message).toMatch(message);
		}
		expect(await fingerprint(database.db)).toEqual(fingerprintBefore);
	});

	it('makes daily, weekly and manual backup files with retention', async () => {
		const target = { database, dir: path.join(dir, 'backups') };
		const first = await createBackup(target, { mode: 'scheduled', now: NOW });
		expect(first.created?.label).toBe('weekly'); // the first of its ISO week
		expect(await createBackup(target, { mode: 'scheduled', now: NOW })).toEqual({
			created: null,
			removed: []
		});
		const next = await createBackup(target, {
			mode: 'scheduled',
			now: new Date(NOW.getTime() + 86_400_000)
		});
		expect(next.created?.label).toBe('daily');
		const manual = await createBackup(target, { mode: 'manual', now: NOW });
		expect(manual.created?.label).toBe('manual');
		const listed = listBackupFiles(target.dir);
		expect(listed.map((b) => b.label).sort()).toEqual(['daily', 'manual', 'weekly']);
		const expected = kind === 'pglite' ? 'snapshot' : 'logical';
		for (const backup of listed) {
			expect(backup.format).toBe(expected);
			expect(backup.source).toBe(kind);
			expect(backup.size).toBeGreaterThan(0);
			expect(statSync(path.join(target.dir, backup.file)).mode & 0o777).toBe(0o600);
		}
		expect(statSync(target.dir).mode & 0o777).toBe(0o700);
	}, 120_000);
});

describe('backup → restore of a PGlite data folder (snapshot)', () => {
	let root: string;

	beforeAll(() => {
		root = mkdtempSync(path.join(os.tmpdir(), 'pinegate-snapshot-'));
	});
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	it('restores the snapshot with npm run restore’s function; the old folder is kept', async () => {
		const dataDir = path.join(root, 'data');
		const source = await openDatabase({
			dataDir: path.join(dataDir, 'pglite'),
			migrationsDir: MIGRATIONS
		});
		let before: Record<string, { rows: number; md5: string }>;
		let versionsBefore: bigint;
		let created: string;
		try {
			await fill(source.db);
			before = await fingerprint(source.db);
			versionsBefore = await maxVersion(source.db);
			const outcome = await createBackup(
				{ database: source, dir: path.join(dataDir, 'backups') },
				{ mode: 'manual', now: NOW }
			);
			created = path.join(dataDir, 'backups', outcome.created!.file);
			expect(created).toMatch(/pinegate-2026-11-28T023000Z-manual\.pglite\.tar\.gz$/);
			// Written after the backup: the restore must take it away again.
			await wipe(source.db);
		} finally {
			await source.close();
		}

		const summary = await restoreBackup({
			file: created,
			dataDir,
			migrationsDir: MIGRATIONS,
			now: new Date('2026-11-29T10:00:00Z')
		});
		expect(summary.format).toBe('snapshot');
		expect(summary.previous).toBe(path.join(dataDir, 'pglite.before-restore-20261129T100000Z'));

		const restored = await openDatabase({
			dataDir: path.join(dataDir, 'pglite'),
			migrationsDir: MIGRATIONS
		});
		try {
			// sync_state alone differs, on purpose: its version floor is raised (as after a logical restore).
			const { sync_state: stateAfter, ...restAfter } = await fingerprint(restored.db);
			const { sync_state: stateBefore, ...restBefore } = before;
			expect(restAfter).toEqual(restBefore);
			expect(stateAfter!.rows).toBe(stateBefore!.rows);
			expect(BigInt(summary.versionFloor!)).toBeGreaterThan(versionsBefore);
			const [row] = await query<{ version: string }>(
				restored.db,
				sql`update clients set notes = 'after restore' where id = (select id from clients order by id limit 1)
					returning version::text as version`
			);
			expect(BigInt(row!.version)).toBeGreaterThan(BigInt(summary.versionFloor!));
		} finally {
			await restored.close();
		}
		// The folder that was replaced is kept, with the wiped data in it.
		const previous = await openDatabase({ dataDir: summary.previous!, migrationsDir: MIGRATIONS });
		try {
			expect((await fingerprint(previous.db)).clients!.rows).toBe(0);
		} finally {
			await previous.close();
		}
	}, 240_000);

	it('refuses while a server holds DATA_DIR, and refuses damaged files, changing nothing', async () => {
		const dataDir = path.join(root, 'locked');
		const backup = path.join(root, 'pinegate-2026-11-28T023000Z-manual.pglite.tar.gz');
		writeFileSync(backup, gzipSync('definitely not a tar'));
		execFileSync('mkdir', ['-p', dataDir]);
		// The parent process (vitest's) is alive and is not us: as if a server held the folder.
		writeFileSync(path.join(dataDir, 'server.pid'), String(process.ppid));
		await expect(
			restoreBackup({ file: backup, dataDir, migrationsDir: MIGRATIONS })
		).rejects.toThrow(/Stop the server before restoring\. DATA_DIR .* is in use/);
		rmSync(path.join(dataDir, 'server.pid'));

		const error = await restoreBackup({ file: backup, dataDir, migrationsDir: MIGRATIONS }).catch(
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(BackupError);
		expect((error as Error).message).toMatch(/damaged or not a PGlite backup/);
		const plain = path.join(root, 'plain.pglite.tar.gz');
		writeFileSync(plain, 'hello');
		await expect(
			restoreBackup({ file: plain, dataDir, migrationsDir: MIGRATIONS })
		).rejects.toThrow(/not a PGlite backup \(not a \.tar\.gz file\)/);
		await expect(
			restoreBackup({ file: path.join(root, 'nope.txt'), dataDir, migrationsDir: MIGRATIONS })
		).rejects.toThrow(/no such file/);
		writeFileSync(path.join(root, 'other.txt'), 'x');
		await expect(
			restoreBackup({ file: path.join(root, 'other.txt'), dataDir, migrationsDir: MIGRATIONS })
		).rejects.toThrow(/not a PineGate backup/);
		expect(
			await restoreBackup({
				file: backup,
				dataDir,
				databaseUrl: 'postgres://x@127.0.0.1/none',
				migrationsDir: MIGRATIONS
			}).catch((e: unknown) => (e as Error).message)
		).toMatch(/PGlite snapshot, but DATABASE_URL is set/);
		// Nothing was left behind by the failed attempts.
		expect(statSync(dataDir).isDirectory()).toBe(true);
		expect(readFileSync(backup).length).toBeGreaterThan(0);
	});
});
