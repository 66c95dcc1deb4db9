import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	TEST_DATABASE_URL,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { openDatabase, type Database, type Db } from '../db/client';
import { jobRuns } from '../db/schema';
import { JobRegistry, type JobDefinition } from './definition';
import { markInterrupted, pruneRuns, runJob } from './run';
import { JobScheduler } from './scheduler';
import { migratedPostgres } from '../../../../tests/helpers/templates';
import { throwawayPostgres } from '../../../../tests/helpers/throwaway-postgres';
import { pollUntil } from '../../../../tests/helpers/wait';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const at = (iso: string) => new Date(iso);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two "server processes" on one database: on PostgreSQL two separate connection pools (as two
 * servers would have); PGlite allows one process per database, so both share its connection.
 */
async function twoConnections(kind: 'pglite' | 'postgres') {
	if (kind === 'pglite') {
		const one = await createTestDatabase('pglite');
		return { a: one as Database, b: one as Database, dispose: () => one.dispose() };
	}
	if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
	const throwaway = await throwawayPostgres(TEST_DATABASE_URL, {
		template: await migratedPostgres(TEST_DATABASE_URL)
	});
	const [a, b] = await Promise.all([
		openDatabase({ databaseUrl: throwaway.url, migrationsDir: 'drizzle' }),
		openDatabase({ databaseUrl: throwaway.url, migrationsDir: 'drizzle' })
	]);
	return {
		a,
		b,
		dispose: async () => {
			await a.close();
			await b.close();
			await throwaway.drop();
		}
	};
}

describeEachDatabase('scheduled jobs', (kind) => {
	let database: TestDatabase;
	let schedulers: JobScheduler[] = [];

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await database.exec('truncate job_runs');
	});
	afterEach(async () => {
		for (const s of schedulers) await s.stop();
		schedulers = [];
	});

	function schedulerOn(db: Database, registry: JobRegistry, now?: () => Date, extra = {}) {
		const scheduler = new JobScheduler({
			db: db.db,
			exec: (q) => db.exec(q),
			registry,
			now,
			log: silent,
			catchUp: false,
			...extra
		});
		schedulers.push(scheduler);
		return scheduler;
	}
	const runsOf = (db: Db, job: string) =>
		db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(jobRuns.id);

	it('refuses a registry with a bad name, a bad schedule or a name twice', () => {
		const ok: JobDefinition = {
			name: 'ok',
			schedule: '0 * * * *',
			run: () => Promise.resolve(null)
		};
		expect(() => new JobRegistry([{ ...ok, name: 'Not Kebab' }])).toThrow(/kebab/);
		expect(() => new JobRegistry([{ ...ok, schedule: 'hourly' }])).toThrow(/five fields/);
		expect(() => new JobRegistry([ok, ok])).toThrow(/twice/);
	});

	it('a run records succeeded, its summary, its tick and its duration', async () => {
		const registry = new JobRegistry([
			{
				name: 'count',
				schedule: '0 * * * *',
				run: async ({ now, trigger }) => {
					await sleep(30);
					return { now: now.toISOString(), trigger, counted: 3 };
				}
			}
		]);
		const now = at('2026-03-01T12:34:56Z');
		const run = await runJob(database.db, registry, 'count', {
			trigger: 'schedule',
			now,
			log: silent
		});
		expect(run).toMatchObject({
			job: 'count',
			trigger: 'schedule',
			tick: at('2026-03-01T12:00:00Z'),
			startedAt: now,
			outcome: 'succeeded',
			error: null,
			summary: { now: now.toISOString(), trigger: 'schedule', counted: 3 }
		});
		const ms = (run?.finishedAt?.getTime() ?? 0) - now.getTime();
		expect(ms).toBeGreaterThanOrEqual(25);
		expect(ms).toBeLessThan(10_000);
		expect(await runsOf(database.db, 'count')).toHaveLength(1);
	});

	it('a failing job records the failure, and the next tick runs it again', async () => {
		let calls = 0;
		const registry = new JobRegistry([
			{
				name: 'flaky',
				schedule: '0 3 * * *',
				run: () => {
					calls += 1;
					if (calls === 1) return Promise.reject(new Error('TradingView said no'));
					return Promise.resolve({ calls });
				}
			}
		]);
		let clock = at('2026-03-01T03:00:05Z');
		const scheduler = schedulerOn(database, registry, () => clock);
		const failed = await scheduler.fire('flaky', at('2026-03-01T03:00:00Z'));
		expect(failed).toMatchObject({ outcome: 'failed', error: 'TradingView said no' });
		expect(failed?.finishedAt).toBeInstanceOf(Date);
		// The same tick again (pg-boss twice, another instance): it is taken, failed or not.
		expect(await scheduler.fire('flaky', at('2026-03-01T03:00:00Z'))).toBeNull();
		expect(calls).toBe(1);

		clock = at('2026-03-02T03:00:02Z');
		const next = await scheduler.fire('flaky', at('2026-03-02T03:00:00Z'));
		expect(next).toMatchObject({ outcome: 'succeeded', summary: { calls: 2 }, error: null });
		const runs = await runsOf(database.db, 'flaky');
		expect(runs.map((r) => r.outcome)).toEqual(['failed', 'succeeded']);
	});

	it('two server processes firing the same tick run it once', async () => {
		const pair = await twoConnections(kind);
		try {
			let calls = 0;
			const registry = new JobRegistry([
				{
					name: 'sweep',
					schedule: '*/5 * * * *',
					run: async () => {
						calls += 1;
						await sleep(50);
						return { calls };
					}
				}
			]);
			const clock = () => at('2026-03-01T12:05:01Z');
			const one = schedulerOn(pair.a, registry, clock);
			const two = schedulerOn(pair.b, registry, clock);
			const tick = at('2026-03-01T12:05:00Z');
			const results = await Promise.all(
				Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).fire('sweep', tick))
			);
			expect(results.filter((r) => r !== null)).toHaveLength(1);
			expect(calls).toBe(1);
			expect(await runsOf(pair.a.db, 'sweep')).toHaveLength(1);
		} finally {
			for (const s of schedulers.splice(0)) await s.stop();
			await pair.dispose();
		}
	});

	it('manual runs take no tick from the schedule', async () => {
		const registry = new JobRegistry([
			{ name: 'check', schedule: '0 * * * *', run: () => Promise.resolve({ ok: true }) }
		]);
		const now = at('2026-03-01T12:00:10Z');
		const scheduler = schedulerOn(database, registry, () => now);
		const manual = await runJob(database.db, registry, 'check', {
			trigger: 'manual',
			now,
			actorId: '0190a000-0000-7000-8000-000000000001',
			log: silent
		});
		expect(manual).toMatchObject({ trigger: 'manual', tick: null, outcome: 'succeeded' });
		expect(await scheduler.fire('check', at('2026-03-01T12:00:00Z'))).toMatchObject({
			trigger: 'schedule',
			outcome: 'succeeded'
		});
		await runJob(database.db, registry, 'check', { trigger: 'manual', now, log: silent });
		expect(await scheduler.fire('check', at('2026-03-01T12:00:00Z'))).toBeNull();
		const runs = await runsOf(database.db, 'check');
		expect(runs.map((r) => r.trigger).sort()).toEqual(['manual', 'manual', 'schedule']);
	});

	it('after downtime, a job that ran before runs its latest missed slot once', async () => {
		const registry = new JobRegistry([
			{ name: 'hourly', schedule: '0 * * * *', run: () => Promise.resolve({}) },
			{ name: 'never-ran', schedule: '0 * * * *', run: () => Promise.resolve({}) }
		]);
		let clock = at('2026-03-01T10:00:03Z');
		const scheduler = schedulerOn(database, registry, () => clock);
		await scheduler.fire('hourly', at('2026-03-01T10:00:00Z'));
		clock = at('2026-03-01T13:20:00Z'); // every instance was down from 10:30 to 13:20
		expect(await scheduler.catchUp()).toBe(1);
		expect(await scheduler.catchUp()).toBe(0);
		const ticks = (await runsOf(database.db, 'hourly')).map((r) => r.tick?.toISOString());
		expect(ticks).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-01T13:00:00.000Z']);
		expect(await runsOf(database.db, 'never-ran')).toHaveLength(0);
	});

	it('a run cut short shows as failed; old runs go, the last success stays', async () => {
		const registry = new JobRegistry([
			{ name: 'old', schedule: '0 3 * * *', run: () => Promise.resolve({}) }
		]);
		const first = await runJob(database.db, registry, 'old', {
			trigger: 'schedule',
			now: at('2025-01-01T03:00:00Z'),
			log: silent
		});
		await runJob(database.db, registry, 'old', {
			trigger: 'manual',
			now: at('2025-01-02T03:00:00Z'),
			log: silent
		});
		await database.db
			.update(jobRuns)
			.set({ outcome: 'running', finishedAt: null })
			.where(and(eq(jobRuns.job, 'old'), eq(jobRuns.trigger, 'manual')));
		expect(await markInterrupted(database.db, at('2025-01-02T08:00:00Z'))).toBe(0);
		expect(await markInterrupted(database.db, at('2025-01-02T10:00:00Z'))).toBe(1);
		const [interrupted] = await database.db
			.select()
			.from(jobRuns)
			.where(eq(jobRuns.trigger, 'manual'));
		expect(interrupted?.outcome).toBe('failed');
		expect(interrupted?.error).toMatch(/Interrupted/);

		expect(await pruneRuns(database.db, at('2025-06-01T00:00:00Z'))).toBe(1);
		expect((await runsOf(database.db, 'old')).map((r) => r.id)).toEqual([first?.id]);
	});

	it('pg-boss fires the schedule, and two schedulers run each tick once', async () => {
		const pair = await twoConnections(kind);
		try {
			let calls = 0;
			const registry = new JobRegistry([
				{
					name: 'every-minute',
					schedule: '* * * * *',
					run: () => Promise.resolve({ calls: ++calls })
				}
			]);
			// pg-boss fires a slot for a minute after it; a `* * * * *` slot is always that recent.
			const fast = {
				pollingIntervalSeconds: 1,
				boss: { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 }
			};
			const one = schedulerOn(pair.a, registry, undefined, fast);
			const two = schedulerOn(pair.b, registry, undefined, fast);
			await Promise.all([one.start(), two.start()]);
			await pollUntil(
				() => runsOf(pair.a.db, 'every-minute'),
				(runs) => runs.some((r) => r.outcome === 'succeeded')
			);
			await sleep(3_000); // time for a duplicate, were there one
			const runs = await runsOf(pair.a.db, 'every-minute');
			const ticks = runs.map((r) => r.tick?.toISOString());
			expect(new Set(ticks).size).toBe(ticks.length);
			expect(calls).toBe(runs.length);
			for (const run of runs) {
				expect(run.trigger).toBe('schedule');
				expect(run.tick?.getUTCSeconds()).toBe(0);
				expect(run.startedAt.getTime() - (run.tick?.getTime() ?? 0)).toBeLessThan(120_000);
			}
		} finally {
			for (const s of schedulers.splice(0)) await s.stop();
			await pair.dispose();
		}
	}, 90_000);
});
