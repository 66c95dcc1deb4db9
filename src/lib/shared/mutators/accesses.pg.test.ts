import { and, eq, isNull, ne } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import { testClock } from '$lib/server/clock';
import { accessEvents, accesses, clients, notifications } from '$lib/server/db/schema';
import { DAY_MS } from '../grants';
import type { Duration } from '../schemas/access';
import type { SessionUser } from '../schemas/user';
import type { MutationEnvelope } from '../sync/protocol';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const days = (n: number) => new Date(T0.getTime() + n * DAY_MS);
const preset = (p: '7d' | '30d' | '90d' | '365d' | 'lifetime'): Duration => ({
	kind: 'preset',
	preset: p
});

/** One simulated device: its own client id and mutation counter. */
function device(user: SessionUser) {
	const id = uuidv7();
	let next = 0;
	return {
		id,
		user,
		mutation(name: string, args: unknown): MutationEnvelope {
			next += 1;
			return envelope(next, name, args);
		}
	};
}
type Device = ReturnType<typeof device>;

describeEachDatabase('access grant rules (DESIGN.md §3)', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;
	let phone: Device;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		testClock.set(T0);
		await database.exec(
			'truncate clients, indicators, accesses, access_events, notifications, sync_clients, mutation_results, field_writes, users cascade'
		);
		admin = await makeUser(database.db, 'admin');
		phone = device(admin);
	});
	afterEach(() => testClock.reset());

	async function send(from: Device, name: string, args: unknown) {
		const response = await pushOne(database.db, from.user, from.id, [from.mutation(name, args)]);
		if (response.status !== 'ok') throw new Error(`push ${response.status}`);
		const [result] = response.results;
		if (!result) throw new Error('no result');
		return result;
	}
	async function applied(from: Device, name: string, args: unknown) {
		expect(await send(from, name, args)).toMatchObject({ outcome: 'applied' });
	}

	async function newClient(overrides: Record<string, unknown> = {}) {
		const args = clientArgs(overrides);
		await applied(phone, 'client.create', args);
		return args.id;
	}
	async function newIndicator(status = 'production') {
		const id = uuidv7();
		const pubId = `PUB;${id.replaceAll('-', '').slice(0, 32)}`;
		await applied(phone, 'indicator.create', {
			id,
			fields: { name: `Indicator ${id.slice(-4)}`, pubId, status }
		});
		return id;
	}
	const grantArgs = (
		clientId: string,
		indicatorIds: string[],
		duration: Duration = preset('30d'),
		accessType = 'paid'
	) => ({
		clientId,
		items: indicatorIds.map((indicatorId) => ({
			indicatorId,
			accessId: uuidv7(),
			eventId: uuidv7()
		})),
		duration,
		accessType,
		note: 'sold by phone'
	});
	const renewArgs = (accessId: string, baseEndsAt: string | null, duration = preset('7d')) => ({
		accessId,
		eventId: uuidv7(),
		conflictEventId: uuidv7(),
		notificationId: uuidv7(),
		baseEndsAt,
		duration,
		note: null
	});
	const openGrants = (clientId: string) =>
		database.db
			.select()
			.from(accesses)
			.where(and(eq(accesses.clientId, clientId), isNull(accesses.revokedAt)));
	const eventsOf = (accessId: string) =>
		database.db
			.select()
			.from(accessEvents)
			.where(eq(accessEvents.accessId, accessId))
			.orderBy(accessEvents.version);
	const grantOf = async (clientId: string, indicatorId: string) => {
		const [row] = (await openGrants(clientId)).filter((g) => g.indicatorId === indicatorId);
		if (!row) throw new Error('no open grant');
		return row;
	};

	it('multi-assign creates a grant per new pair and extends the open one, in one mutation', async () => {
		const client = await newClient();
		const [a, b, c] = [await newIndicator(), await newIndicator(), await newIndicator()];
		await applied(phone, 'access.grant', grantArgs(client, [a]));
		const before = await grantOf(client, a);
		expect(before.endsAt).toEqual(days(30));

		testClock.set(days(10));
		const args = grantArgs(client, [a, b, c], preset('30d'));
		await applied(phone, 'access.grant', args);

		const open = await openGrants(client);
		expect(open).toHaveLength(3);
		const extended = await grantOf(client, a);
		expect(extended.id).toBe(before.id); // never a second open grant for the pair
		expect(extended.endsAt).toEqual(days(60)); // from the current end, not from now
		expect(extended.tvState).toBe('pending');
		expect((await grantOf(client, b)).endsAt).toEqual(days(40));
		expect((await grantOf(client, b)).startsAt).toEqual(days(10));
		const aEvents = await eventsOf(before.id);
		expect(aEvents.map((e) => e.kind)).toEqual(['granted', 'renewed']);
		expect(aEvents[1]).toMatchObject({
			previousEndsAt: days(30),
			newEndsAt: days(60),
			preset: '30d',
			actor: admin.id
		});
		const bEvents = await eventsOf((await grantOf(client, b)).id);
		expect(bEvents.map((e) => e.kind)).toEqual(['granted']);
	});

	it('a retired indicator or an inactive client is refused with a reason, and nothing applies', async () => {
		const client = await newClient();
		const live = await newIndicator();
		const retired = await newIndicator('retired');
		expect(await send(phone, 'access.grant', grantArgs(client, [live, retired]))).toMatchObject({
			outcome: 'rejected',
			code: 'INDICATOR_RETIRED'
		});
		expect(await openGrants(client)).toHaveLength(0);

		const inactive = await newClient({ status: 'inactive' });
		expect(await send(phone, 'access.grant', grantArgs(inactive, [live]))).toMatchObject({
			outcome: 'rejected',
			code: 'CLIENT_INACTIVE'
		});
		expect(await openGrants(inactive)).toHaveLength(0);
	});

	it('an open grant of a now-retired indicator runs to its end but takes no renewal', async () => {
		const client = await newClient();
		const indicator = await newIndicator();
		await applied(phone, 'access.grant', grantArgs(client, [indicator]));
		await applied(phone, 'indicator.update', {
			id: indicator,
			base: null,
			patch: { status: 'retired' }
		});
		const grant = await grantOf(client, indicator);
		expect(
			await send(phone, 'access.renew', renewArgs(grant.id, grant.endsAt?.toISOString() ?? null))
		).toMatchObject({ outcome: 'rejected', code: 'INDICATOR_RETIRED' });
		expect((await grantOf(client, indicator)).endsAt).toEqual(days(30));
	});

	it('renewing an expired grant starts from now; re-granting an expired pair reopens its row', async () => {
		const client = await newClient();
		const [a, b] = [await newIndicator(), await newIndicator()];
		await applied(phone, 'access.grant', grantArgs(client, [a, b], preset('7d')));
		const grantA = await grantOf(client, a);
		testClock.set(days(20)); // both expired 13 days ago
		await applied(
			phone,
			'access.renew',
			renewArgs(grantA.id, days(7).toISOString(), preset('30d'))
		);
		expect((await grantOf(client, a)).endsAt).toEqual(days(50));

		const grantB = await grantOf(client, b);
		await applied(phone, 'access.grant', grantArgs(client, [b], preset('90d')));
		const reopened = await grantOf(client, b);
		expect(reopened.id).toBe(grantB.id);
		expect(reopened.endsAt).toEqual(days(110));
		expect((await eventsOf(grantB.id)).map((e) => e.kind)).toEqual(['granted', 'granted']);
	});

	it('a custom end date that would shorten the grant is refused; lifetime absorbs renewals', async () => {
		const client = await newClient();
		const indicator = await newIndicator();
		await applied(phone, 'access.grant', grantArgs(client, [indicator], preset('90d')));
		const grant = await grantOf(client, indicator);
		const shorter = { kind: 'until', endsAt: days(60).toISOString() } as const;
		expect(
			await send(phone, 'access.renew', renewArgs(grant.id, days(90).toISOString(), shorter))
		).toMatchObject({ outcome: 'rejected', code: 'END_NOT_LATER' });
		await applied(
			phone,
			'access.renew',
			renewArgs(grant.id, days(90).toISOString(), preset('lifetime'))
		);
		await applied(phone, 'access.renew', renewArgs(grant.id, null, preset('30d')));
		expect((await grantOf(client, indicator)).endsAt).toBeNull();
	});

	it('revoke then a late renewal: the renewal is rejected visibly and the grant stays revoked', async () => {
		const client = await newClient();
		const indicator = await newIndicator();
		await applied(phone, 'access.grant', grantArgs(client, [indicator]));
		const grant = await grantOf(client, indicator);
		const laptop = device(await makeUser(database.db, 'support'));

		await applied(phone, 'access.revoke', {
			accessId: grant.id,
			eventId: uuidv7(),
			reason: 'refund'
		});
		const late = await send(laptop, 'access.renew', renewArgs(grant.id, days(30).toISOString()));
		expect(late).toMatchObject({
			outcome: 'rejected',
			code: 'GRANT_REVOKED',
			params: { reason: 'refund' }
		});
		const [row] = await database.db.select().from(accesses).where(eq(accesses.id, grant.id));
		expect(row?.revokedAt).toEqual(T0);
		expect(row?.endsAt).toEqual(days(30));
		expect((await eventsOf(grant.id)).map((e) => e.kind)).toEqual(['granted', 'revoked']);
	});

	it('renewal then revoke: the grant ends revoked with its reason', async () => {
		const client = await newClient();
		const indicator = await newIndicator();
		await applied(phone, 'access.grant', grantArgs(client, [indicator]));
		const grant = await grantOf(client, indicator);
		await applied(phone, 'access.renew', renewArgs(grant.id, days(30).toISOString()));
		await applied(phone, 'access.revoke', {
			accessId: grant.id,
			eventId: uuidv7(),
			reason: 'chargeback'
		});
		// A second revoke (another device) changes nothing and is not an error.
		await applied(phone, 'access.revoke', {
			accessId: grant.id,
			eventId: uuidv7(),
			reason: 'again'
		});
		const [row] = await database.db.select().from(accesses).where(eq(accesses.id, grant.id));
		expect(row).toMatchObject({ revokeReason: 'chargeback', endsAt: days(37) });
		expect((await eventsOf(grant.id)).map((e) => e.kind)).toEqual([
			'granted',
			'renewed',
			'revoked'
		]);
	});

	it('two devices renew offline from the same base: both apply, one conflict_flagged, resolved with one click', async () => {
		const client = await newClient();
		const indicator = await newIndicator();
		await applied(phone, 'access.grant', grantArgs(client, [indicator]));
		const grant = await grantOf(client, indicator);
		const laptop = device(await makeUser(database.db, 'seller'));
		const base = days(30).toISOString();

		testClock.set(days(2));
		await applied(phone, 'access.renew', renewArgs(grant.id, base, preset('30d')));
		const second = renewArgs(grant.id, base, preset('30d'));
		await applied(laptop, 'access.renew', second);

		expect((await grantOf(client, indicator)).endsAt).toEqual(days(90)); // both applied
		const events = await eventsOf(grant.id);
		expect(events.map((e) => e.kind)).toEqual([
			'granted',
			'renewed',
			'renewed',
			'conflict_flagged'
		]);
		expect(events[3]).toMatchObject({
			id: second.conflictEventId,
			relatedEventId: second.eventId,
			previousEndsAt: days(30),
			newEndsAt: days(90)
		});
		const notes = await database.db
			.select()
			.from(notifications)
			.where(ne(notifications.kind, 'new_client'));
		expect(notes).toEqual([
			expect.objectContaining({
				id: second.notificationId,
				kind: 'double_renewal',
				entityId: grant.id,
				userId: null
			})
		]);

		// A renewal that saw the latest end is not a conflict.
		await applied(phone, 'access.renew', renewArgs(grant.id, days(90).toISOString(), preset('7d')));
		expect((await eventsOf(grant.id)).filter((e) => e.kind === 'conflict_flagged')).toHaveLength(1);

		// "Undo the second" takes back exactly what the second renewal added.
		const resolve = (resolution: string) => ({
			accessId: grant.id,
			conflictEventId: second.conflictEventId,
			eventId: uuidv7(),
			resolution
		});
		await applied(laptop, 'access.resolveConflict', resolve('undo_second'));
		expect((await grantOf(client, indicator)).endsAt).toEqual(days(67));
		expect(await send(phone, 'access.resolveConflict', resolve('keep_both'))).toMatchObject({
			outcome: 'rejected',
			code: 'CONFLICT_RESOLVED'
		});
		expect((await grantOf(client, indicator)).endsAt).toEqual(days(67));
	});

	it('"Keep both" leaves the end as it is and settles the conflict', async () => {
		const client = await newClient();
		const indicator = await newIndicator();
		await applied(phone, 'access.grant', grantArgs(client, [indicator]));
		const grant = await grantOf(client, indicator);
		const laptop = device(admin);
		const base = days(30).toISOString();
		await applied(phone, 'access.renew', renewArgs(grant.id, base));
		const second = renewArgs(grant.id, base);
		await applied(laptop, 'access.renew', second);
		await applied(laptop, 'access.resolveConflict', {
			accessId: grant.id,
			conflictEventId: second.conflictEventId,
			eventId: uuidv7(),
			resolution: 'keep_both'
		});
		expect((await grantOf(client, indicator)).endsAt).toEqual(days(44));
		const last = (await eventsOf(grant.id)).at(-1);
		expect(last).toMatchObject({ kind: 'conflict_resolved', preset: 'keep_both' });
	});

	it('one open grant per pair holds under concurrent pushes from many devices', async () => {
		const client = await newClient();
		const indicator = await newIndicator();
		const devices = await Promise.all(
			Array.from({ length: 6 }, async () => device(await makeUser(database.db, 'seller')))
		);
		const results = await Promise.all(
			devices.map((d) => send(d, 'access.grant', grantArgs(client, [indicator], preset('7d'))))
		);
		for (const result of results) expect(result).toMatchObject({ outcome: 'applied' });
		const open = await openGrants(client);
		expect(open).toHaveLength(1);
		expect(open[0]?.endsAt).toEqual(days(42)); // six additive 7-day sales
		const kinds = (await eventsOf(open[0]?.id ?? '')).map((e) => e.kind);
		expect(kinds.sort()).toEqual([
			'granted',
			'renewed',
			'renewed',
			'renewed',
			'renewed',
			'renewed'
		]);
	});

	it('support may renew but not grant or revoke; a client with open grants cannot be deleted', async () => {
		const client = await newClient();
		const indicator = await newIndicator();
		const support = device(await makeUser(database.db, 'support'));
		expect(await send(support, 'access.grant', grantArgs(client, [indicator]))).toMatchObject({
			outcome: 'rejected',
			code: 'FORBIDDEN'
		});
		await applied(phone, 'access.grant', grantArgs(client, [indicator]));
		const grant = await grantOf(client, indicator);
		await applied(support, 'access.renew', renewArgs(grant.id, days(30).toISOString()));
		expect(
			await send(support, 'access.revoke', { accessId: grant.id, eventId: uuidv7(), reason: 'x' })
		).toMatchObject({ outcome: 'rejected', code: 'FORBIDDEN' });

		expect(await send(phone, 'client.delete', { id: client })).toMatchObject({
			outcome: 'rejected',
			code: 'HAS_OPEN_GRANTS',
			params: { count: 1 }
		});
		await applied(phone, 'access.revoke', {
			accessId: grant.id,
			eventId: uuidv7(),
			reason: 'closing'
		});
		await applied(phone, 'client.delete', { id: client });
		const [row] = await database.db.select().from(clients).where(eq(clients.id, client));
		expect(row?.deletedAt).toEqual(T0);
	});
});
