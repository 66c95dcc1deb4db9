import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { analyticsReport } from '$lib/shared/analytics';
import { rangeOf, type RangeChoice } from '$lib/shared/analytics-range';
import { buildDataset } from '../../../../tests/factories';
// The server's own conversion to what a device stores, as a pull delivers it.
import { toWireRow } from '../../server/sync/tables';
import { dashboardFigures } from '$lib/shared/dashboard';
import type { EntityName } from '$lib/shared/sync/entities';
import { endOfTomorrow, expiringThisWeek, shownExpiring, withStates } from '../accesses/list';
import { PineGateDb } from '../db';
import { analyticsSpec, readAnalyticsRows, type AnalyticsResult } from './analytics';
import { dashboardSpec, readDashboardRows, type DashboardResult } from './dashboard';
import {
	LiveComputation,
	type ComputationAnswer,
	type ComputationRequest,
	type ComputationSpec
} from './live-computation';
import { eventually } from '../../../../tests/helpers/wait';

const NOW = new Date('2026-11-28T00:00:00.000Z');
const YEAR: RangeChoice = { preset: '12m', fromDay: '', toDay: '' };
let counter = 0;
const opened: PineGateDb[] = [];
const servers: Array<{ close(): void }> = [];

/** Factory records as a pull delivers them to the device. */
const wire = (entity: EntityName, records: readonly object[]) =>
	records.map((record) => toWireRow(entity, record as Record<string, unknown>));

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
		await db.clients.bulkPut(wire('clients', data.clients) as never);
		await db.accesses.bulkPut(wire('accesses', data.accesses) as never);
		await db.accessEvents.bulkPut(wire('accessEvents', data.accessEvents) as never);
		await db.transactions.bulkPut(wire('transactions', data.transactions) as never);
	}
	return db;
}

/** A computation over `db` as its worker runs it, with the page's first request; its answers. */
function serve<Rows, Request, Result>(
	spec: ComputationSpec<Rows, Request, Result>,
	db: PineGateDb,
	request: Request
): { answers: Array<ComputationAnswer<Result>>; send: (m: ComputationRequest<Request>) => void } {
	const answers: Array<ComputationAnswer<Result>> = [];
	const server = new LiveComputation(spec, (answer) => answers.push(answer));
	servers.push(server);
	server.handle({ kind: 'open', dbName: db.name });
	server.handle({ kind: 'request', request });
	return { answers, send: (message) => server.handle(message) };
}

const resultOf = <Result>(answer: ComputationAnswer<Result> | undefined): Result | undefined =>
	answer?.kind === 'result' ? answer.result : undefined;
const reportOf = (answer: ComputationAnswer<AnalyticsResult> | undefined) =>
	resultOf(answer)?.report;
const yearRequest = { choice: YEAR, nowMs: NOW.getTime() };

afterEach(async () => {
	for (const server of servers.splice(0)) server.close();
	for (const db of opened.splice(0)) await db.delete();
});

describe('the analytics report computed away from the page (its worker)', () => {
	it('answers with the report of the device’s rows, and again after every change to them', async () => {
		const db = await deviceWith(40, 120);
		const { answers, send } = serve(analyticsSpec, db, yearRequest);
		await eventually(() => expect(answers.length).toBeGreaterThan(0));
		const first = answers.at(-1)!;
		expect(first).toMatchObject({ kind: 'result', result: { empty: false } });
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
		await eventually(() =>
			expect(reportOf(answers.at(-1))!.clients.at(-1)!.all).toBe(allBefore + 1)
		);

		// Another range: answered from the rows it already holds.
		const count = answers.length;
		send({
			kind: 'request',
			request: { choice: { preset: '30d', fromDay: '', toDay: '' }, nowMs: NOW.getTime() }
		});
		expect(answers).toHaveLength(count + 1);
		expect(reportOf(answers.at(-1))!.granularity).toBe('week');
	});

	it('says when the device has nothing to analyse', async () => {
		const { answers } = serve(analyticsSpec, await deviceWith(0, 0), yearRequest);
		await eventually(() =>
			expect(answers.at(-1)).toMatchObject({ kind: 'result', result: { empty: true } })
		);
	});
});

describe('the dashboard computed away from the page (its worker)', () => {
	const request = { nowMs: NOW.getTime(), endOfTomorrowMs: endOfTomorrow(NOW, 'UTC').getTime() };

	it('answers with the figures and the expiring grants the page showed, and follows changes', async () => {
		const db = await deviceWith(60, 200);
		const { answers, send } = serve(dashboardSpec, db, request);
		await eventually(() => expect(answers.length).toBeGreaterThan(0));
		const rows = await readDashboardRows(db);
		const clients = new Map(rows.clients.map((client) => [client.id, client]));
		const week = expiringThisWeek(withStates(rows.accesses, (id) => clients.get(id), NOW));
		const first = resultOf<DashboardResult>(answers.at(-1))!;
		expect(first).toEqual({
			figures: dashboardFigures(rows, NOW, new Date(request.endOfTomorrowMs)),
			week: shownExpiring(week),
			weekCount: week.length
		});
		expect(first.figures.openGrants).toBeGreaterThan(0);
		expect(first.weekCount).toBeGreaterThan(0);

		// A grant expiring this week is revoked on this device: gone from the figures and the panel.
		const revoked = week[0]!.access;
		await db.accesses.put({ ...revoked, revokedAt: NOW.toISOString() });
		await eventually(() =>
			expect(resultOf<DashboardResult>(answers.at(-1))!.figures.openGrants).toBe(
				first.figures.openGrants - 1
			)
		);
		const after = resultOf<DashboardResult>(answers.at(-1))!;
		expect(after.weekCount).toBe(first.weekCount - 1);
		expect(after.week.map((item) => item.access.id)).not.toContain(revoked.id);

		// Closed (the page pauses it during a many-page pull): it reads and answers nothing more.
		send({ kind: 'close' });
		const count = answers.length;
		await db.accesses.put({ ...week[1]!.access, revokedAt: NOW.toISOString() });
		send({ kind: 'request', request });
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(answers).toHaveLength(count);
	});
});
