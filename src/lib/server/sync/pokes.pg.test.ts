import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/client';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { PokeHub } from './pokes';

async function firstPoke(hub: PokeHub, timeoutMs = 5000): Promise<number> {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), timeoutMs);
	try {
		for await (const n of hub.stream(controller.signal)) return n;
		return -1;
	} catch {
		return -1;
	} finally {
		clearTimeout(timer);
		controller.abort();
	}
}

describeEachDatabase('pokes', (kind) => {
	let database: TestDatabase;
	let second: Database | undefined;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await second?.close();
		await database.dispose();
	});

	it('reach subscribers of the same instance', async () => {
		const hub = await PokeHub.start(database);
		const received = firstPoke(hub);
		await new Promise((resolve) => setTimeout(resolve, 50));
		hub.poke();
		expect(await received).toBe(1);
		await hub.stop();
	});

	if (kind === 'postgres') {
		it('cross server instances through LISTEN/NOTIFY', async () => {
			const url = (
				database.driver.client as { options: { host: string[]; port: number[]; database: string } }
			).options;
			second = await openDatabase({
				databaseUrl: `postgres://postgres@${url.host[0]}:${url.port[0]}/${url.database}`,
				migrationsDir: 'drizzle'
			});
			const instanceA = await PokeHub.start(database);
			const instanceB = await PokeHub.start(second);
			const received = firstPoke(instanceB);
			await new Promise((resolve) => setTimeout(resolve, 200));
			instanceA.poke();
			expect(await received).toBe(1);
			await instanceA.stop();
			await instanceB.stop();
		});
	}
});
