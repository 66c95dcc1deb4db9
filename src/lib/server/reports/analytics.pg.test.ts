import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyticsReport, type AnalyticsRows } from '$lib/shared/analytics';
import { rangeOf, type RangeChoice } from '$lib/shared/analytics-range';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';
import type { AccessRow } from '$lib/shared/schemas/access';
import type { ClientRow } from '$lib/shared/schemas/client';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { callerFor, insertUser, sessionFor } from '../../../../tests/helpers/trpc';
import { testClock } from '../clock';
import { accessEvents, accesses, clients } from '../db/schema';
import { seed } from '../seed';
import { toWireRow } from '../sync/tables';
import { analyticsReportSql } from './analytics';

// Device versus server: the shared `analyticsReport` over the rows as a device stores them (read
// back from the database in the sync wire format) must give exactly what the SQL computes.

const NOW = new Date('2026-11-28T09:30:00.000Z');

const choices: Array<[string, RangeChoice, Date]> = [
	['12 months', { preset: '12m', fromDay: '', toDay: '' }, NOW],
	['90 days', { preset: '90d', fromDay: '', toDay: '' }, NOW],
	['30 days', { preset: '30d', fromDay: '', toDay: '' }, NOW],
	['three years, per month', { preset: 'custom', fromDay: '2023-11-01', toDay: '2026-11-28' }, NOW],
	// A week after the seed's "now": the terms that ended in between become decided or not.
	[
		'30 days, a week later',
		{ preset: '30d', fromDay: '', toDay: '' },
		new Date('2026-12-05T00:00:00.000Z')
	]
];

describeEachDatabase('analytics: device functions and server SQL agree', (kind) => {
	let database: TestDatabase;
	let rows: AnalyticsRows;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		await seed(database.db, {
			clients: 600,
			indicators: 7,
			accesses: 2_000,
			seed: 'analytics',
			now: NOW
		});
		// Tombstones and a status change, which every figure must leave out or follow alike.
		await database.exec(`
			update clients set deleted_at = now() where id in (select id from clients order by id limit 7);
			update clients set status = 'inactive'
				where id in (select id from clients where status = 'active' order by id desc limit 25);
			update access_events set deleted_at = now()
				where id in (select id from access_events where kind = 'renewed' order by id limit 15);
			update accesses set deleted_at = now()
				where id in (select id from accesses where revoked_at is null order by id desc limit 5);`);
		rows = {
			clients: (await database.db.select().from(clients)).map(
				(row) => toWireRow('clients', row) as ClientRow
			),
			accesses: (await database.db.select().from(accesses)).map(
				(row) => toWireRow('accesses', row) as AccessRow
			),
			events: (await database.db.select().from(accessEvents)).map(
				(row) => toWireRow('accessEvents', row) as AccessEventRow
			)
		};
	});
	afterAll(async () => {
		await database.dispose();
	});

	it('the seeded dataset exercises every figure', () => {
		const report = analyticsReport(rows, { ...rangeOf(choices[0]![1], NOW), now: NOW });
		expect(report.clients.at(-1)?.active).toBeGreaterThan(0);
		expect(report.indicators.length).toBeGreaterThan(1);
		expect(report.subscriptions.some((m) => m.renewal > 0)).toBe(true);
		expect(report.renewalOverall.total).toBeGreaterThan(0);
		expect(report.expirations.some((w) => w.count > 0)).toBe(true);
	});

	it.each(choices)('%s', async (_name, choice, now) => {
		const range = { ...rangeOf(choice, now), now };
		expect(await analyticsReportSql(database.db, range)).toEqual(analyticsReport(rows, range));
	});

	it('reports.analytics answers with the server clock', async () => {
		const user = await insertUser(database.db, 'support');
		const { caller } = callerFor(database.db, await sessionFor(database.db, user.id));
		testClock.set(NOW);
		try {
			const choice = { preset: '90d', fromDay: '', toDay: '' } as const;
			expect(await caller.reports.analytics(choice)).toEqual(
				analyticsReport(rows, { ...rangeOf(choice, NOW), now: NOW })
			);
		} finally {
			testClock.set(undefined);
		}
	});
});
