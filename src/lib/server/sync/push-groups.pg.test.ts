import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import type { MutationEnvelope, MutationResult } from '$lib/shared/sync/protocol';
import type { SessionUser } from '$lib/shared/schemas/user';
import { clients, mutationResults, syncClients } from '../db/schema';
import { MUTATIONS_PER_TRANSACTION } from './push';

// A push's mutations are applied a group at a time, each group in one transaction with a savepoint
// per mutation (docs/decisions.md §24g). These check that the grouping changes nothing a device
// can see: every mutation once, in order, each with its own result.

describeEachDatabase('push in groups', (kind) => {
	const db = useTestDatabase(
		kind,
		'clients, indicators, accesses, access_events, notifications, sync_clients, mutation_results, field_writes, record_edits, users'
	);
	let admin: SessionUser;
	let device: string;

	beforeEach(async () => {
		// The failure test's trigger, should that test have stopped before dropping it.
		await db.current.exec('drop trigger if exists clients_boom on clients');
		admin = await makeUser(db.current.db, 'admin');
		device = uuidv7();
	});

	const lastMutationId = async () =>
		(await db.current.db.select().from(syncClients).where(eq(syncClients.clientId, device)))[0]
			?.lastMutationId;
	const storedResults = async () =>
		(
			await db.current.db
				.select({ id: mutationResults.mutationId, outcome: mutationResults.outcome })
				.from(mutationResults)
				.where(eq(mutationResults.clientId, device))
		).sort((a, b) => a.id - b.id);

	it('a push longer than a group: each mutation once, in order, with its own result; replays answer the same', async () => {
		const group = MUTATIONS_PER_TRANSACTION;
		const total = 2 * group + 7;
		const taken = clientArgs({ tradingviewUsername: 'TakenAtTheBoundary' });
		const created = Array.from({ length: total }, () => clientArgs());
		const batch: MutationEnvelope[] = created.map((args, i) =>
			envelope(i + 1, 'client.create', args)
		);
		// A refusal as the last of the first group and as the first of the second, and a client
		// created in one group and renamed in the next.
		batch[0] = envelope(1, 'client.create', taken);
		batch[group - 1] = envelope(
			group,
			'client.create',
			clientArgs({ tradingviewUsername: 'takenattheboundary' })
		);
		batch[group] = envelope(group + 1, 'client.update', {
			id: created[1]!.id,
			base: null,
			patch: { fullName: 'Renamed across groups' }
		});
		batch[group + 1] = envelope(group + 2, 'client.update', {
			id: uuidv7(),
			base: null,
			patch: { fullName: 'x' }
		});

		const answer = await pushOne(db.current.db, admin, device, batch);
		expect(answer.status).toBe('ok');
		if (answer.status !== 'ok') return;
		expect(answer.lastMutationId).toBe(total);
		const outcomes = answer.results.map((r: MutationResult) => [r.id, r.outcome]);
		expect(outcomes).toEqual(
			batch.map((m) => [m.id, m.id === group || m.id === group + 2 ? 'rejected' : 'applied'])
		);
		expect(answer.results[group - 1]).toMatchObject({ code: 'USERNAME_TAKEN' });
		expect(answer.results[group + 1]).toMatchObject({ code: 'NOT_FOUND' });
		expect(await lastMutationId()).toBe(total);
		expect(await storedResults()).toEqual(
			answer.results.map((r) => ({ id: r.id, outcome: r.outcome }))
		);
		const [renamed] = await db.current.db
			.select()
			.from(clients)
			.where(eq(clients.id, created[1]!.id));
		expect(renamed?.fullName).toBe('Renamed across groups');
		const before = (await db.current.db.select().from(clients)).length;
		expect(before).toBe(total - 3);

		// A replay of a window across the groups' boundary, and one going further: the first answers
		// as before, the second applies only what is new.
		const window = batch.slice(group - 5, group + 5);
		expect(await pushOne(db.current.db, admin, device, window)).toEqual({
			status: 'ok',
			lastMutationId: group + 5,
			results: answer.results.slice(group - 5, group + 5)
		});
		const further = [...batch.slice(total - 3), envelope(total + 1, 'client.create', clientArgs())];
		const next = await pushOne(db.current.db, admin, device, further);
		expect(next).toEqual({
			status: 'ok',
			lastMutationId: total + 1,
			results: [...answer.results.slice(total - 3), { id: total + 1, outcome: 'applied' }]
		});
		expect((await db.current.db.select().from(clients)).length).toBe(before + 1);
		expect(await lastMutationId()).toBe(total + 1);
	});

	it('a failure that is not a refusal undoes its whole group, results included; the retry applies each once', async () => {
		// An error no mutation answers as a refusal (a trigger raising P0001), in the group's second
		// mutation: the push fails as a whole, as a lost connection would.
		await db.current.exec(`
			create or replace function clients_boom() returns trigger language plpgsql as $$
			begin
				if new.full_name = 'Boom' then raise exception 'boom'; end if;
				return new;
			end $$;
			create trigger clients_boom before insert on clients for each row execute function clients_boom();
		`);
		const first = clientArgs();
		const boom = clientArgs({ fullName: 'Boom' });
		const third = clientArgs();
		const batch = [
			envelope(1, 'client.create', first),
			envelope(2, 'client.create', boom),
			envelope(3, 'client.create', third)
		];
		await expect(pushOne(db.current.db, admin, device, batch)).rejects.toThrow();
		expect(await db.current.db.select().from(clients)).toEqual([]);
		expect(await storedResults()).toEqual([]);
		expect(await lastMutationId()).toBe(0);

		await db.current.exec('drop trigger clients_boom on clients');
		const answer = await pushOne(db.current.db, admin, device, batch);
		expect(answer).toEqual({
			status: 'ok',
			lastMutationId: 3,
			results: [1, 2, 3].map((id) => ({ id, outcome: 'applied' }))
		});
		expect(
			(await db.current.db.select({ id: clients.id }).from(clients)).map((c) => c.id).sort()
		).toEqual([first.id, boom.id, third.id].sort());
		expect(await storedResults()).toEqual([1, 2, 3].map((id) => ({ id, outcome: 'applied' })));
	});
});
