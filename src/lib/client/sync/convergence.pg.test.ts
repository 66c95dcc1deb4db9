import fc from 'fast-check';
import { asc, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clients, mutationResults, syncClients } from '../../server/db/schema';
import { toWireRow } from '../../server/sync/tables';
import { clientCreate, clientDelete, clientUpdate } from '$lib/shared/mutators';
import { AppError } from '$lib/shared/errors';
import type { SessionUser } from '$lib/shared/schemas/user';
import {
	createRestartableDatabase,
	describeEachDatabase,
	type RestartableDatabase
} from '../../../../tests/helpers/db';
import {
	createDevice,
	retireEngines,
	prng,
	quiesce,
	type SimulatedDevice
} from '../../../../tests/helpers/devices';
import { makeUser } from '../../../../tests/helpers/sync';

const usernames = ['alpha', 'Bravo', 'charlie', 'delta', 'ECHO', 'foxtrot'];

type Command =
	| { kind: 'create'; device: number; username: number; name: string }
	| {
			kind: 'update';
			device: number;
			pick: number;
			field: 'fullName' | 'notes' | 'tradingviewUsername';
			value: number;
	  }
	| { kind: 'delete'; device: number; pick: number }
	| { kind: 'sync'; device: number }
	| { kind: 'offline'; device: number; offline: boolean }
	| { kind: 'faults'; device: number; level: 0 | 1 | 2 }
	| { kind: 'restart' };

const command: fc.Arbitrary<Command> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant('create' as const),
			device: fc.nat(3),
			username: fc.nat(usernames.length - 1),
			name: fc.string({ maxLength: 12 })
		})
	},
	{
		weight: 5,
		arbitrary: fc.record({
			kind: fc.constant('update' as const),
			device: fc.nat(3),
			pick: fc.nat(20),
			field: fc.constantFrom('fullName' as const, 'notes' as const, 'tradingviewUsername' as const),
			value: fc.nat(usernames.length - 1)
		})
	},
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant('delete' as const),
			device: fc.nat(3),
			pick: fc.nat(20)
		})
	},
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), device: fc.nat(3) }) },
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('offline' as const),
			device: fc.nat(3),
			offline: fc.boolean()
		})
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('faults' as const),
			device: fc.nat(3),
			level: fc.constantFrom(0 as const, 1 as const, 2 as const)
		})
	},
	{ weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) }
);

const faultLevels = [
	{ dropRequest: 0, dropResponse: 0, duplicate: 0 },
	{ dropRequest: 0.2, dropResponse: 0.2, duplicate: 0.2 },
	{ dropRequest: 0.4, dropResponse: 0.4, duplicate: 0.4 }
];

describeEachDatabase('convergence of simulated devices against the real server', (kind) => {
	let server: RestartableDatabase;
	let users: SessionUser[] = [];

	beforeAll(async () => {
		server = await createRestartableDatabase(kind);
	});
	afterAll(async () => {
		await server.dispose();
	});

	async function reset() {
		await retireEngines();
		await server.exec(
			'truncate clients, notifications, sync_clients, mutation_results, field_writes, users cascade'
		);
		users = [await makeUser(server.db, 'admin'), await makeUser(server.db, 'seller')];
	}

	async function serverClients() {
		const rows = await server.db.select().from(clients).orderBy(asc(clients.id));
		return rows.filter((r) => r.deletedAt === null).map((r) => toWireRow('clients', r));
	}

	async function run(commands: Command[], seed: number, deviceCount: number) {
		await reset();
		const random = prng(seed);
		const devices: SimulatedDevice[] = Array.from({ length: deviceCount }, (_, i) =>
			createDevice(`device ${i}`, () => server.db, users[i % users.length]!, random, {
				pullLimit: 3,
				// A device's background sync may overlap a restart: it runs between restarts.
				run: (fn) => server.run(fn),
				onCommitted: async () => {
					// The server committed and then died before answering.
					if (random() < 0.2) await server.restart();
				}
			})
		);
		const created = new Map<SimulatedDevice, Set<number>>(devices.map((d) => [d, new Set()]));
		const track = (device: SimulatedDevice, mutationId: number) =>
			created.get(device)?.add(mutationId);

		for (const cmd of commands) {
			if (cmd.kind === 'restart') {
				await server.restart();
				continue;
			}
			const device = devices[cmd.device % deviceCount]!;
			const known = await device.store.transaction((tx) => tx.entity('clients').toArray());
			try {
				switch (cmd.kind) {
					case 'create': {
						const { mutationId } = await device.engine.mutate(clientCreate, {
							id: uuidv7(),
							fields: { tradingviewUsername: usernames[cmd.username], fullName: cmd.name }
						});
						track(device, mutationId);
						break;
					}
					case 'update': {
						const row = known[cmd.pick % Math.max(1, known.length)];
						if (!row) break;
						const value =
							cmd.field === 'tradingviewUsername'
								? usernames[cmd.value]
								: `${cmd.field}-${cmd.value}-${device.name}`;
						const { mutationId } = await device.engine.mutate(clientUpdate, {
							id: row.id,
							base: row.version || null,
							patch: { [cmd.field]: value }
						});
						track(device, mutationId);
						break;
					}
					case 'delete': {
						const row = known[cmd.pick % Math.max(1, known.length)];
						if (!row) break;
						const { mutationId } = await device.engine.mutate(clientDelete, { id: row.id });
						track(device, mutationId);
						break;
					}
					case 'sync':
						await device.engine.requestSync();
						await device.engine.idle();
						break;
					case 'offline':
						device.transport.online = !cmd.offline;
						break;
					case 'faults':
						device.transport.faults = faultLevels[cmd.level]!;
						break;
				}
			} catch (error) {
				// Refused on the device already (e.g. a username it knows is taken): not queued.
				if (!(error instanceof AppError)) throw error;
			}
		}

		await quiesce(devices);

		const expected = await serverClients();
		for (const device of devices) {
			const local = (await device.store.transaction((tx) => tx.entity('clients').toArray())).sort(
				(a, b) => (a.id < b.id ? -1 : 1)
			);
			expect(local, `${device.name} equals the server`).toEqual(expected);
			expect(device.cursorWentBack, `${device.name} cursor never moved back`).toBe(false);
			expect(await device.store.transaction((tx) => tx.outbox.count())).toBe(0);

			// Every queued mutation was processed by the server exactly once (one result row each)...
			const results = await server.db
				.select()
				.from(mutationResults)
				.where(eq(mutationResults.clientId, device.engine.device.clientId))
				.orderBy(asc(mutationResults.mutationId));
			expect(results.map((r) => r.mutationId)).toEqual([...(created.get(device) ?? [])]);
			const [registered] = await server.db
				.select()
				.from(syncClients)
				.where(eq(syncClients.clientId, device.engine.device.clientId));
			expect(registered?.lastMutationId ?? 0).toBe(Math.max(0, ...(created.get(device) ?? [])));
			// ...and every refusal is visible on the device.
			const rejected = results.filter((r) => r.outcome === 'rejected').map((r) => r.mutationId);
			const visible = (await device.store.transaction((tx) => tx.rejections.toArray())).map(
				(r) => r.mutationId
			);
			expect(visible).toEqual(rejected);
		}
	}

	it('every device equals the server after quiescence, whatever the faults', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(command, { minLength: 5, maxLength: 40 }),
				fc.integer(),
				fc.integer({ min: 2, max: 4 }),
				(commands, seed, n) => run(commands, seed, n)
			),
			{ numRuns: kind === 'pglite' ? 25 : 15 }
		);
	}, 600_000);
});
