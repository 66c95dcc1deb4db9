import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../../../../tests/helpers/db';
import { insertUser } from '../../../../tests/helpers/trpc';
import { openDatabase, type Database } from '../db/client';
import { rowsOf } from '../db/rows';
import { BackupError, dumpLogical, restoreLogical } from './logical';
import { parseRestoreArgs, restoreBackup } from './restore';
import { throwawayPostgres } from '../../../../tests/helpers/throwaway-postgres';

const MIGRATIONS = 'drizzle';
const NOW = new Date('2026-11-28T02:30:00.000Z');

async function emails(database: Database): Promise<string[]> {
	const rows = rowsOf<{ email: string }>(
		await database.db.execute(sql`select email from users order by email`)
	);
	return rows.map((row) => row.email);
}

/** Rewrites the gzipped JSON lines of a backup (header first, then rows, then the trailer). */
function editLines(source: string, target: string, edit: (lines: string[]) => void): void {
	const lines = gunzipSync(readFileSync(source)).toString('utf8').split('\n');
	edit(lines);
	writeFileSync(target, gzipSync(lines.join('\n')));
}

describe('npm run restore arguments', () => {
	it('takes one file and --force, shows help, and refuses anything else', () => {
		expect(parseRestoreArgs(['data/backups/x.jsonl.gz'])).toEqual({
			help: false,
			file: 'data/backups/x.jsonl.gz',
			force: false
		});
		expect(parseRestoreArgs(['--force', 'x.jsonl.gz'])).toEqual({
			help: false,
			file: 'x.jsonl.gz',
			force: true
		});
		expect(parseRestoreArgs(['x.jsonl.gz', '-h']).help).toBe(true);
		expect(() => parseRestoreArgs(['--yes', 'x'])).toThrow(/unknown option --yes/);
		expect(() => parseRestoreArgs(['a.jsonl.gz', 'b.jsonl.gz'])).toThrow(/one backup file/);
		expect(() => parseRestoreArgs([])).toThrow(BackupError);
	});
});

describe('restoring a logical backup', () => {
	let root: string;
	let file: string;
	let dumped: string[];

	beforeAll(async () => {
		root = mkdtempSync(path.join(os.tmpdir(), 'pinegate-restore-'));
		const source = await openDatabase({
			dataDir: path.join(root, 'source', 'pglite'),
			migrationsDir: MIGRATIONS
		});
		try {
			await insertUser(source.db, 'admin', { email: 'owner@example.test' });
			await insertUser(source.db, 'seller', { email: 'seller@example.test' });
			dumped = await emails(source);
			// A renamed backup still restores: its extension says it is a logical dump.
			file = path.join(root, 'copied-by-hand.jsonl.gz');
			await dumpLogical(source.db, file, { database: 'pglite', now: NOW });
		} finally {
			await source.close();
		}
	}, 180_000);

	afterAll(() => rmSync(root, { recursive: true, force: true }));

	it('replaces the rows of the PGlite database under DATA_DIR', async () => {
		const dataDir = path.join(root, 'target');
		const target = await openDatabase({
			dataDir: path.join(dataDir, 'pglite'),
			migrationsDir: MIGRATIONS
		});
		try {
			await insertUser(target.db, 'admin', { email: 'to-be-replaced@example.test' });
		} finally {
			await target.close();
		}
		const said: string[] = [];
		const summary = await restoreBackup({
			file,
			dataDir,
			migrationsDir: MIGRATIONS,
			say: (line) => said.push(line)
		});
		expect(summary).toMatchObject({ database: 'pglite', format: 'logical' });
		expect(summary.tables?.users).toBe(2);
		expect(said.some((line) => line.startsWith('loading '))).toBe(true);
		const restored = await openDatabase({
			dataDir: path.join(dataDir, 'pglite'),
			migrationsDir: MIGRATIONS
		});
		try {
			expect(await emails(restored)).toEqual(dumped);
		} finally {
			await restored.close();
		}
	}, 180_000);

	it('refuses a directory, and a backup naming tables, columns or values this database cannot hold', async () => {
		const dataDir = path.join(root, 'refusals');
		mkdirSync(path.join(root, 'folder.jsonl.gz'));
		await expect(
			restoreBackup({
				file: path.join(root, 'folder.jsonl.gz'),
				dataDir,
				migrationsDir: MIGRATIONS
			})
		).rejects.toThrow(/is not a file/);

		const foreignTable = path.join(root, 'foreign-table.jsonl.gz');
		editLines(file, foreignTable, (lines) => {
			const header = JSON.parse(lines[0]!) as { tables: Array<{ name: string }> };
			header.tables[0]!.name = 'no_such_table';
			lines[0] = JSON.stringify(header);
		});
		const foreignColumn = path.join(root, 'foreign-column.jsonl.gz');
		editLines(file, foreignColumn, (lines) => {
			const header = JSON.parse(lines[0]!) as { tables: Array<{ columns: string[] }> };
			header.tables[0]!.columns.push('no_such_column');
			lines[0] = JSON.stringify(header);
		});
		const badValue = path.join(root, 'bad-value.jsonl.gz');
		editLines(file, badValue, (lines) => {
			// A users row whose role is not a role: PostgreSQL refuses it, the restore says which table.
			const index = lines.findIndex((line) => line.includes('seller@example.test'));
			lines[index] = lines[index]!.replace('"seller"', '"emperor"').replace(
				/"created_at":"[^"]*"/,
				'"created_at":"not a date"'
			);
		});

		const database = await openDatabase({
			dataDir: path.join(dataDir, 'pglite'),
			migrationsDir: MIGRATIONS
		});
		try {
			await insertUser(database.db, 'admin', { email: 'kept@example.test' });
			for (const [bad, message] of [
				[foreignTable, /holds table no_such_table, which this database lacks/],
				[foreignColumn, /holds columns this database lacks: .*no_such_column/],
				[badValue, /could not be loaded/]
			] as const) {
				const error = await restoreLogical(database.db, bad, { migrationsDir: MIGRATIONS }).catch(
					(e: unknown) => e
				);
				expect(error).toBeInstanceOf(BackupError);
				expect((error as Error).message).toMatch(message);
			}
			// All or nothing: the refused restores left the database as it was.
			expect(await emails(database)).toEqual(['kept@example.test']);
		} finally {
			await database.close();
		}
	}, 180_000);

	it('says so when PostgreSQL cannot be reached', async () => {
		await expect(
			restoreBackup({
				file,
				dataDir: root,
				databaseUrl: 'postgres://postgres@127.0.0.1:1/pinegate',
				migrationsDir: MIGRATIONS
			})
		).rejects.toThrow(/Cannot reach PostgreSQL/);
	});

	// Like the `.pg.test.ts` suites: the PostgreSQL case exists where TEST_DATABASE_URL does (CI).
	if (TEST_DATABASE_URL)
		it('into PostgreSQL: refuses while another connection is open, unless forced', async () => {
			const throwaway = await throwawayPostgres(TEST_DATABASE_URL!, { prefix: 'pinegate_restore' });
			const databaseUrl = throwaway.url;
			try {
				const server = await openDatabase({ databaseUrl, migrationsDir: MIGRATIONS });
				try {
					await insertUser(server.db, 'admin', { email: 'live@example.test' });
					await expect(
						restoreBackup({ file, dataDir: root, databaseUrl, migrationsDir: MIGRATIONS })
					).rejects.toThrow(/other connection\(s\) to this database are open/);
					expect(await emails(server)).toEqual(['live@example.test']);

					const summary = await restoreBackup({
						file,
						dataDir: root,
						databaseUrl,
						migrationsDir: MIGRATIONS,
						force: true
					});
					expect(summary).toMatchObject({ database: 'postgres', format: 'logical' });
					expect(await emails(server)).toEqual(dumped);
				} finally {
					await server.close();
				}
			} finally {
				await throwaway.drop();
			}
		}, 180_000);
});
