import { describe, expect, it } from 'vitest';
import {
	backupFileName,
	expiredBackups,
	isoWeek,
	parseBackupFileName,
	scheduledLabel,
	type BackupLabel,
	type BackupName
} from './files';

const at = (iso: string) => new Date(iso);

function backup(iso: string, label: BackupLabel): BackupName {
	return parseBackupFileName(backupFileName(at(iso), label, 'pglite', 'snapshot'))!;
}

describe('backup file names', () => {
	it('carry the UTC time, the label, the database and the format', () => {
		expect(backupFileName(at('2026-11-28T03:00:00.000Z'), 'daily', 'pglite', 'snapshot')).toBe(
			'pinegate-2026-11-28T030000Z-daily.pglite.tar.gz'
		);
		expect(backupFileName(at('2026-01-02T23:04:05.999Z'), 'manual', 'postgres', 'logical', 2)).toBe(
			'pinegate-2026-01-02T230405Z-manual-2.postgres.jsonl.gz'
		);
	});

	it('parse back, and anything else is not a backup', () => {
		expect(parseBackupFileName('pinegate-2026-11-28T030000Z-weekly.postgres.jsonl.gz')).toEqual({
			file: 'pinegate-2026-11-28T030000Z-weekly.postgres.jsonl.gz',
			createdAt: at('2026-11-28T03:00:00Z'),
			label: 'weekly',
			source: 'postgres',
			format: 'logical'
		});
		for (const other of [
			'pinegate-2026-11-28T030000Z-daily.pglite.tar.gz.partial',
			'pinegate-2026-11-28T030000Z-hourly.pglite.tar.gz',
			'notes.txt',
			'pinegate-2026-11-28-daily.pglite.tar.gz'
		])
			expect(parseBackupFileName(other)).toBeNull();
	});
});

describe('ISO weeks', () => {
	it.each([
		['2026-11-23T00:00:00Z', '2026-W48'], // Monday
		['2026-11-29T23:59:59Z', '2026-W48'], // Sunday, same week
		['2026-11-30T00:00:00Z', '2026-W49'],
		['2027-01-01T12:00:00Z', '2026-W53'], // a Friday: belongs to the last week of 2026
		['2024-12-30T00:00:00Z', '2025-W01'] // a Monday: the week holding 2 January 2025
	])('%s is in %s', (iso, week) => expect(isoWeek(at(iso))).toBe(week));
});

describe('the label of a scheduled backup', () => {
	it('is weekly for the first of its ISO week, daily after that, nothing twice a day', () => {
		expect(scheduledLabel([], at('2026-11-25T02:30:00Z'))).toBe('weekly'); // a Wednesday install
		const existing = [backup('2026-11-25T02:30:00Z', 'weekly')];
		expect(scheduledLabel(existing, at('2026-11-25T14:00:00Z'))).toBeNull();
		expect(scheduledLabel(existing, at('2026-11-26T02:30:00Z'))).toBe('daily');
		expect(scheduledLabel(existing, at('2026-11-30T02:30:00Z'))).toBe('weekly'); // Monday, W49
	});

	it('does not count manual backups', () => {
		const manual = [backup('2026-11-30T01:00:00Z', 'manual')];
		expect(scheduledLabel(manual, at('2026-11-30T02:30:00Z'))).toBe('weekly');
	});
});

describe('retention', () => {
	it('keeps the 7 newest daily, the 4 newest weekly and the 10 newest manual backups', () => {
		// Six weeks of nightly backups, 2026-10-19 (Monday, W43) to 2026-11-29 (Sunday, W48): each
		// Monday's is the weekly one.
		const all: BackupName[] = [];
		for (let day = 0; day < 42; day++) {
			const date = new Date(Date.UTC(2026, 9, 19 + day, 2, 30));
			all.push(backup(date.toISOString(), day % 7 === 0 ? 'weekly' : 'daily'));
		}
		for (let i = 0; i < 12; i++)
			all.push(backup(`2026-11-${String(10 + i).padStart(2, '0')}T12:00:00Z`, 'manual'));
		const expired = new Set(expiredBackups(all).map((b) => b.file));
		const kept = all.filter((b) => !expired.has(b.file));
		const days = (label: BackupLabel) =>
			kept
				.filter((b) => b.label === label)
				.map((b) => b.createdAt.toISOString().slice(5, 10))
				.sort();
		// Daily: the last 7 nights that are not Mondays, 11-22 … 11-29 without Monday 11-23.
		expect(days('daily')).toEqual(['11-22', '11-24', '11-25', '11-26', '11-27', '11-28', '11-29']);
		// Weekly: Mondays 11-02, 11-09, 11-16, 11-23 (10-19 and 10-26 go).
		expect(days('weekly')).toEqual(['11-02', '11-09', '11-16', '11-23']);
		// Manual: 11-12 … 11-21 (11-10 and 11-11 go).
		expect(days('manual')).toEqual([
			'11-12',
			'11-13',
			'11-14',
			'11-15',
			'11-16',
			'11-17',
			'11-18',
			'11-19',
			'11-20',
			'11-21'
		]);
		expect(expired.size).toBe(54 - 7 - 4 - 10);
	});

	it('removes nothing while there are fewer backups than it keeps', () => {
		expect(
			expiredBackups([
				backup('2026-11-28T02:30:00Z', 'daily'),
				backup('2026-11-23T02:30:00Z', 'weekly'),
				backup('2026-11-28T09:00:00Z', 'manual')
			])
		).toEqual([]);
	});

	it('orders by time, not by the order it is given', () => {
		const policy = { daily: 1, weekly: 1, manual: 1 };
		const old = backup('2026-11-01T02:30:00Z', 'daily');
		const recent = backup('2026-11-02T02:30:00Z', 'daily');
		expect(expiredBackups([recent, old], policy)).toEqual([old]);
		expect(expiredBackups([old, recent], policy)).toEqual([old]);
	});
});
