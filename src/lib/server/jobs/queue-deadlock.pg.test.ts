/**
 * Two instances starting at once on a database without their job queues: pg-boss's own
 * `create_queue` (its timekeeper's queue, called without our queue lock) can deadlock with the
 * scheduler's, and PostgreSQL aborts one of them. `npm run test:rolling` met it (the server exited
 * with "Failed query: select pgboss.create_queue"; the PostgreSQL log showed the deadlock). A queue
 * creation aborted as a deadlock must be run again, not stop the server.
 *
 * The deadlock is made deterministic here: another transaction holds a row lock mode on
 * pgboss.queue (as pg-boss's create_queue does while it inserts), waits until the scheduler's
 * create_queue waits for it, then asks for the scheduler's queue lock. Its long deadlock_timeout
 * makes the scheduler's transaction the one PostgreSQL aborts. PostgreSQL only: PGlite has one
 * connection and cannot deadlock.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createTestDatabase,
	TEST_DATABASE_URL,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { rowsOf } from '../db/rows';
import { JobRegistry } from './definition';
import { JobScheduler, QUEUE_LOCK, queueOf } from './scheduler';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

describe.runIf(TEST_DATABASE_URL)('job queue creation [postgres]', () => {
	let database: TestDatabase;
	let scheduler: JobScheduler | undefined;

	beforeAll(async () => {
		database = await createTestDatabase('postgres');
		// pg-boss's timekeeper queue exists already, so only the scheduler's own queue is created.
		await database.exec(`select pgboss.create_queue('__pgboss__send-it', '{"policy":"standard"}')`);
	});
	afterAll(async () => {
		await scheduler?.stop();
		await database.dispose();
	});

	it('a queue creation aborted as a deadlock is run again and the scheduler starts', async () => {
		const registry = new JobRegistry([
			{ name: 'deadlock-probe', schedule: '0 3 * * *', run: () => Promise.resolve({}) }
		]);
		const waitingForOther = async () => {
			for (let i = 0; i < 200; i++) {
				const [row] = rowsOf<{ waiting: number }>(
					await database.db.execute(
						sql`select count(*)::int as waiting from pg_locks
							where not granted and relation = 'pgboss.queue'::regclass`
					)
				);
				if ((row?.waiting ?? 0) > 0) return;
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			throw new Error('the scheduler never waited for the other transaction');
		};
		let holding!: () => void;
		const held = new Promise<void>((resolve) => (holding = resolve));
		const other = database.db.transaction(async (tx) => {
			await tx.execute(sql`set local deadlock_timeout = '10s'`);
			await tx.execute(sql`lock table pgboss.queue in row exclusive mode`);
			holding();
			await waitingForOther();
			await tx.execute(sql`select pg_advisory_xact_lock(${QUEUE_LOCK})`);
		});
		await held;
		scheduler = new JobScheduler({
			db: database.db,
			exec: (q) => database.exec(q),
			registry,
			log: silent,
			catchUp: false
		});
		await Promise.all([scheduler.start(), other]);
		const [queue] = rowsOf<{ name: string }>(
			await database.db.execute(
				sql`select name from pgboss.queue where name = ${queueOf('deadlock-probe')}`
			)
		);
		expect(queue?.name).toBe('job.deadlock-probe');
	});
});
