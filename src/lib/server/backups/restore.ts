import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../db/client';
import { lockDataDir } from '../runtime';
import { parseBackupFileName } from './files';
import { BackupError, restoreLogical } from './logical';
import { restoreSnapshot } from './snapshot';

// `npm run restore -- <file>` (scripts/restore.ts, docs/backups.md): the way back from a backup.

export const RESTORE_USAGE = `Usage: npm run restore -- <backup file> [--force]

Restores a PineGate backup into the configured database (DATABASE_URL, else PGlite under DATA_DIR).
Stop the server first. Every row is replaced by the backup's.

  <file>    a backup from BACKUP_DIR (default DATA_DIR/backups):
            *.pglite.tar.gz    snapshot of the PGlite data folder (PGlite only); the current
                               folder is kept as DATA_DIR/pglite.before-restore-<time>
            *.jsonl.gz         logical dump (PostgreSQL, or PGlite); all tables replaced in one
                               transaction
  --force   PostgreSQL: restore even though other connections to the database are open
  --help    this text`;

export interface RestoreCommand {
	help: boolean;
	file: string;
	force: boolean;
}

export function parseRestoreArgs(argv: readonly string[]): RestoreCommand {
	let file: string | undefined;
	let force = false;
	for (const arg of argv) {
		if (arg === '--help' || arg === '-h') return { help: true, file: '', force };
		else if (arg === '--force') force = true;
		else if (arg.startsWith('-')) throw new BackupError(`unknown option ${arg}`);
		else if (file) throw new BackupError('give one backup file');
		else file = arg;
	}
	if (!file) throw new BackupError('which backup? Give its file, e.g. data/backups/pinegate-…');
	return { help: false, file, force };
}

export interface RestoreOptions {
	file: string;
	/** PostgreSQL when set; PGlite in `<dataDir>/pglite` otherwise. */
	databaseUrl?: string | undefined;
	dataDir: string;
	migrationsDir: string;
	force?: boolean;
	now?: Date;
	say?: (line: string) => void;
}

export interface RestoreSummary {
	file: string;
	database: 'pglite' | 'postgres';
	format: 'snapshot' | 'logical';
	/** Rows per table (logical backups). */
	tables?: Record<string, number>;
	/** Where the replaced PGlite folder was kept (snapshots). */
	previous?: string | null;
	/** Devices whose pull cursor is below it re-download everything. */
	versionFloor: string | null;
}

function formatOf(file: string): 'snapshot' | 'logical' {
	const parsed = parseBackupFileName(path.basename(file));
	if (parsed) return parsed.format;
	// A renamed file still restores when its extension tells what it is.
	if (file.endsWith('.jsonl.gz')) return 'logical';
	if (file.endsWith('.tar.gz')) return 'snapshot';
	throw new BackupError(
		`${file} is not a PineGate backup: expected a .pglite.tar.gz or .jsonl.gz file.`
	);
}

/** Restores one backup; refusals and bad files are BackupErrors with a message for people. */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
	const say = options.say ?? (() => {});
	const file = path.resolve(options.file);
	if (!existsSync(file)) throw new BackupError(`${options.file}: no such file`);
	if (!statSync(file).isFile()) throw new BackupError(`${options.file} is not a file`);
	const format = formatOf(file);
	const dataDir = path.resolve(options.dataDir);
	const now = options.now ?? new Date();

	if (format === 'snapshot') {
		if (options.databaseUrl)
			throw new BackupError(
				'This is a PGlite snapshot, but DATABASE_URL is set: unset it to restore the embedded ' +
					'database, or restore a .jsonl.gz (logical) backup into PostgreSQL.'
			);
		const release = lock(dataDir);
		try {
			say(`restoring the PGlite snapshot ${file} into ${path.join(dataDir, 'pglite')}`);
			const result = await restoreSnapshot({
				dataDir,
				file,
				migrationsDir: options.migrationsDir,
				now
			});
			if (result.previousUnreadable)
				say(
					'warning: the replaced database could not be opened, so its last sync version is ' +
						'unknown: sign devices out and in again if they miss changes (docs/backups.md)'
				);
			return {
				file,
				database: 'pglite',
				format,
				previous: result.previous,
				versionFloor: result.versionFloor
			};
		} finally {
			release();
		}
	}

	if (options.databaseUrl) {
		if (!options.force) await refuseWhileConnected(options.databaseUrl);
		say('opening PostgreSQL (DATABASE_URL) and applying migrations');
		const database = await openDatabase({
			databaseUrl: options.databaseUrl,
			migrationsDir: options.migrationsDir
		});
		try {
			say(`loading ${file}`);
			const result = await restoreLogical(database.db, file, {
				migrationsDir: options.migrationsDir
			});
			return {
				file,
				database: 'postgres',
				format,
				tables: result.tables,
				versionFloor: result.versionFloor
			};
		} finally {
			await database.close();
		}
	}

	const release = lock(dataDir);
	try {
		say(`opening PGlite in ${dataDir} and applying migrations`);
		const database = await openDatabase({
			dataDir: path.join(dataDir, 'pglite'),
			migrationsDir: options.migrationsDir
		});
		try {
			say(`loading ${file}`);
			const result = await restoreLogical(database.db, file, {
				migrationsDir: options.migrationsDir
			});
			return {
				file,
				database: 'pglite',
				format,
				tables: result.tables,
				versionFloor: result.versionFloor
			};
		} finally {
			await database.close();
		}
	} finally {
		release();
	}
}

function lock(dataDir: string): () => void {
	try {
		return lockDataDir(dataDir);
	} catch (error) {
		throw new BackupError(
			`Stop the server before restoring. ${error instanceof Error ? error.message : String(error)}`
		);
	}
}

/** A server still connected would keep writing into (or reading from) a database being replaced. */
async function refuseWhileConnected(databaseUrl: string): Promise<void> {
	const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	try {
		const [row] = await client<{ n: number }[]>`
			select count(*)::int as n from pg_stat_activity
			where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`;
		if (row && row.n > 0)
			throw new BackupError(
				`${row.n} other connection(s) to this database are open: stop every PineGate server ` +
					'first (or pass --force if they are not PineGate).'
			);
	} catch (error) {
		if (error instanceof BackupError) throw error;
		throw new BackupError(`Cannot reach PostgreSQL: ${(error as Error).message}`);
	} finally {
		await client.end({ timeout: 5 });
	}
}
