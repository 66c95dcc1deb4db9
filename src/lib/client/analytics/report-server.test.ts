import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyticsReport } from '$lib/shared/analytics';
import { rangeOf, type RangeChoice } from '$lib/shared/analytics-range';
import { buildDataset } from '../../../../tests/factories';
import { PineGateDb } from '../db';
import { readAnalyticsRows, ReportServer, type ReportAnswer } from './report-server';

const NOW = new Date('2026-11-28T00:00:00.000Z');
const YEAR: RangeChoice = { preset: '12m', fromDay: '', toDay: '' };
let counter = 0;
const opened: PineGateDb[] = [];
const servers: ReportServer[] = [];

/** A record of the factories as the device stores it: times as ISO strings, not deleted. */
function deviceRow<T extends object>(record: T): Record<string, unknown> {
	const row: Record<string, unknown> = { version: 1, deletedAt: null };
	for (const [key, value] of Object.entries(record))
		row[key] = value instanceof Date ? value.toISOString() : value;
	return row;
}

async function deviceWith(clients: number, accesses: number): Promise<PineGateDb> {
	const db = new PineGateDb(`pinegate-report-server-${++counter}`);
	await db.open();
	opened.push(db);
	if (clients > 0) {
		const data = buildDataset({
			seed: `report ${counter}`,
			clients,
			indicators: 4,
			accesses,
			now: NOW
		});
		await db.clients.bulkPut(data.clients.map(deviceRow) as never);
		await db.accesses.bulkPut(data.accesses.map(deviceRow) as never);
		await db.accessEvents.bulkPut(data.accessEvents.map(deviceRow) as never);
	}
	return db;
}

function serve(db: PineGateDb): ReportAnswer[] {
	const answers: ReportAnswer[] = [];
	const server = new ReportServer((answer) => answers.push(answer));
	servers.push(server);
	server.handle({ kind: 'open', dbName: db.name });
	server.handle({ kind: 'report', choice: YEAR, nowMs: NOW.getTime() });
	return answers;
}

const reportOf = (answer: ReportAnswer | undefined) =>
	answer?.kind === 'report' ? answer.report : undefined;

afterEach(async () => {
	for (const server of servers.splice(0)) server.close();
	for (const db of opened.splice(0)) await db.delete();
});

describe('the analytics report server (the page’s worker)', () => {
	it('answers with the report of the device’s rows, and again after every change to them', async () => {
		const db = await deviceWith(40, 120);
		const answers = serve(db);
		await vi.waitFor(() => expect(answers.length).toBeGreaterThan(0));
		const first = answers.at(-1)!;
		expect(first).toMatchObject({ kind: 'report', empty: false });
		// The same numbers the page computed itself from the same rows.
		const rows = await readAnalyticsRows(db);
		expect(rows.clients).toHaveLength(40);
		expect(reportOf(first)).toEqual(analyticsReport(rows, { ...rangeOf(YEAR, NOW), now: NOW }));
		const allBefore = reportOf(first)!.clients.at(-1)!.all;

		// A client registered on this device (or pulled from the server): a new answer counts it.
		const added = {
			...rows.clients[0]!,
			id: 'zz-new-client',
			registeredAt: '2026-11-20T00:00:00.000Z'
		};
		await db.clients.put(added as never);
		await vi.waitFor(() =>
			expect(reportOf(answers.at(-1))!.clients.at(-1)!.all).toBe(allBefore + 1)
		);

		// Another range: answered from the rows it already holds.
		const count = answers.length;
		servers[0]!.handle({
			kind: 'report',
			choice: { preset: '30d', fromDay: '', toDay: '' },
			nowMs: NOW.getTime()
		});
		expect(answers).toHaveLength(count + 1);
		expect(reportOf(answers.at(-1))!.granularity).toBe('week');
	});

	it('says when the device has nothing to analyse', async () => {
		const answers = serve(await deviceWith(0, 0));
		await vi.waitFor(() => expect(answers.at(-1)).toMatchObject({ kind: 'report', empty: true }));
	});
});
