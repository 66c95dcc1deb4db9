import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../../tests/helpers/db';
import { staffDevice } from '../../../../tests/helpers/staff';
import { makeUser } from '../../../../tests/helpers/sync';
import { testClock } from '$lib/server/clock';
import { accessEvents, accesses, notifications } from '$lib/server/db/schema';
import { rowsOf } from '../db/rows';
import { seed } from '../seed';
import { queuedJobs } from '../tradingview/sync/queue';
import { sweepExpired } from './expiry-sweep';
import { sendReminders } from './reminders';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T0.getTime() + ms);
const until = (ms: number) => ({ kind: 'until', endsAt: at(ms).toISOString() }) as const;

describeEachDatabase('expiry sweep and reminders (controlled clock)', (kind) => {
	const database = useTestDatabase(
		kind,
		'clients, indicators, accesses, access_events, notifications, settings, sync_clients, mutation_results, field_writes, users'
	);
	let staff: ReturnType<typeof staffDevice>;

	beforeEach(async () => {
		testClock.set(T0);
		await database.current.exec('delete from pgboss.job');
		staff = staffDevice(() => database.current.db, await makeUser(database.current.db, 'admin'));
	});
	afterEach(() => testClock.reset());

	const expiredEvents = (accessId: string) =>
		database.current.db
			.select()
			.from(accessEvents)
			.where(and(eq(accessEvents.accessId, accessId), eq(accessEvents.kind, 'expired')));
	const notes = (kind: string) =>
		database.current.db.select().from(notifications).where(eq(notifications.kind, kind));

	it('expires exactly the grants past their end, once per term, and queues their TradingView removal', async () => {
		const indicator = await staff.indicator();
		const [a, b, c, d] = [
			await staff.client(),
			await staff.client(),
			await staff.client(),
			await staff.client()
		] as [string, string, string, string];
		const endsSoon = await staff.grant(a, indicator, until(2 * HOUR));
		const endsLater = await staff.grant(b, indicator, until(3 * HOUR));
		const lifetime = await staff.grant(c, indicator, { kind: 'preset', preset: 'lifetime' });
		const revoked = await staff.grant(d, indicator, until(HOUR));
		await staff.revoke(revoked);
		// Pretend TradingView verified the grants, as the worker would have.
		await database.current.db.update(accesses).set({ tvState: 'verified', tvVerifiedAt: T0 });
		await database.current.exec('delete from pgboss.job');

		expect(await sweepExpired(database.current.db, at(HOUR))).toEqual({
			expired: 0,
			tradingViewRemovals: 0
		});

		const now = at(2 * HOUR + 60_000);
		testClock.set(now);
		expect(await sweepExpired(database.current.db, now)).toEqual({
			expired: 1,
			tradingViewRemovals: 1
		});
		const [event] = await expiredEvents(endsSoon);
		expect(event).toMatchObject({ actor: 'system', newEndsAt: at(2 * HOUR), at: now });
		expect(await expiredEvents(endsLater)).toHaveLength(0);
		expect(await expiredEvents(lifetime)).toHaveLength(0);
		expect(await expiredEvents(revoked)).toHaveLength(0);
		const [expiredNote] = await notes('expired');
		expect(expiredNote).toMatchObject({ entity: 'accesses', entityId: endsSoon, userId: null });
		// The removal is queued: the grant waits for TradingView again, with a job.
		const [row] = await database.current.db
			.select()
			.from(accesses)
			.where(eq(accesses.id, endsSoon));
		expect(row?.tvState).toBe('pending');
		expect(await queuedJobs(database.current.db)).toBe(1);

		// Idempotent: the next tick (and a repeated one) records nothing new.
		expect((await sweepExpired(database.current.db, now)).expired).toBe(0);
		expect((await sweepExpired(database.current.db, at(2 * HOUR + 120_000))).expired).toBe(0);
		expect(await expiredEvents(endsSoon)).toHaveLength(1);

		// A renewal after the end starts a new term, whose end is swept again.
		testClock.set(at(2 * HOUR + 180_000));
		await staff.renew(endsSoon, at(2 * HOUR).toISOString(), until(5 * HOUR));
		expect((await sweepExpired(database.current.db, at(4 * HOUR))).expired).toBe(1); // endsLater
		expect((await sweepExpired(database.current.db, at(5 * HOUR))).expired).toBe(1); // the new term
		expect(await expiredEvents(endsSoon)).toHaveLength(2);
		expect(await notes('expired')).toHaveLength(3);
	});

	it('sends one reminder to each of more grants than a batch holds, and none the second time', async () => {
		await seed(database.current.db, {
			clients: 800,
			indicators: 5,
			accesses: 2_500,
			seed: 'many reminders',
			now: T0
		});
		const open = sql`revoked_at is null and deleted_at is null`;
		await database.current.db.execute(
			sql`update accesses set ends_at = ${at(3 * DAY).toISOString()} where ${open}`
		);
		const [due] = rowsOf<{ n: number }>(
			await database.current.db.execute(sql`select count(*)::int as n from accesses where ${open}`)
		);
		expect(due!.n).toBeGreaterThan(1_000); // more than one batch of the job
		expect(await sendReminders(database.current.db, at(HOUR))).toEqual({
			expiring_7d: due!.n,
			expiring_1d: 0
		});
		const sent = await notes('expiring_7d');
		expect(new Set(sent.map((note) => note.entityId)).size).toBe(due!.n);
		expect(await sendReminders(database.current.db, at(2 * HOUR))).toEqual({
			expiring_7d: 0,
			expiring_1d: 0
		});
	});

	it('sends the 7-day and the 1-day reminder once per term, and again after a renewal', async () => {
		const indicator = await staff.indicator();
		const client = await staff.client();
		const other = await staff.client();
		const grant = await staff.grant(client, indicator, until(10 * DAY));
		await staff.grant(other, indicator, until(30 * DAY));

		expect(await sendReminders(database.current.db, at(2 * DAY))).toEqual({
			expiring_7d: 0,
			expiring_1d: 0
		});
		// Entering the last 7 days.
		expect(await sendReminders(database.current.db, at(3 * DAY + HOUR))).toEqual({
			expiring_7d: 1,
			expiring_1d: 0
		});
		expect(await sendReminders(database.current.db, at(4 * DAY))).toEqual({
			expiring_7d: 0,
			expiring_1d: 0
		});
		// Entering the last day.
		expect(await sendReminders(database.current.db, at(9 * DAY + HOUR))).toEqual({
			expiring_7d: 0,
			expiring_1d: 1
		});
		expect(await sendReminders(database.current.db, at(9 * DAY + 2 * HOUR))).toEqual({
			expiring_7d: 0,
			expiring_1d: 0
		});
		const [week] = await notes('expiring_7d');
		expect(week).toMatchObject({ entity: 'accesses', entityId: grant });
		expect(week?.data).toMatchObject({ clientId: client, endsAt: at(10 * DAY).toISOString() });

		// Renewed: a new term, new reminders when it in turn comes near its end.
		testClock.set(at(9 * DAY + 3 * HOUR));
		await staff.renew(grant, at(10 * DAY).toISOString(), until(40 * DAY));
		expect(await sendReminders(database.current.db, at(9 * DAY + 4 * HOUR))).toEqual({
			expiring_7d: 0,
			expiring_1d: 0
		});
		expect(await sendReminders(database.current.db, at(33 * DAY + HOUR))).toEqual({
			expiring_7d: 1,
			expiring_1d: 0
		});
		// The other grant ended (day 30) between the two calls without a call in its last 7 days.
		expect(await notes('expiring_7d')).toHaveLength(2);
	});
});
