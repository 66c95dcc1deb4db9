import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/client';
import { rowsOf } from '../db/rows';

// The logical backup (docs/backups.md): every table of the `public` schema as JSON lines, read in one
// REPEATABLE READ READ ONLY transaction (one consistent snapshot), gzip'd. No pg_dump needed, the
// same file loads into PostgreSQL or PGlite. pg-boss's schema is left out on purpose: its schedules
// are written again at every start and pending grant syncs are re-queued from the grants
// (`tv_state = 'pending'`) by the sync worker's recovery.
//
// File layout, one JSON document per line:
//   1. header: format, version, database, time, migration level, tables (parents first: the load
//      order), their columns, primary keys and row counts, sequences
//   2. the rows of each table in header order, `to_jsonb(row)` text, exactly `rows` lines each,
//      ordered by primary key
//   3. trailer: `{"end":true,"sha256":{table: hash of its lines}}`; a file without it is truncated

export const LOGICAL_FORMAT = 'pinegate-logical-backup';
export const LOGICAL_VERSION = 1;

/** The sequence of sync versions (drizzle/0000_init.sql); devices' pull cursors point into it. */
export const VERSION_SEQUENCE = 'pinegate_version_seq';

/** A refusal or a bad file: the CLI prints the message alone, never a stack. */
export class BackupError extends Error {
	override name = 'BackupError';
}

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'unexpected identifier');

const headerSchema = z.object({
	format: z.literal(LOGICAL_FORMAT),
	version: z.literal(LOGICAL_VERSION),
	database: z.enum(['pglite', 'postgres']),
	createdAt: z.string(),
	migrations: z.object({ count: z.number().int().min(0), last: z.number().nullable() }),
	tables: z.array(
		z.object({
			name: identifier,
			columns: z.array(identifier).min(1),
			primaryKey: z.array(identifier),
			rows: z.number().int().min(0)
		})
	),
	sequences: z.array(z.object({ name: identifier, lastValue: z.string().regex(/^\d+$/) }))
});
export type LogicalHeader = z.infer<typeof headerSchema>;

const trailerSchema = z.object({ end: z.literal(true), sha256: z.record(z.string(), z.string()) });

export interface MigrationLevel {
	count: number;
	/** `when` of the last migration (drizzle stores it as `created_at`); null when none. */
	last: number | null;
}

interface TableInfo {
	name: string;
	columns: string[];
	primaryKey: Array<{ name: string; collatable: boolean }>;
	refs: string[];
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function execute<T>(db: Db | Tx, query: ReturnType<typeof sql>): Promise<T[]> {
	return rowsOf<T>(await db.execute(query));
}

/** The base tables of `public` with their columns, primary key and the tables they reference. */
async function catalog(db: Db | Tx): Promise<TableInfo[]> {
	const rows = await execute<{ name: string; info: string }>(
		db,
		sql`select c.relname as name, json_build_object(
			'columns', (select coalesce(json_agg(a.attname order by a.attnum), '[]')
				from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
				and a.attgenerated = ''),
			'primaryKey', (select coalesce(json_agg(json_build_object('name', a.attname,
					'collatable', a.attcollation <> 0) order by array_position(i.indkey::int2[], a.attnum)), '[]')
				from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey::int2[])
				where i.indrelid = c.oid and i.indisprimary),
			'refs', (select coalesce(json_agg(distinct r.relname), '[]') from pg_constraint f
				join pg_class r on r.oid = f.confrelid join pg_namespace rn on rn.oid = r.relnamespace
				where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid and rn.nspname = 'public')
		)::text as info
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
		order by c.relname`
	);
	return rows.map((row) => ({
		name: row.name,
		...(JSON.parse(row.info) as Omit<TableInfo, 'name'>)
	}));
}

/** Parents before children, so rows load with their foreign keys checked as they go. */
function loadOrder(tables: TableInfo[]): TableInfo[] {
	const byName = new Map(tables.map((t) => [t.name, t]));
	const done = new Set<string>();
	const visiting = new Set<string>();
	const order: TableInfo[] = [];
	const visit = (table: TableInfo) => {
		if (done.has(table.name)) return;
		if (visiting.has(table.name))
			throw new BackupError(`foreign keys form a cycle through table ${table.name}`);
		visiting.add(table.name);
		for (const ref of table.refs) {
			const parent = byName.get(ref);
			if (parent) visit(parent);
		}
		visiting.delete(table.name);
		done.add(table.name);
		order.push(table);
	};
	for (const table of tables) visit(table);
	return order;
}

function orderBy(table: Pick<TableInfo, 'primaryKey'>): string {
	// "C" collation: the order (and so the checksum) must not depend on the server's locale.
	if (!table.primaryKey.length) return '';
	const keys = table.primaryKey.map((k) => `${q(k.name)}${k.collatable ? ' collate "C"' : ''}`);
	return ` order by ${keys.join(', ')}`;
}

/** The migrations applied to this database. */
export async function migrationLevel(db: Db | Tx): Promise<MigrationLevel> {
	const [row] = await execute<{ count: number | string; last: string | null }>(
		db,
		sql`select count(*) as count, max(created_at)::text as last from drizzle.__drizzle_migrations`
	);
	return { count: Number(row?.count ?? 0), last: row?.last == null ? null : Number(row.last) };
}

/** The migrations this code knows: drizzle's journal in the migrations folder. */
export function codeMigrationLevel(migrationsDir: string): MigrationLevel {
	const journal = JSON.parse(
		readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')
	) as { entries: Array<{ when: number }> };
	const last = journal.entries.at(-1);
	return { count: journal.entries.length, last: last ? last.when : null };
}

/** A backup of a later schema than the code's cannot be loaded: its columns may mean other things. */
export function checkMigrationLevel(backup: MigrationLevel, code: MigrationLevel): void {
	if (backup.count > code.count || (backup.last ?? 0) > (code.last ?? 0)) {
		throw new BackupError(
			`This backup was made by a newer PineGate (${backup.count} database migrations; this ` +
				`version knows ${code.count}). Restore it with that version or a later one.`
		);
	}
}

/** Reads a table through a cursor, a page at a time, so a large table never sits in memory. */
async function* tableLines(tx: Tx, table: Pick<TableInfo, 'name' | 'primaryKey'>) {
	await tx.execute(
		sql.raw(
			`declare backup_rows no scroll cursor for select to_jsonb(t)::text as j from public.${q(table.name)} t${orderBy(table)}`
		)
	);
	try {
		for (;;) {
			const page = await execute<{ j: string }>(tx, sql.raw('fetch forward 2000 from backup_rows'));
			for (const row of page) yield row.j;
			if (page.length < 2000) break;
		}
	} finally {
		await tx.execute(sql.raw('close backup_rows'));
	}
}

async function snapshotTx<T>(db: Db, body: (tx: Tx) => Promise<T>): Promise<T> {
	return db.transaction(
		async (tx) => {
			// to_jsonb writes timestamps in the session's time zone; UTC on both sides keeps the text
			// (and so the checksums) identical wherever the file is made and loaded.
			await tx.execute(sql.raw(`set local timezone to 'UTC'`));
			return body(tx);
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

export interface LogicalDumpResult {
	tables: Record<string, number>;
	sha256: Record<string, string>;
}

/** Writes a logical backup of `db` to `file` (created, mode 0600; it must not exist). */
export async function dumpLogical(
	db: Db,
	file: string,
	options: { database: 'pglite' | 'postgres'; now: Date }
): Promise<LogicalDumpResult> {
	return snapshotTx(db, async (tx) => {
		const tables = loadOrder(await catalog(tx));
		const counted: LogicalHeader['tables'] = [];
		for (const table of tables) {
			const [row] = await execute<{ n: string | number }>(
				tx,
				sql.raw(`select count(*) as n from public.${q(table.name)}`)
			);
			counted.push({
				name: table.name,
				columns: table.columns,
				primaryKey: table.primaryKey.map((k) => k.name),
				rows: Number(row?.n ?? 0)
			});
		}
		const sequences = await execute<{ name: string; last_value: string | null }>(
			tx,
			sql`select sequencename as name, last_value::text as last_value from pg_sequences
				where schemaname = 'public' order by sequencename`
		);
		const header: LogicalHeader = {
			format: LOGICAL_FORMAT,
			version: LOGICAL_VERSION,
			database: options.database,
			createdAt: options.now.toISOString(),
			migrations: await migrationLevel(tx),
			tables: counted,
			sequences: sequences.map((s) => ({ name: s.name, lastValue: s.last_value ?? '0' }))
		};
		const sha256: Record<string, string> = {};
		async function* lines() {
			yield `${JSON.stringify(header)}\n`;
			for (const [i, table] of tables.entries()) {
				const hash = createHash('sha256');
				let n = 0;
				for await (const line of tableLines(tx, table)) {
					hash.update(line).update('\n');
					n += 1;
					yield `${line}\n`;
				}
				// Impossible inside one snapshot; checked so a broken promise never makes a bad file.
				if (n !== counted[i]!.rows)
					throw new Error(`table ${table.name}: counted ${counted[i]!.rows} rows, read ${n}`);
				sha256[table.name] = hash.digest('hex');
			}
			yield `${JSON.stringify({ end: true, sha256 })}\n`;
		}
		await pipeline(lines, createGzip(), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
		return { tables: Object.fromEntries(counted.map((t) => [t.name, t.rows])), sha256 };
	});
}

/** The lines of a gzip'd file; a damaged file fails with a BackupError naming it. */
async function* fileLines(file: string): AsyncGenerator<string> {
	const gunzip = createGunzip();
	const source = createReadStream(file);
	source.on('error', (error) => gunzip.destroy(error));
	source.pipe(gunzip);
	const decoder = new StringDecoder('utf8');
	let rest = '';
	try {
		for await (const chunk of gunzip) {
			rest += decoder.write(chunk as Buffer);
			let start = 0;
			let end: number;
			while ((end = rest.indexOf('\n', start)) >= 0) {
				yield rest.slice(start, end);
				start = end + 1;
			}
			rest = rest.slice(start);
		}
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new BackupError(`${file}: no such file`);
		if (code === 'EACCES') throw new BackupError(`${file}: permission denied`);
		throw new BackupError(
			`${file} is damaged or not a PineGate backup (${(error as Error).message})`
		);
	} finally {
		source.destroy();
	}
	rest += decoder.end();
	if (rest) yield rest;
}

function parseJsonLine<T>(line: string | undefined, schema: z.ZodType<T>, what: string): T {
	let value: unknown;
	try {
		value = JSON.parse(line ?? '');
	} catch {
		throw new BackupError(`This is not a PineGate logical backup (unreadable ${what}).`);
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success)
		throw new BackupError(`This is not a PineGate logical backup (unexpected ${what}).`);
	return parsed.data;
}

/** The header of a logical backup file, checked. */
export async function readLogicalHeader(file: string): Promise<LogicalHeader> {
	const lines = fileLines(file);
	try {
		const first = await lines.next();
		return parseJsonLine(first.done ? undefined : first.value, headerSchema, 'header');
	} finally {
		await lines.return(undefined);
	}
}

export interface LogicalRestoreResult {
	tables: Record<string, number>;
	/** The value the sync version sequence continues above; devices pulled before it start over. */
	versionFloor: string | null;
}

const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Replaces every table's rows by the backup's, in one transaction: all or nothing. The database
 * must be migrated (openDatabase does it) to the backup's level or a later one; a backup from a
 * later level is refused. Triggers are off while rows load (the version trigger would renumber
 * every row), the loaded rows are read back and compared with the file's checksums, then the
 * sequences move above every restored value. The sync version floor (`sync_state`) is raised past
 * every version handed out before, so each device re-downloads everything (keeping its outbox)
 * instead of trusting rows the restore took away.
 */
export async function restoreLogical(
	db: Db,
	file: string,
	options: { migrationsDir: string }
): Promise<LogicalRestoreResult> {
	const header = await readLogicalHeader(file);
	checkMigrationLevel(header.migrations, codeMigrationLevel(options.migrationsDir));
	const applied = await migrationLevel(db);
	checkMigrationLevel(header.migrations, applied);

	const target = new Map((await catalog(db)).map((t) => [t.name, t]));
	for (const table of header.tables) {
		const here = target.get(table.name);
		if (!here)
			throw new BackupError(`The backup holds table ${table.name}, which this database lacks.`);
		const missing = table.columns.filter((c) => !here.columns.includes(c));
		if (missing.length)
			throw new BackupError(
				`The backup holds columns this database lacks: ${table.name}.${missing.join(', ')}.`
			);
	}

	return db.transaction(async (tx) => {
		await tx.execute(sql.raw(`set local timezone to 'UTC'`));
		const all = [...target.keys()];
		// Every table, also those the backup does not know (added by a later migration): they describe
		// the data being replaced.
		if (all.length)
			await tx.execute(sql.raw(`truncate table ${all.map((t) => `public.${q(t)}`).join(', ')}`));
		for (const name of all)
			await tx.execute(sql.raw(`alter table public.${q(name)} disable trigger user`));

		const lines = fileLines(file);
		await lines.next(); // the header, read above
		const sha256: Record<string, string> = {};
		for (const table of header.tables) {
			const hash = createHash('sha256');
			const columns = table.columns.map(q).join(', ');
			const insert = async (batch: string[]) => {
				try {
					await tx.execute(
						sql`${sql.raw(`insert into public.${q(table.name)} (${columns}) select ${columns} from jsonb_populate_recordset(null::public.${q(table.name)}, `)}${`[${batch.join(',')}]`}::jsonb)`
					);
				} catch (error) {
					throw new BackupError(
						`Table ${table.name} could not be loaded: ${(error as Error).message}`
					);
				}
			};
			let batch: string[] = [];
			let bytes = 0;
			for (let i = 0; i < table.rows; i++) {
				const next = await lines.next();
				if (next.done) throw new BackupError(`The backup is truncated (in table ${table.name}).`);
				hash.update(next.value).update('\n');
				batch.push(next.value);
				bytes += next.value.length;
				if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) {
					await insert(batch);
					batch = [];
					bytes = 0;
				}
			}
			if (batch.length) await insert(batch);
			sha256[table.name] = hash.digest('hex');
		}
		const last = await lines.next();
		const trailer = parseJsonLine(last.done ? undefined : last.value, trailerSchema, 'end of file');
		for (const table of header.tables) {
			if (trailer.sha256[table.name] !== sha256[table.name])
				throw new BackupError(`The backup is damaged: table ${table.name} fails its checksum.`);
		}
		await lines.return(undefined);
		for (const name of all)
			await tx.execute(sql.raw(`alter table public.${q(name)} enable trigger user`));

		// Read back what was loaded: the rows as stored must be the rows as dumped.
		for (const table of header.tables) {
			const here = target.get(table.name)!;
			if (here.columns.length !== table.columns.length) continue; // a later schema: counts only
			const hash = createHash('sha256');
			let n = 0;
			for await (const line of tableLines(tx, here)) {
				hash.update(line).update('\n');
				n += 1;
			}
			if (n !== table.rows || hash.digest('hex') !== sha256[table.name])
				throw new BackupError(`Table ${table.name} did not load identically; nothing was changed.`);
		}

		const versionFloor = await moveSequences(tx, header);
		return {
			tables: Object.fromEntries(header.tables.map((t) => [t.name, t.rows])),
			versionFloor
		};
	});
}

/**
 * Every sequence of `public` continues above the highest of: its value in the backup, its value
 * here before the restore, and every restored value of a column that draws from it.
 */
async function moveSequences(tx: Tx, header: LogicalHeader): Promise<string | null> {
	const sequences = await execute<{ name: string; last_value: string | null }>(
		tx,
		sql`select sequencename as name, last_value::text as last_value from pg_sequences
			where schemaname = 'public'`
	);
	let versionFloor: string | null = null;
	for (const seq of sequences) {
		let base = BigInt(seq.last_value ?? '0');
		const dumped = header.sequences.find((s) => s.name === seq.name);
		if (dumped && BigInt(dumped.lastValue) > base) base = BigInt(dumped.lastValue);
		const users = await execute<{ table_name: string; column_name: string }>(
			tx,
			sql`select c.relname as table_name, a.attname as column_name
				from pg_depend d
				join pg_attrdef ad on d.classid = 'pg_attrdef'::regclass and d.objid = ad.oid
				join pg_class c on c.oid = ad.adrelid
				join pg_attribute a on a.attrelid = ad.adrelid and a.attnum = ad.adnum
				where d.refobjid = ${`public.${q(seq.name)}`}::regclass`
		);
		for (const use of users) {
			const [row] = await execute<{ m: string | null }>(
				tx,
				sql.raw(`select max(${q(use.column_name)})::text as m from public.${q(use.table_name)}`)
			);
			if (row?.m && BigInt(row.m) > base) base = BigInt(row.m);
		}
		if (seq.name === VERSION_SEQUENCE) {
			// One above everything handed out: a device's cursor is at most `base`, so it is below the
			// floor and the device starts over; the next write gets base + 2.
			base += 1n;
			versionFloor = base.toString();
			await tx.execute(
				sql`insert into sync_state (id, purged_through_version, updated_at) values (true, ${versionFloor}::bigint, now())
					on conflict (id) do update set purged_through_version = excluded.purged_through_version,
					updated_at = excluded.updated_at`
			);
		}
		if (base > 0n)
			await tx.execute(
				sql`select setval(${`public.${q(seq.name)}`}::regclass, ${base.toString()}::bigint, true)`
			);
	}
	return versionFloor;
}
