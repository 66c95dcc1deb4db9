import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pullAll, pushOne } from '../../../../tests/helpers/sync';
import {
	clients,
	indicators,
	indicatorVersions,
	notifications,
	VERSION_WRITE_LOCK
} from '../db/schema';
import { entityNames } from '$lib/shared/sync/entities';
import { seed } from '../seed';
import { pull } from './pull';
import { entityTables, toWireRow } from './tables';
import { push } from './push';
import type { SessionUser } from '$lib/shared/schemas/user';

describeEachDatabase('server push and pull', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;
	let device: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await database.exec(
			'truncate clients, indicators, accesses, access_events, notifications, sync_clients, mutation_results, field_writes, users cascade'
		);
		admin = await makeUser(database.db, 'admin');
		device = uuidv7();
	});

	const count = async () => (await database.db.select().from(clients)).length;

	it('a replayed push applies once and answers the same, sequentially and concurrently', async () => {
		const batch = [
			envelope(1, 'client.create', clientArgs()),
			envelope(2, 'client.create', clientArgs())
		];
		const first = await pushOne(database.db, admin, device, batch);
		expect(first).toEqual({
			status: 'ok',
			lastMutationId: 2,
			results: [
				{ id: 1, outcome: 'applied' },
				{ id: 2, outcome: 'applied' }
			]
		});
		expect(await pushOne(database.db, admin, device, batch)).toEqual(first);
		const replays = await Promise.all(
			Array.from({ length: 5 }, () => pushOne(database.db, admin, device, batch))
		);
		for (const replay of replays) expect(replay).toEqual(first);
		expect(await count()).toBe(2);

		const third = [envelope(3, 'client.create', clientArgs())];
		const concurrent = await Promise.all(
			Array.from({ length: 4 }, () => pushOne(database.db, admin, device, third))
		);
		for (const answer of concurrent)
			expect(answer).toEqual({
				status: 'ok',
				lastMutationId: 3,
				results: [{ id: 3, outcome: 'applied' }]
			});
		expect(await count()).toBe(3);
	});

	// PGlite has one connection, so only PostgreSQL can deadlock.
	if (kind === 'postgres')
		it('a push that PostgreSQL aborts as a deadlock is run again and applies once', async () => {
			await pushOne(database.db, admin, device, [envelope(1, 'client.create', clientArgs())]);
			const args = clientArgs();
			let holding!: () => void;
			const held = new Promise<void>((resolve) => (holding = resolve));
			// Another transaction holds the version lock, then asks for the device's row that the push
			// holds while it waits for that lock. Its long deadlock_timeout makes the push the one
			// PostgreSQL aborts.
			const other = database.db.transaction(async (tx) => {
				await tx.execute(sql`set local deadlock_timeout = '10s'`);
				await tx.execute(sql`select pg_advisory_xact_lock(${VERSION_WRITE_LOCK})`);
				holding();
				await new Promise((resolve) => setTimeout(resolve, 400));
				await tx.execute(sql`select 1 from sync_clients where client_id = ${device} for update`);
			});
			await held;
			const [answer] = await Promise.all([
				pushOne(database.db, admin, device, [envelope(2, 'client.create', args)]),
				other
			]);
			expect(answer).toEqual({
				status: 'ok',
				lastMutationId: 2,
				results: [{ id: 2, outcome: 'applied' }]
			});
			expect(await database.db.select().from(clients).where(eq(clients.id, args.id))).toHaveLength(
				1
			);
		});

	it('refuses a gap and applies nothing of that batch', async () => {
		await pushOne(database.db, admin, device, [envelope(1, 'client.create', clientArgs())]);
		expect(
			await pushOne(database.db, admin, device, [envelope(3, 'client.create', clientArgs())])
		).toEqual({
			status: 'gap',
			lastMutationId: 1
		});
		expect(
			await pushOne(database.db, admin, device, [
				envelope(2, 'client.create', clientArgs()),
				envelope(4, 'client.create', clientArgs())
			])
		).toEqual({ status: 'gap', lastMutationId: 1 });
		expect(await count()).toBe(1);
	});

	it('a rejection is a result that does not block later mutations, and replays answer it again', async () => {
		const taken = clientArgs({ tradingviewUsername: 'TakenName' });
		await pushOne(database.db, admin, device, [envelope(1, 'client.create', taken)]);
		const other = uuidv7();
		const batch = [
			envelope(1, 'client.create', clientArgs({ tradingviewUsername: '@takenname' })),
			envelope(2, 'client.create', clientArgs()),
			envelope(3, 'client.update', { id: uuidv7(), base: null, patch: { fullName: 'x' } }),
			envelope(4, 'no.such.mutator', {}),
			envelope(5, 'client.create', { id: 'not-a-uuid', fields: {} })
		];
		const answer = await pushOne(database.db, admin, other, batch);
		expect(answer).toEqual({
			status: 'ok',
			lastMutationId: 5,
			results: [
				{
					id: 1,
					outcome: 'rejected',
					code: 'USERNAME_TAKEN',
					params: { clientId: taken.id, username: 'TakenName' }
				},
				{ id: 2, outcome: 'applied' },
				{ id: 3, outcome: 'rejected', code: 'NOT_FOUND', params: { entity: 'clients' } },
				{
					id: 4,
					outcome: 'rejected',
					code: 'UNKNOWN_MUTATOR',
					params: { name: 'no.such.mutator' }
				},
				expect.objectContaining({ id: 5, outcome: 'rejected', code: 'VALIDATION' })
			]
		});
		expect(await pushOne(database.db, admin, other, batch)).toEqual(answer);
		expect(await count()).toBe(2);
	});

	it('checks each pushed mutation against the permission table', async () => {
		const support = await makeUser(database.db, 'support');
		const answer = await pushOne(database.db, support, uuidv7(), [
			envelope(1, 'client.create', clientArgs())
		]);
		expect(answer).toMatchObject({ results: [{ outcome: 'rejected', code: 'FORBIDDEN' }] });
		const seller = await makeUser(database.db, 'seller');
		const ok = await pushOne(database.db, seller, uuidv7(), [
			envelope(1, 'client.create', clientArgs()),
			envelope(2, 'indicator.create', {
				id: uuidv7(),
				fields: { name: 'X', pubId: 'PUB;' + 'a'.repeat(32) }
			})
		]);
		expect(ok).toMatchObject({
			results: [{ outcome: 'applied' }, { outcome: 'rejected', code: 'FORBIDDEN' }]
		});
	});

	it('binds a device id to one user', async () => {
		await pushOne(database.db, admin, device, [envelope(1, 'client.create', clientArgs())]);
		const seller = await makeUser(database.db, 'seller');
		expect(
			await pushOne(database.db, seller, device, [envelope(2, 'client.create', clientArgs())])
		).toEqual({
			status: 'reset',
			reason: 'device-user-mismatch'
		});
		expect(
			await pull(database.db, seller, { clientId: device, schemaVersion: 1, cursor: 0 })
		).toEqual({
			status: 'reset',
			reason: 'device-user-mismatch'
		});
	});

	it('refuses client schema versions outside the supported range on push and pull', async () => {
		const old = await push(database.db, admin, {
			clientId: device,
			schemaVersion: 0,
			mutations: [envelope(1, 'client.create', clientArgs())]
		});
		expect(old).toEqual({ status: 'unsupported-schema', min: 1, max: 2 });
		expect(
			await pull(database.db, admin, { clientId: device, schemaVersion: 99, cursor: 0 })
		).toMatchObject({
			status: 'unsupported-schema'
		});
		expect(await count()).toBe(0);
	});

	it('pulls pages in version order with tombstones, the last mutation id and progress', async () => {
		const created = Array.from({ length: 7 }, () => clientArgs());
		await pushOne(
			database.db,
			admin,
			device,
			created.map((args, i) => envelope(i + 1, 'client.create', args))
		);
		await pushOne(database.db, admin, device, [
			envelope(8, 'client.delete', { id: created[0]!.id })
		]);
		const { pages, last } = await pullAll(database.db, admin, device, 0, 3);
		// 7 clients and their 7 "new client" notifications, 3 rows a page.
		expect(pages.length).toBe(5);
		expect(pages[0]?.total).toBe(14);
		expect(pages.every((p, i) => (i === 0 ? true : p.cursor > (pages[i - 1]?.cursor ?? 0)))).toBe(
			true
		);
		const rows = pages.flatMap((p) => p.rows.clients ?? []);
		// The deleted client is delivered once, as a tombstone at its latest version.
		expect(rows).toHaveLength(7);
		expect(rows.find((r) => r.id === created[0]!.id)?.deletedAt).toEqual(expect.any(String));
		expect(
			rows.every((r) => typeof r.registeredAt === 'string' && r.registeredAt.endsWith('Z'))
		).toBe(true);
		expect(last.lastMutationId).toBe(8);
		expect(last.more).toBe(false);
		// Nothing new: an empty page at the same cursor.
		const again = await pullAll(database.db, admin, device, last.cursor);
		expect(again.last).toMatchObject({ cursor: last.cursor, rows: {}, more: false });
	});

	it('reports rejections whose push answer was lost when asked from pendingFrom', async () => {
		await pushOne(database.db, admin, device, [
			envelope(1, 'client.create', clientArgs({ tradingviewUsername: 'dup' }))
		]);
		await pushOne(database.db, admin, device, [
			envelope(2, 'client.create', clientArgs({ tradingviewUsername: 'DUP' }))
		]);
		const page = await pull(database.db, admin, {
			clientId: device,
			schemaVersion: 1,
			cursor: 0,
			pendingFrom: 2
		});
		expect(page).toMatchObject({
			status: 'ok',
			lastMutationId: 2,
			rejected: [{ id: 2, code: 'USERNAME_TAKEN' }]
		});
	});

	it('merges concurrent edits per field and tells the author whose value was overwritten', async () => {
		const args = clientArgs();
		await pushOne(database.db, admin, device, [envelope(1, 'client.create', args)]);
		const [row] = await database.db.select().from(clients).where(eq(clients.id, args.id));
		const base = row!.version;
		const seller = await makeUser(database.db, 'seller');
		const deviceB = uuidv7();
		// Both edited from the same base; A changes the name, B the email and then also the name.
		await pushOne(database.db, admin, device, [
			envelope(2, 'client.update', { id: args.id, base, patch: { fullName: 'From A' } })
		]);
		await pushOne(database.db, seller, deviceB, [
			envelope(1, 'client.update', { id: args.id, base, patch: { email: 'b@example.test' } }),
			envelope(2, 'client.update', { id: args.id, base, patch: { fullName: 'From B' } })
		]);
		const [merged] = await database.db.select().from(clients).where(eq(clients.id, args.id));
		expect(merged).toMatchObject({ fullName: 'From B', email: 'b@example.test' });
		const notices = await database.db
			.select()
			.from(notifications)
			.where(eq(notifications.kind, 'edit_overwritten'));
		expect(notices).toHaveLength(1);
		expect(notices[0]).toMatchObject({
			kind: 'edit_overwritten',
			entity: 'clients',
			entityId: args.id,
			userId: admin.id,
			data: { field: 'fullName', lostValue: 'From A', wonValue: 'From B', byUserId: seller.id }
		});
		// The notice reaches the loser's devices by pull, and only theirs.
		const adminPull = await pullAll(database.db, admin, device);
		const overwritten = (pages: typeof adminPull.pages) =>
			pages.flatMap((p) => p.rows.notifications ?? []).filter((n) => n.kind === 'edit_overwritten');
		expect(overwritten(adminPull.pages)).toHaveLength(1);
		const sellerPull = await pullAll(database.db, seller, deviceB);
		expect(overwritten(sellerPull.pages)).toHaveLength(0);
	});

	it('refuses an edit to a record deleted elsewhere instead of resurrecting it', async () => {
		const args = clientArgs();
		await pushOne(database.db, admin, device, [
			envelope(1, 'client.create', args),
			envelope(2, 'client.delete', { id: args.id })
		]);
		const offline = uuidv7();
		const answer = await pushOne(database.db, admin, offline, [
			envelope(1, 'client.update', { id: args.id, base: 1, patch: { notes: 'late edit' } })
		]);
		expect(answer).toMatchObject({ results: [{ outcome: 'rejected', code: 'RECORD_DELETED' }] });
		const [row] = await database.db.select().from(clients).where(eq(clients.id, args.id));
		expect(row?.deletedAt).toBeInstanceOf(Date);
		expect(row?.notes).toBeNull();
	});

	it('uses the server clock for registered_at whatever the device sent', async () => {
		const args = clientArgs({ registeredAt: '2001-01-01T00:00:00.000Z' });
		const answer = await pushOne(database.db, admin, device, [envelope(1, 'client.create', args)]);
		expect(answer).toMatchObject({ results: [{ outcome: 'applied' }] });
		const [row] = await database.db.select().from(clients).where(eq(clients.id, args.id));
		expect(Math.abs(row!.registeredAt.getTime() - Date.now())).toBeLessThan(60_000);
	});

	it('releases an indicator version: history appended, current version and date updated, duplicates refused', async () => {
		const id = uuidv7();
		await pushOne(database.db, admin, device, [
			envelope(1, 'indicator.create', {
				id,
				fields: { name: 'Trend', pubId: 'PUB;' + 'b'.repeat(32), releaseVersion: '1.0' }
			}),
			envelope(2, 'indicator.release', {
				id: uuidv7(),
				indicatorId: id,
				releaseVersion: '1.1',
				notes: 'Faster'
			}),
			envelope(3, 'indicator.release', {
				id: uuidv7(),
				indicatorId: id,
				releaseVersion: '1.1',
				notes: 'again'
			})
		]).then((answer) =>
			expect(answer).toMatchObject({
				results: [
					{ outcome: 'applied' },
					{ outcome: 'applied' },
					{ outcome: 'rejected', code: 'VERSION_EXISTS' }
				]
			})
		);
		const [indicator] = await database.db.select().from(indicators).where(eq(indicators.id, id));
		expect(indicator?.releaseVersion).toBe('1.1');
		const history = await database.db
			.select()
			.from(indicatorVersions)
			.where(eq(indicatorVersions.indicatorId, id));
		expect(history.map((v) => [v.releaseVersion, v.notes])).toEqual([['1.1', 'Faster']]);
	});

	it('pages across every table: each row once, in version order, exactly as the database holds it', async () => {
		await seed(database.db, {
			clients: 12,
			indicators: 2,
			accesses: 25,
			seed: 'pull pages',
			now: new Date('2026-03-01T00:00:00Z'),
			reset: true
		});
		// A timestamp with microseconds: the device gets milliseconds, as Date#toISOString gives.
		await database.exec(
			"update clients set registered_at = '2025-05-06 07:08:09.123987+00' where id = (select id from clients order by id limit 1)"
		);
		const expected = Object.fromEntries(
			await Promise.all(
				entityNames.map(async (entity) => {
					const rows = await database.db.select().from(entityTables[entity] as typeof clients);
					return [
						entity,
						rows
							.map((row) => toWireRow(entity, row as unknown as Record<string, unknown>))
							.sort((a, b) => a.version - b.version)
					] as const;
				})
			)
		);
		const totalRows = Object.values(expected).reduce((sum, rows) => sum + rows.length, 0);
		expect(expected.accessEvents!.length).toBeGreaterThan(0);
		expect(expected.transactions!.length).toBeGreaterThan(0);

		for (const limit of [7, 20_000]) {
			const { pages } = await pullAll(database.db, admin, device, 0, limit);
			expect(pages.length).toBe(Math.ceil(totalRows / limit));
			expect(pages[0]?.total).toBe(totalRows);
			let previous = 0;
			for (const page of pages) {
				const versions = Object.values(page.rows)
					.flat()
					.map((row) => row.version);
				// Each page is the next stretch of the global version order, and the cursor its end.
				expect(Math.min(...versions)).toBeGreaterThan(previous);
				expect(Math.max(...versions)).toBe(page.cursor);
				expect(versions.length).toBeLessThanOrEqual(limit);
				previous = page.cursor;
			}
			for (const entity of entityNames) {
				const got = pages
					.flatMap((page) => (page.rows[entity] ?? []) as Array<{ version: number }>)
					.sort((a, b) => a.version - b.version);
				expect(got, `${entity} with pages of ${limit}`).toEqual(expected[entity]);
			}
		}
	});
});
