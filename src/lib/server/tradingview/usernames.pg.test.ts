import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { useFakeTradingView } from '../../../../tests/fake-tradingview/testing';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import { clients } from '../db/schema';
import { checkUsernames } from './usernames';

const tv = useFakeTradingView();

describeEachDatabase('TradingView username check', (kind) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await database.exec(
			'truncate clients, accesses, access_events, sync_clients, mutation_results, field_writes, users cascade'
		);
	});

	async function addClients(...usernames: string[]) {
		const admin = await makeUser(database.db, 'admin');
		const device = uuidv7();
		const args = usernames.map((u) => clientArgs({ tradingviewUsername: u }));
		await pushOne(
			database.db,
			admin,
			device,
			args.map((a, i) => envelope(i + 1, 'client.create', a))
		);
		return args.map((a) => a.id);
	}
	const row = async (id: string) =>
		(await database.db.select().from(clients).where(eq(clients.id, id)))[0];

	it("a known username becomes valid in TradingView's spelling; an unknown one invalid", async () => {
		tv.fake.state.addUser('JohnDoe');
		const [known, unknown] = await addClients('johndoe', 'nobody_here_123');
		expect((await row(known ?? ''))?.tvUsernameState).toBe('unverified');
		expect(await checkUsernames(database.db, tv.fake.url)).toBe(2);
		expect(await row(known ?? '')).toMatchObject({
			tvUsernameState: 'valid',
			tradingviewUsername: 'JohnDoe'
		});
		expect((await row(unknown ?? ''))?.tvUsernameState).toBe('invalid');
		// Nothing left: a second run makes no call.
		const calls = tv.fake.requests.length;
		expect(await checkUsernames(database.db, tv.fake.url)).toBe(0);
		expect(tv.fake.requests.length).toBe(calls);
	});

	it('TradingView unreachable: the username stays unverified for the next run', async () => {
		tv.fake.state.addUser('carol');
		const [id] = await addClients('carol');
		tv.fake.faults.next({ kind: 'server_error', status: 503 }, { path: '/username_hint/' });
		expect(await checkUsernames(database.db, tv.fake.url)).toBe(0);
		expect((await row(id ?? ''))?.tvUsernameState).toBe('unverified');
		expect(await checkUsernames(database.db, tv.fake.url)).toBe(1);
		expect((await row(id ?? ''))?.tvUsernameState).toBe('valid');
	});

	it('an invalid username blocks granting', async () => {
		const [id] = await addClients('nobody_here_456');
		await checkUsernames(database.db, tv.fake.url);
		const admin = await makeUser(database.db, 'admin');
		const device = uuidv7();
		const indicator = uuidv7();
		await pushOne(database.db, admin, device, [
			envelope(1, 'indicator.create', {
				id: indicator,
				fields: { name: 'X', pubId: `PUB;${'a'.repeat(32)}`, status: 'production' }
			}),
			envelope(2, 'access.grant', {
				clientId: id,
				items: [{ indicatorId: indicator, accessId: uuidv7(), eventId: uuidv7() }],
				duration: { kind: 'preset', preset: '30d' },
				accessType: 'paid',
				note: null
			})
		]).then((response) => {
			expect(response).toMatchObject({
				status: 'ok',
				results: [
					{ outcome: 'applied' },
					{
						outcome: 'rejected',
						code: 'TV_USERNAME_INVALID',
						params: { username: 'nobody_here_456' }
					}
				]
			});
		});
	});
});
