import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pullAll, pushOne } from '../../../../tests/helpers/sync';
import type { SessionUser } from '$lib/shared/schemas/user';
import { entitiesForSchema, entityNames, type EntityName } from '$lib/shared/sync/entities';
import {
	CLIENT_SCHEMA_VERSION,
	decodeSnapshotPiece,
	type PullRows,
	type SnapshotPiece
} from '$lib/shared/sync/protocol';
import { rowsOf } from '../db/rows';
import { seed } from '../seed';
import { entityTables, toWireRow } from './tables';
import { snapshot, snapshotWire } from './snapshot';
import { IDLE_MS, settledAhead, stats } from './snapshot-ahead';
import type { clients } from '../db/schema';

type Row = { id: string; version: number; deletedAt: string | null };

describeEachDatabase('sync.snapshot', (kind) => {
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
			'truncate clients, indicators, accesses, access_events, notifications, sync_clients, mutation_results, field_writes, users cascade; update sync_state set purged_through_version = 0'
		);
		admin = await makeUser(database.db, 'admin');
		device = uuidv7();
	});

	/** Every row of every table as the server holds it, tombstones included, by entity and id. */
	async function serverRows(): Promise<Map<EntityName, Map<string, Row>>> {
		const out = new Map<EntityName, Map<string, Row>>();
		for (const entity of entityNames) {
			const rows = await database.db.select().from(entityTables[entity] as typeof clients);
			out.set(
				entity,
				new Map(
					rows.map((row) => {
						const wire = toWireRow(entity, row);
						return [wire.id, wire];
					})
				)
			);
		}
		return out;
	}

	const live = (rows: Map<EntityName, Map<string, Row>>) =>
		new Map(
			[...rows].map(([entity, byId]) => [
				entity,
				new Map([...byId].filter(([, row]) => row.deletedAt === null))
			])
		);

	/** A small seeded history as of 2026-03-01, replacing what the database held. */
	const seedSet = (
		name: string,
		sizes: { clients: number; indicators: number; accesses: number }
	) =>
		seed(database.db, { ...sizes, seed: name, now: new Date('2026-03-01T00:00:00Z'), reset: true });

	/** Walks the whole snapshot, calling `between` after each piece; returns the pieces. */
	async function walk(limit: number, between: () => Promise<void> = async () => {}) {
		const pieces: Array<{ rows: PullRows; total: number | null }> = [];
		let version: number | null = null;
		let from = null;
		for (;;) {
			const answer = await snapshot(database.db, admin, {
				clientId: device,
				schemaVersion: CLIENT_SCHEMA_VERSION,
				version,
				from,
				limit
			});
			if (answer.status !== 'ok') throw new Error(`snapshot ${answer.status}`);
			if (version !== null) expect(answer.version).toBe(version);
			version = answer.version;
			pieces.push({ rows: answer.rows, total: answer.total });
			if (!answer.next) return { pieces, version };
			from = answer.next;
			await between();
		}
	}

	/** What a device holds after the snapshot's pieces and then every pull page from its version. */
	async function deviceAfter(pieces: Array<{ rows: PullRows }>, version: number) {
		const held = new Map<EntityName, Map<string, Row>>(
			entityNames.map((entity) => [entity, new Map()])
		);
		for (const piece of pieces)
			for (const [entity, rows] of Object.entries(piece.rows) as Array<[EntityName, Row[]]>)
				for (const row of rows) {
					expect(held.get(entity)!.has(row.id), `${entity} ${row.id} sent twice`).toBe(false);
					held.get(entity)!.set(row.id, row);
				}
		const { pages } = await pullAll(database.db, admin, device, version, 50);
		for (const page of pages)
			for (const [entity, rows] of Object.entries(page.rows) as Array<[EntityName, Row[]]>)
				for (const row of rows)
					if (row.deletedAt === null) held.get(entity)!.set(row.id, row);
					else held.get(entity)!.delete(row.id);
		return held;
	}

	it('holds every live row once, each table in id order, as of one version a pull goes on from', async () => {
		await seedSet('snapshot', { clients: 30, indicators: 3, accesses: 60 });
		await database.exec(
			'update clients set deleted_at = now() where id in (select id from clients order by id limit 4)'
		);
		const expected = live(await serverRows());
		const totalRows = [...expected.values()].reduce((sum, rows) => sum + rows.size, 0);
		expect(expected.get('accessEvents')!.size).toBeGreaterThan(0);

		for (const limit of [7, 20_000]) {
			const { pieces, version } = await walk(limit);
			expect(pieces[0]?.total).toBe(totalRows);
			expect(pieces.slice(1).every((piece) => piece.total === null)).toBe(true);
			for (const piece of pieces) {
				const sizes = Object.values(piece.rows).map((rows) => rows.length);
				expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(limit);
			}
			expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil(totalRows / limit));
			for (const entity of entityNames) {
				const got = pieces.flatMap((piece) => (piece.rows[entity] ?? []) as Row[]);
				expect(got.map((row) => row.id)).toEqual([...got.map((row) => row.id)].sort());
				expect(new Map(got.map((row) => [row.id, row])), entity).toEqual(expected.get(entity));
			}
			// Nothing changed since: the pull from the snapshot's version is empty.
			const after = await pullAll(database.db, admin, device, version, 50);
			expect(after.pages.flatMap((page) => Object.values(page.rows).flat())).toEqual([]);
			expect(version).toBe(
				Math.max(
					...[...(await serverRows()).values()].flatMap((rows) =>
						[...rows.values()].map((row) => row.version)
					)
				)
			);
		}
	});

	it('marks runs of live rows for a device that stores slices, in rows the unmarked answer also has', async () => {
		await seedSet('snapshot slices', { clients: 30, indicators: 3, accesses: 40 });
		// Deleted rows among live ones: a run counts live rows only.
		await database.exec(
			'update clients set deleted_at = now() where id in (select id from (select id, row_number() over (order by id) as n from clients) c where n % 4 = 2)'
		);
		for (const [limit, slice] of [
			[9, 2],
			[20_000, 3],
			[20_000, 1]
		] as const) {
			const walkWire = async (withSlice: boolean) => {
				const clientId = uuidv7();
				const out: SnapshotPiece[] = [];
				let version: number | null = null;
				let from = null;
				for (;;) {
					const request = { clientId, schemaVersion: CLIENT_SCHEMA_VERSION, version, from, limit };
					const wire = await snapshotWire(
						database.db,
						admin,
						withSlice ? { ...request, slice } : request
					);
					const piece = decodeSnapshotPiece(wire, withSlice ? slice : undefined);
					if (piece.status !== 'ok') throw new Error(piece.status);
					out.push(piece);
					await settledAhead(database.db, clientId);
					if (!piece.next) return out;
					version = piece.version;
					from = piece.next;
				}
			};
			const plain = await walkWire(false);
			const marked = await walkWire(true);
			expect(marked.length).toBe(plain.length);
			let runs = 0;
			for (const [n, piece] of marked.entries()) {
				if (piece.status !== 'ok') throw new Error(piece.status);
				const other = plain[n];
				if (other?.status !== 'ok') throw new Error('unmarked walk ended early');
				for (const [entity, table] of Object.entries(piece.tables)) {
					const { sliced, ...rows } = table;
					expect(rows, entity).toEqual(other.tables[entity as EntityName]);
					expect(sliced?.rows, entity).toBe(slice);
					// Each run's text is exactly its rows.
					const texts = sliced?.texts ?? [];
					expect(texts.map((text) => JSON.parse(`[${text}]`) as unknown)).toEqual(
						Array.from({ length: Math.ceil(rows.values.length / slice) }, (_, k) =>
							rows.values.slice(k * slice, (k + 1) * slice)
						)
					);
					runs += texts.length;
				}
			}
			expect(runs).toBeGreaterThan(marked.length);
		}
	});

	/** The device's pieces of five rows, from a place among the clients. */
	const ask = (version: number | null, from: { entity: 'clients'; after: string } | null) =>
		snapshot(database.db, admin, {
			clientId: device,
			schemaVersion: CLIENT_SCHEMA_VERSION,
			version,
			from,
			limit: 5
		});

	it('reads the next piece ahead, serves it when nothing was written since, and reads again when something was', async () => {
		await seedSet('snapshot ahead', { clients: 20, indicators: 2, accesses: 10 });
		const first = await ask(null, null);
		if (first.status !== 'ok' || !first.next) throw new Error('expected more pieces');
		await settledAhead(database.db, device);

		// Nothing written: the piece read ahead is the answer.
		const before = { ...stats };
		const second = await ask(first.version, first.next as { entity: 'clients'; after: string });
		if (second.status !== 'ok' || !second.next) throw new Error('expected more pieces');
		expect(stats.served).toBe(before.served + 1);
		await settledAhead(database.db, device);

		// A client of the third piece renamed after it was read ahead: read again, so the client is
		// left to the pull (changed after the snapshot's version), not sent stale.
		const third = (second.rows.clients ?? []).length === 0 ? null : second.next;
		if (!third || third.entity !== 'clients') throw new Error('expected a third piece of clients');
		const [renamed] = rowsOf<{ id: string }>(
			await database.db.execute(
				sql`select id from clients where id > ${third.after} order by id limit 1`
			)
		);
		await database.db.execute(
			sql`update clients set full_name = 'Renamed after' where id = ${renamed!.id}`
		);
		const answer = await ask(first.version, third as { entity: 'clients'; after: string });
		if (answer.status !== 'ok') throw new Error(answer.status);
		expect(stats.discarded).toBe(before.discarded + 1);
		expect((answer.rows.clients ?? []).map((row) => row.id)).not.toContain(renamed!.id);
		// Another request than the one read ahead for: read as asked.
		await settledAhead(database.db, device);
		const other = await ask(first.version, first.next as { entity: 'clients'; after: string });
		expect(other.status === 'ok' && other.rows.clients?.map((row) => row.id)).toEqual(
			second.rows.clients?.map((row) => row.id)
		);
		expect(stats.served).toBe(before.served + 1);
	});

	it('reads further ahead while the device does not ask, and serves those pieces in turn', async () => {
		await seedSet('snapshot further', { clients: 40, indicators: 2, accesses: 10 });
		const first = await ask(null, null);
		if (first.status !== 'ok' || !first.next) throw new Error('expected more pieces');
		const before = { ...stats };
		// The device is busy (publishing a table) for longer than IDLE_MS after each read.
		await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 4 + 500));
		await settledAhead(database.db, device);
		expect(stats.later).toBeGreaterThan(before.later + 1);
		// Each piece read ahead is served in turn, as a fresh read would answer.
		let piece: Awaited<ReturnType<typeof ask>> = first;
		const served: string[] = [];
		while (piece.status === 'ok' && piece.next && piece.next.entity === 'clients') {
			piece = await ask(first.version, piece.next as { entity: 'clients'; after: string });
			if (piece.status === 'ok') served.push(...(piece.rows.clients ?? []).map((row) => row.id));
		}
		expect(stats.served).toBeGreaterThan(before.served + 2);
		const all = rowsOf<{ id: string }>(
			await database.db.execute(sql`select id from clients order by id`)
		).map((row) => row.id);
		expect(served).toEqual(all.slice(5));
	});

	it('rows written while the pieces are fetched arrive with the pull, none lost, twice or stale', async () => {
		await seedSet('snapshot writes', { clients: 12, indicators: 2, accesses: 16 });
		let mutationId = 0;
		const write = fc.oneof(
			fc.record({ kind: fc.constant('rename' as const), pick: fc.nat(), name: fc.string() }),
			fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
			fc.record({ kind: fc.constant('create' as const) })
		);
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.array(write, { maxLength: 3 }), { minLength: 1, maxLength: 12 }),
				// Pieces of 10 rows or more: a few to a dozen calls a walk, each with writes after it.
				fc.integer({ min: 10, max: 40 }),
				async (batches, limit) => {
					let step = 0;
					const { pieces, version } = await walk(limit, async () => {
						for (const change of batches[step++ % batches.length] ?? []) {
							if (change.kind === 'create') {
								await pushOne(database.db, admin, device, [
									envelope(++mutationId, 'client.create', clientArgs())
								]);
								continue;
							}
							const rows = rowsOf<{ id: string }>(
								await database.db.execute(
									sql`select id from clients where deleted_at is null order by id`
								)
							);
							const id = rows[change.pick % Math.max(rows.length, 1)]?.id;
							if (!id) continue;
							await database.db.execute(
								change.kind === 'rename'
									? sql`update clients set full_name = ${`Renamed ${change.name}`} where id = ${id}`
									: sql`update clients set deleted_at = now() where id = ${id}`
							);
						}
					});
					expect(await deviceAfter(pieces, version)).toEqual(live(await serverRows()));
				}
			),
			{ numRuns: 8 }
		);
	});

	it('leaves out what the device may not see or has no table for', async () => {
		const other = await makeUser(database.db, 'admin');
		await database.exec(
			`insert into notifications (id, kind, entity, at, user_id) values
			('${uuidv7()}', 'test', 'client', now(), '${other.id}'),
			('${uuidv7()}', 'test', 'client', now(), '${admin.id}'),
			('${uuidv7()}', 'test', 'client', now(), null)`
		);
		const { pieces } = await walk(100);
		const seen = pieces.flatMap((piece) => piece.rows.notifications ?? []);
		expect(seen.map((row) => row.userId).sort()).toEqual([admin.id, null].sort());

		await pushOne(database.db, admin, device, [envelope(1, 'client.create', clientArgs())]);
		const oldDevice = uuidv7();
		const answer = await snapshot(database.db, admin, {
			clientId: oldDevice,
			schemaVersion: 1,
			limit: 1000
		});
		if (answer.status !== 'ok') throw new Error(answer.status);
		expect(Object.keys(answer.rows)).not.toContain('recordEdits');
		expect(entitiesForSchema(1)).not.toContain('recordEdits');
		expect(answer.rows.clients).toHaveLength(1);
	});

	it('answers an old schema, another user’s device and a purged version as pull does', async () => {
		expect(
			await snapshot(database.db, admin, { clientId: device, schemaVersion: 99 })
		).toMatchObject({ status: 'unsupported-schema' });
		await pushOne(database.db, admin, device, [envelope(1, 'client.create', clientArgs())]);
		const stranger = await makeUser(database.db, 'admin');
		expect(
			await snapshot(database.db, stranger, {
				clientId: device,
				schemaVersion: CLIENT_SCHEMA_VERSION
			})
		).toEqual({ status: 'reset', reason: 'device-user-mismatch' });
		const first = await snapshot(database.db, admin, {
			clientId: device,
			schemaVersion: CLIENT_SCHEMA_VERSION
		});
		if (first.status !== 'ok') throw new Error(first.status);
		await database.exec(`update sync_state set purged_through_version = ${first.version + 5}`);
		expect(
			await snapshot(database.db, admin, {
				clientId: device,
				schemaVersion: CLIENT_SCHEMA_VERSION,
				version: first.version,
				from: { entity: 'clients', after: null }
			})
		).toEqual({ status: 'reset', reason: 'cursor-too-old' });
	});
});
