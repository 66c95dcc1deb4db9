import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// Backup files (docs/backups.md): one file per backup in BACKUP_DIR, everything we need to know
// about it is in its name, so listing and retention read the folder and nothing else.
//
//   pinegate-2026-11-28T023000Z-daily.pglite.tar.gz      PGlite: snapshot of the data folder
//   pinegate-2026-11-28T023000Z-manual.postgres.jsonl.gz PostgreSQL (or PGlite): logical dump

export type BackupLabel = 'daily' | 'weekly' | 'manual';
export type BackupSource = 'pglite' | 'postgres';
export type BackupFormat = 'snapshot' | 'logical';

export interface BackupName {
	file: string;
	createdAt: Date;
	label: BackupLabel;
	source: BackupSource;
	format: BackupFormat;
}

export interface BackupFile extends BackupName {
	size: number;
}

const NAME =
	/^pinegate-(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z-(daily|weekly|manual)(?:-(\d+))?\.(pglite|postgres)\.(tar\.gz|jsonl\.gz)$/;

const EXTENSION: Record<BackupFormat, string> = { snapshot: 'tar.gz', logical: 'jsonl.gz' };

const pad = (n: number) => String(n).padStart(2, '0');

/** The name of a backup; `attempt` > 1 separates two backups made in the same second. */
export function backupFileName(
	createdAt: Date,
	label: BackupLabel,
	source: BackupSource,
	format: BackupFormat,
	attempt = 1
): string {
	const d = createdAt;
	const stamp =
		`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
		`T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
	const suffix = attempt > 1 ? `-${attempt}` : '';
	return `pinegate-${stamp}-${label}${suffix}.${source}.${EXTENSION[format]}`;
}

/** The parts of a backup file name, or null for any other file (ours or not). */
export function parseBackupFileName(file: string): BackupName | null {
	const m = NAME.exec(file);
	if (!m) return null;
	const [, y, mo, d, h, mi, s, label, , source, ext] = m;
	const createdAt = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
	if (Number.isNaN(createdAt.getTime())) return null;
	return {
		file,
		createdAt,
		label: label as BackupLabel,
		source: source as BackupSource,
		format: ext === 'tar.gz' ? 'snapshot' : 'logical'
	};
}

/** Newest first; ties (same second) by name so the order is stable. */
function newestFirst(a: BackupName, b: BackupName): number {
	return b.createdAt.getTime() - a.createdAt.getTime() || b.file.localeCompare(a.file);
}

/** The backups in `dir`, newest first; a missing folder is an empty list. */
export function listBackupFiles(dir: string): BackupFile[] {
	let entries: string[];
	try {
		entries = readdirSync(dir);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const files: BackupFile[] = [];
	for (const entry of entries) {
		const parsed = parseBackupFileName(entry);
		if (!parsed) continue;
		const stat = statSync(path.join(dir, entry), { throwIfNoEntry: false });
		if (stat?.isFile()) files.push({ ...parsed, size: stat.size });
	}
	return files.sort(newestFirst);
}

/** ISO 8601 week of a UTC date as `YYYY-Www` (weeks start on Monday; week 1 holds a Thursday). */
export function isoWeek(date: Date): string {
	const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
	const weekday = d.getUTCDay() || 7;
	d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
	const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
	const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
	return `${d.getUTCFullYear()}-W${pad(week)}`;
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The label of a scheduled backup made at `at`: `weekly` when no weekly backup exists yet for its ISO
 * week (normally Monday's), else `daily`; null when a scheduled backup of that UTC day already exists
 * (the job is idempotent: a second run the same day makes nothing).
 */
export function scheduledLabel(existing: readonly BackupName[], at: Date): BackupLabel | null {
	const scheduled = existing.filter((b) => b.label !== 'manual');
	if (scheduled.some((b) => utcDay(b.createdAt) === utcDay(at))) return null;
	const week = isoWeek(at);
	return scheduled.some((b) => b.label === 'weekly' && isoWeek(b.createdAt) === week)
		? 'daily'
		: 'weekly';
}

export interface RetentionPolicy {
	daily: number;
	weekly: number;
	manual: number;
}

/** 7 daily, 4 weekly, and the 10 newest manual backups (docs/backups.md). */
export const RETENTION: RetentionPolicy = { daily: 7, weekly: 4, manual: 10 };

/** The backups retention removes: all but the newest `policy[label]` of each label. */
export function expiredBackups<T extends BackupName>(
	backups: readonly T[],
	policy: RetentionPolicy = RETENTION
): T[] {
	const kept: Record<BackupLabel, number> = { daily: 0, weekly: 0, manual: 0 };
	const expired: T[] = [];
	for (const backup of [...backups].sort(newestFirst)) {
		kept[backup.label] += 1;
		if (kept[backup.label] > policy[backup.label]) expired.push(backup);
	}
	return expired;
}
