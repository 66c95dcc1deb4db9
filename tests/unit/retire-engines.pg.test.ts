import { uuidv7 } from 'uuidv7';
import { expect, it } from 'vitest';
import { clients } from '../../src/lib/server/db/schema';
import { clientCreate } from '../../src/lib/shared/mutators';
import { describeEachDatabase, useTestDatabase } from '../helpers/db';
import { createDevice, prng, retireEngines } from '../helpers/devices';
import { makeUser } from '../helpers/sync';

const TABLES = 'clients, notifications, sync_clients, mutation_results, field_writes, users';

// Stop 15's CI failed on a TRUNCATE in a beforeEach that deadlocked with the previous test's
// background push. Without `retireEngines` this loop deadlocks on PostgreSQL within a few rounds.
describeEachDatabase('retireEngines', (kind) => {
	const database = useTestDatabase(kind, TABLES);

	it('waits for every background push to commit, so the next test can truncate', async () => {
		const { db } = database.current;
		for (let round = 0; round < 20; round++) {
			await database.current.exec(`truncate ${TABLES} cascade`);
			const admin = await makeUser(db, 'admin');
			const device = createDevice('A', () => db, admin, prng(round));
			// mutate() starts a sync run and does not wait for it, as a person's edit does not.
			await device.engine.mutate(clientCreate, {
				id: uuidv7(),
				fields: { tradingviewUsername: `retired-${round}` }
			});
			await retireEngines();
			expect(device.engine.state.running).toBe(false);
			expect((await db.select().from(clients)).map((c) => c.tradingviewUsername)).toEqual([
				`retired-${round}`
			]);
		}
	});
});
