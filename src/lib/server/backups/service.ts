import {
	chmodSync,
	existsSync,
	mkdirSync,
	renameSync,
	rmSync,
	statSync,
	unlinkSync
} from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/client';
import type { Env } from '../env';
import {
	backupFileName,
	expiredBackups,
	listBackupFiles,
	parseBackupFileName,
	scheduledLabel,
	type BackupFile,
	type BackupLabel
} from './files';
import { dumpLogical } from './logical';
import { dumpSnapshot } from './snapshot';

// Making backups (docs/backups.md): the file, then retention. Used by the daily job and by
// "Back up now"; `npm run restore` (scripts/restore.ts) is the way back.

/** BACKUP_DIR, or `backups` inside DATA_DIR. */
export function backupDir(config: Pick<Env, 'BACKUP_DIR' | 'DATA_DIR'>): string {
	return path.resolve(config.BACKUP_DIR ?? path.join(config.DATA_DIR, 'backups'));
}

export interface BackupTarget {
	database: Database;
	dir: string;
}

let configured: BackupTarget | undefined;

/** Set by the runtime once the database is open: the job and the admin page back up this one. */
export function configureBackups(target: BackupTarget | undefined): void {
	configured = target;
}

export function backupTarget(): BackupTarget {
	if (!configured) throw new Error('backups are not configured in this process');
	return configured;
}

export interface BackupOutcome {
	/** The new backup; null when a scheduled one of that day existed already. */
	created: BackupFile | null;
	/** Files retention removed. */
	removed: string[];
}

// One backup at a time per process: names and retention are decided from the folder's contents.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Backs up `database` into `dir`: a snapshot of the data folder on PGlite, a logical dump on
 * PostgreSQL. `scheduled` makes the day's `weekly` (first of its ISO week) or `daily` backup, or
 * nothing when that day has one; `manual` always makes one. Retention runs after every backup.
 */
export function createBackup(
	target: BackupTarget,
	options: { mode: 'scheduled' | 'manual'; now: Date }
): Promise<BackupOutcome> {
	const run = queue.then(() => backUp(target, options));
	queue = run.catch(() => {});
	return run;
}

async function backUp(
	{ database, dir }: BackupTarget,
	{ mode, now }: { mode: 'scheduled' | 'manual'; now: Date }
): Promise<BackupOutcome> {
	ensureDir(dir);
	let label: BackupLabel | null = 'manual';
	if (mode === 'scheduled') label = scheduledLabel(listBackupFiles(dir), now);
	if (!label) return { created: null, removed: [] };

	const format = database.driver.kind === 'pglite' ? 'snapshot' : 'logical';
	let name = backupFileName(now, label, database.kind, format);
	for (let attempt = 2; existsSync(path.join(dir, name)); attempt++)
		name = backupFileName(now, label, database.kind, format, attempt);
	const file = path.join(dir, name);
	// Written under another name and renamed when complete: a crash never leaves a half backup that
	// looks like a whole one (the list and retention ignore `.partial` files).
	const partial = `${file}.partial`;
	rmSync(partial, { force: true });
	try {
		if (database.driver.kind === 'pglite') await dumpSnapshot(database.driver.client, partial);
		else await dumpLogical(database.db, partial, { database: database.kind, now });
		renameSync(partial, file);
	} catch (error) {
		rmSync(partial, { force: true });
		throw error;
	}

	const removed: string[] = [];
	for (const old of expiredBackups(listBackupFiles(dir))) {
		unlinkSync(path.join(dir, old.file));
		removed.push(old.file);
	}
	const parsed = parseBackupFileName(name)!;
	return { created: { ...parsed, size: statSync(file).size }, removed };
}

function ensureDir(dir: string): void {
	if (existsSync(dir)) return;
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	// mkdir's mode is filtered by the umask; the folder holds password hashes and secrets.
	chmodSync(dir, 0o700);
}
