import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { useFakeTradingView } from '../../../../tests/fake-tradingview/testing';
import { seedDemo } from '../../../../tests/fake-tradingview/state';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import { systemActor } from '../audit';
import { auditLog, indicators } from '../db/schema';
import { createTradingViewClient } from './client';
import { checkPubIds, importScripts } from './scripts';

const tv = useFakeTradingView();

describeEachDatabase("the vendor's scripts", (kind) => {
	let database: TestDatabase;
	const client = () =>
		createTradingViewClient({
			baseUrl: tv.fake.url,
			sessionid: tv.fake.state.session.sessionid,
			sessionidSign: tv.fake.state.session.sessionidSign
		});

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		seedDemo(tv.fake.state);
		await database.exec(
			'truncate indicators, audit_log, sync_clients, mutation_results, field_writes, users cascade'
		);
	});

	it('Import my scripts adds each manageable script once, with its name and version', async () => {
		const first = await importScripts(database.db, client(), systemActor);
		expect(first).toEqual({ created: 3, existing: 0 });
		const rows = await database.db.select().from(indicators);
		expect(rows.map((r) => [r.name, r.releaseVersion, r.pubIdState]).sort()).toEqual([
			['Session Ranges', '11.0', 'valid'],
			['Trend Rider', '4.0', 'valid'],
			['Volume Pulse', '2.1', 'valid']
		]);
		// Another vendor's script is not the vendor's to manage.
		expect(rows.some((r) => r.pubId === 'PUB;ffffeeeeddddccccbbbbaaaa99998888')).toBe(false);
		expect(await importScripts(database.db, client(), systemActor)).toEqual({
			created: 0,
			existing: 3
		});
		expect((await database.db.select().from(auditLog)).map((e) => e.action)).toEqual([
			'tradingview.scripts.import',
			'tradingview.scripts.import'
		]);
	});

	it('a PUB ID is valid when the account can manage it, invalid otherwise', async () => {
		const admin = await makeUser(database.db, 'admin');
		const mine = uuidv7();
		const foreign = uuidv7();
		await pushOne(database.db, admin, uuidv7(), [
			envelope(1, 'indicator.create', {
				id: mine,
				fields: { name: 'Mine', pubId: 'PUB;7a1e2c3d4b5f60718293a4b5c6d7e8f9' }
			}),
			envelope(2, 'indicator.create', {
				id: foreign,
				fields: { name: 'Not mine', pubId: 'PUB;ffffeeeeddddccccbbbbaaaa99998888' }
			})
		]);
		expect(await checkPubIds(database.db, client())).toBe(2);
		const state = async (id: string) =>
			(await database.db.select().from(indicators).where(eq(indicators.id, id)))[0]?.pubIdState;
		expect(await state(mine)).toBe('valid');
		expect(await state(foreign)).toBe('invalid');
		expect(await checkPubIds(database.db, client())).toBe(0);
	});
});
