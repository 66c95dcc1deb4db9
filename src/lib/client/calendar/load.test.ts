import 'fake-indexeddb/auto';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessRow } from '$lib/shared/schemas/access';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { IndicatorRow } from '$lib/shared/schemas/indicator';
import { PineGateDb } from '../db';
import { loadCalendarData } from './load';
import { deviceAccess } from '../../../../tests/factories/device-rows';

const at = '2026-01-01T00:00:00.000Z';
let db: PineGateDb | null = null;

afterEach(async () => {
	await db?.delete();
	db = null;
});

function clientRow(tradingviewUsername: string): ClientRow {
	return {
		id: uuidv7(),
		tradingviewUsername,
		tvUsernameState: 'unverified',
		email: null,
		fullName: null,
		registeredAt: at,
		status: 'active',
		notes: null,
		createdAt: at,
		updatedAt: at,
		version: 1,
		deletedAt: null
	};
}

function indicatorRow(name: string): IndicatorRow {
	return {
		id: uuidv7(),
		name,
		pubId: `PUB;${name.padEnd(32, '0')}`,
		pubIdState: 'unverified',
		releaseVersion: null,
		lastUpdatedAt: null,
		status: 'production',
		description: null,
		createdAt: at,
		updatedAt: at,
		version: 1,
		deletedAt: null
	};
}

const accessRow = (clientId: string, indicatorId: string, extra: Partial<AccessRow>) =>
	deviceAccess({ clientId, indicatorId, endsAt: '2026-02-01T00:00:00.000Z', ...extra });

describe('loadCalendarData', () => {
	it('reads the grants with an expiration and only the clients and indicators they name', async () => {
		db = new PineGateDb(`pinegate-calendar-test-${uuidv7()}`);
		await db.open();
		const joe = clientRow('trader_joe');
		const lou = clientRow('lifer_lou');
		const trend = indicatorRow('Trend');
		const owl = indicatorRow('Owl');
		const ending = accessRow(joe.id, trend.id, {});
		await db.clients.bulkPut([joe, lou]);
		await db.indicators.bulkPut([trend, owl]);
		await db.accesses.bulkPut([
			ending,
			accessRow(lou.id, owl.id, { endsAt: null }),
			accessRow(joe.id, owl.id, { revokedAt: at }),
			accessRow(joe.id, owl.id, { deletedAt: at })
		]);

		const data = await loadCalendarData(db);
		expect(data.grants.map((grant) => grant.id)).toEqual([ending.id]);
		expect([...data.clients.keys()]).toEqual([joe.id]);
		expect([...data.indicators.keys()]).toEqual([trend.id]);
	});
});
