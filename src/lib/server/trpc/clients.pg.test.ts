import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import { callerFor, sessionFor } from '../../../../tests/helpers/trpc';

describeEachDatabase('clients.search (server-side, online-only)', (kind) => {
	let database: TestDatabase;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});

	it('finds clients by name, email or username, case-insensitively, treating % and _ literally', async () => {
		const admin = await makeUser(database.db, 'admin');
		await pushOne(database.db, admin, '01900000-0000-7000-8000-000000000001', [
			envelope(
				1,
				'client.create',
				clientArgs({ tradingviewUsername: 'ZetaTrader', fullName: 'Ana Pérez' })
			),
			envelope(
				2,
				'client.create',
				clientArgs({ tradingviewUsername: 'omega', email: 'omega@zeta.example', fullName: 'Bo' })
			),
			envelope(
				3,
				'client.create',
				clientArgs({ tradingviewUsername: 'under_score', fullName: '100% Sure' })
			),
			envelope(4, 'client.create', clientArgs({ tradingviewUsername: 'plain', fullName: 'Plain' }))
		]);
		const { caller } = callerFor(database.db, await sessionFor(database.db, admin.id));
		expect(
			(await caller.clients.search({ q: 'ZETA' })).map((c) => c.tradingviewUsername).sort()
		).toEqual(['ZetaTrader', 'omega']);
		expect((await caller.clients.search({ q: '%' })).map((c) => c.tradingviewUsername)).toEqual([
			'under_score'
		]);
		expect((await caller.clients.search({ q: '' })).length).toBe(4);
		expect((await caller.clients.search({ q: 'x', limit: 1 })).length).toBeLessThanOrEqual(1);
	});
});
