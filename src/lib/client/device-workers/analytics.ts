import { analyticsReport, type AnalyticsReport, type AnalyticsRows } from '$lib/shared/analytics';
import { rangeOf, type RangeChoice } from '$lib/shared/analytics-range';
import type { PineGateDb } from '../db';
import { readAll, readAllBy } from '../sync/chunked-read';
import { WORKER_CHUNK, type ComputationSpec } from './live-computation';

export interface AnalyticsRequest {
	choice: RangeChoice;
	/** The server's time as the device estimates it. */
	nowMs: number;
}

export interface AnalyticsResult {
	report: AnalyticsReport;
	/** No client and no grant on the device: the page explains how the charts fill in. */
	empty: boolean;
}

/** Every row the report reads, from the device database. */
export async function readAnalyticsRows(db: PineGateDb): Promise<AnalyticsRows> {
	const [accesses, events, clients] = await Promise.all([
		readAll(db.accesses, WORKER_CHUNK),
		// By grant: the terms are then found by comparing neighbours, without a hash table.
		readAllBy(db.accessEvents, 'accessId', WORKER_CHUNK),
		readAll(db.clients, WORKER_CHUNK)
	]);
	return { accesses, events, clients };
}

/** The analytics page's report (docs/analytics.md), computed in its worker. */
export const analyticsSpec: ComputationSpec<AnalyticsRows, AnalyticsRequest, AnalyticsResult> = {
	read: readAnalyticsRows,
	compute(rows, { choice, nowMs }) {
		const now = new Date(nowMs);
		return {
			report: analyticsReport(rows, { ...rangeOf(choice, now), now }),
			empty: rows.clients.length === 0 && rows.accesses.length === 0
		};
	}
};
