import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { callerFor, errorCodeOf, insertUser, sessionFor } from '../../../../tests/helpers/trpc';
import { auditLog } from '../db/schema';
import { appJobs } from '../jobs/jobs';
import { runJob } from '../jobs/run';
import { configureBackups } from './service';

describeEachDatabase('backups router and job', (kind) => {
	let database: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		dir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-backups-router-'));
	});
	afterAll(async () => {
		configureBackups(undefined);
		await database?.dispose();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('answers BACKUPS_UNAVAILABLE in a process without a backup target', async () => {
		configureBackups(undefined);
		const admin = await insertUser(database.db, 'admin');
		const { caller } = callerFor(database.db, await sessionFor(database.db, admin.id));
		expect(await errorCodeOf(caller.backups.list())).toBe('BACKUPS_UNAVAILABLE');
	});

	it('lets an admin back up now (audited) and list the backups; refuses a seller', async () => {
		configureBackups({ database, dir });
		const admin = await insertUser(database.db, 'admin');
		const seller = await insertUser(database.db, 'seller');
		const { caller } = callerFor(database.db, await sessionFor(database.db, admin.id));
		const created = await caller.backups.create();
		expect(created.label).toBe('manual');
		expect(created.size).toBeGreaterThan(0);
		const list = await caller.backups.list();
		expect(list.dir).toBe(dir);
		expect(list.database).toBe(kind);
		expect(list.backups.map((b) => b.file)).toEqual([created.file]);
		const entries = await database.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'backup.create'));
		expect(entries).toHaveLength(1);
		expect(entries[0]!.actorId).toBe(admin.id);
		expect(entries[0]!.entityId).toBe(created.file);

		const sellerCaller = callerFor(database.db, await sessionFor(database.db, seller.id)).caller;
		expect(await errorCodeOf(sellerCaller.backups.list())).toBe('FORBIDDEN');
		expect(await errorCodeOf(sellerCaller.backups.create())).toBe('FORBIDDEN');
	});

	it('runs as the scheduled backup job once a day', async () => {
		configureBackups({ database, dir });
		const at = new Date('2026-11-30T02:30:05Z');
		const run = await runJob(database.db, appJobs, 'backup', { trigger: 'schedule', now: at });
		expect(run?.outcome).toBe('succeeded');
		expect(run?.summary).toMatchObject({ label: 'weekly', removed: 0 });
		// The same day again (a second instance, a catch-up): nothing more.
		const again = await runJob(database.db, appJobs, 'backup', {
			trigger: 'schedule',
			now: new Date('2026-11-30T09:00:00Z'),
			tick: new Date('2026-11-30T09:00:00Z')
		});
		expect(again?.summary).toEqual({ skipped: 'this day has its backup' });
	});
});
