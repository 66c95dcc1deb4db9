import { existsSync, openAsBlob, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
	BackupError,
	checkMigrationLevel,
	codeMigrationLevel,
	VERSION_SEQUENCE,
	type MigrationLevel
} from './logical';

// The PGlite backup (docs/backups.md): PGlite's own tarball of its data folder, taken from the
// server's open instance (PGlite allows one process per folder, so nobody else could read it).
// dumpDataDir runs between queries, never inside one; after a CHECKPOINT the files hold every
// committed transaction, and what a transaction in progress wrote is undone by the WAL replay at
// the next start like after a crash: a consistent snapshot.

/** Writes the data folder of the open `client` to `file` (created, mode 0600; it must not exist). */
export async function dumpSnapshot(client: PGlite, file: string): Promise<void> {
	await client.exec('checkpoint');
	const tarball = await client.dumpDataDir('gzip');
	writeFileSync(file, Buffer.from(await tarball.arrayBuffer()), { flag: 'wx', mode: 0o600 });
}

const GZIP_MAGIC = [0x1f, 0x8b];

export interface SnapshotRestoreResult {
	/** Where the folder that was replaced went (null when there was none). */
	previous: string | null;
	migrations: MigrationLevel;
	/** Devices whose pull cursor is below it re-download everything (see raiseVersionFloor). */
	versionFloor: string | null;
	/** The replaced folder could not be opened: its last version is unknown (docs/backups.md). */
	previousUnreadable: boolean;
}

/**
 * Replaces the PGlite folder `<dataDir>/pglite` by the snapshot in `file`. The caller holds the
 * DATA_DIR lock (no server may run). The snapshot is unpacked and opened in a new folder first, so
 * a damaged file or one from a newer PineGate changes nothing; only then is the current folder
 * moved aside (kept as `pglite.before-restore-<time>`) and the new one put in its place. Migrations
 * are left to the next server start.
 */
export async function restoreSnapshot(options: {
	dataDir: string;
	file: string;
	migrationsDir: string;
	now: Date;
}): Promise<SnapshotRestoreResult> {
	let tarball: Blob;
	let magic: Uint8Array;
	try {
		// A Blob backed by the file: PGlite reads it as it unpacks, without a copy in memory first.
		tarball = await openAsBlob(options.file);
		magic = new Uint8Array(await tarball.slice(0, 2).arrayBuffer());
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new BackupError(
			code === 'ENOENT'
				? `${options.file}: no such file`
				: `${options.file} cannot be read (${code ?? (error as Error).message})`
		);
	}
	if (magic.length < 2 || magic[0] !== GZIP_MAGIC[0] || magic[1] !== GZIP_MAGIC[1])
		throw new BackupError(`${options.file} is not a PGlite backup (not a .tar.gz file).`);

	const stamp = options.now
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d+Z$/, 'Z');
	const current = path.join(options.dataDir, 'pglite');
	const incoming = path.join(options.dataDir, `pglite.restoring-${stamp}`);
	rmSync(incoming, { recursive: true, force: true });
	// Devices' pull cursors may be anywhere up to the current database's last version.
	const handedOut = existsSync(current) ? await currentVersion(current) : null;
	let migrations: MigrationLevel;
	let versionFloor: string | null;
	try {
		let client: PGlite;
		try {
			client = await PGlite.create({ dataDir: incoming, loadDataDir: tarball });
		} catch (error) {
			throw new BackupError(
				`${options.file} is damaged or not a PGlite backup (${(error as Error).message}).`
			);
		}
		try {
			migrations = await snapshotMigrationLevel(client);
			checkMigrationLevel(migrations, codeMigrationLevel(options.migrationsDir));
			versionFloor = await raiseVersionFloor(client, handedOut);
		} finally {
			await client.close();
		}
	} catch (error) {
		rmSync(incoming, { recursive: true, force: true });
		throw error;
	}

	let previous: string | null = null;
	if (existsSync(current)) {
		previous = path.join(options.dataDir, `pglite.before-restore-${stamp}`);
		renameSync(current, previous);
	}
	renameSync(incoming, current);
	return { previous, migrations, versionFloor, previousUnreadable: handedOut === undefined };
}

const VERSION_VALUE = `select last_value::text as v from pg_sequences
	where schemaname = 'public' and sequencename = '${VERSION_SEQUENCE}'`;

/** The last sync version of the folder being replaced: null without one, undefined if unreadable. */
async function currentVersion(folder: string): Promise<bigint | null | undefined> {
	try {
		const client = await PGlite.create({ dataDir: folder });
		try {
			const result = await client.query<{ v: string | null }>(VERSION_VALUE);
			const value = result.rows[0]?.v;
			return value ? BigInt(value) : null;
		} finally {
			await client.close();
		}
	} catch {
		return undefined;
	}
}

/**
 * As after a logical restore (logical.ts): versions continue above everything handed out by the
 * snapshot and by the database it replaces, and the sync floor makes every device start over.
 */
async function raiseVersionFloor(
	client: PGlite,
	handedOut: bigint | null | undefined
): Promise<string | null> {
	const result = await client.query<{ v: string | null }>(VERSION_VALUE);
	if (!result.rows.length) return null; // not at the migration that made the sequence
	let base = BigInt(result.rows[0]?.v ?? '0');
	if (handedOut && handedOut > base) base = handedOut;
	const floor = (base + 1n).toString();
	await client.query(`select setval('public.${VERSION_SEQUENCE}', $1::bigint, true)`, [floor]);
	await client.query(
		`update sync_state set purged_through_version = $1::bigint, updated_at = now()`,
		[floor]
	);
	return floor;
}

async function snapshotMigrationLevel(client: PGlite): Promise<MigrationLevel> {
	const exists = await client.query<{ t: string | null }>(
		`select to_regclass('drizzle.__drizzle_migrations')::text as t`
	);
	if (!exists.rows[0]?.t)
		throw new BackupError('This snapshot holds no PineGate database (no migrations table).');
	const result = await client.query<{ count: number; last: string | null }>(
		'select count(*)::int as count, max(created_at)::text as last from drizzle.__drizzle_migrations'
	);
	const row = result.rows[0];
	return { count: row?.count ?? 0, last: row?.last == null ? null : Number(row.last) };
}
