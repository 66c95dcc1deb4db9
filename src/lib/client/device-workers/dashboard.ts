import { dashboardFigures, type DashboardFigures } from '$lib/shared/dashboard';
import { grantState } from '$lib/shared/grants';
import type { AccessRow } from '$lib/shared/schemas/access';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { TransactionRow } from '$lib/shared/schemas/transaction';
import { expiringThisWeek, shownExpiring, withStates, type AccessItem } from '../accesses/list';
import type { PineGateDb } from '../db';
import { readAll } from '../sync/chunked-read';
import { WORKER_CHUNK, type ComputationSpec } from './live-computation';

export interface DashboardRows {
	clients: ClientRow[];
	/** The clients by id, made once per read: each request (a clock tick) reuses it. */
	clientsById: Map<string, ClientRow>;
	accesses: AccessRow[];
	transactions: TransactionRow[];
}

export interface DashboardRequest {
	/** The server's time as the device estimates it. */
	nowMs: number;
	/** The end of tomorrow in the vendor's timezone (the page's). */
	endOfTomorrowMs: number;
}

export interface DashboardResult {
	figures: DashboardFigures;
	/** The grants the "expiring in 7 days" panel shows, soonest first. */
	week: AccessItem[];
	/** Every grant expiring in 7 days (the panel's count). */
	weekCount: number;
}

export async function readDashboardRows(db: PineGateDb): Promise<DashboardRows> {
	const [clients, accesses, transactions] = await Promise.all([
		readAll(db.clients, WORKER_CHUNK),
		readAll(db.accesses, WORKER_CHUNK),
		readAll(db.transactions, WORKER_CHUNK)
	]);
	return {
		clients,
		clientsById: new Map(clients.map((client) => [client.id, client])),
		accesses,
		transactions
	};
}

/** The dashboard's figures and its expiring panel (docs/decisions.md §23), in its worker. */
export const dashboardSpec: ComputationSpec<DashboardRows, DashboardRequest, DashboardResult> = {
	read: readDashboardRows,
	compute(rows, { nowMs, endOfTomorrowMs }) {
		const now = new Date(nowMs);
		// Only the expiring grants become list items: a tick would otherwise build one per grant.
		const expiring = rows.accesses.filter((access) => grantState(access, now) === 'expiring');
		const week = expiringThisWeek(withStates(expiring, (id) => rows.clientsById.get(id), now));
		return {
			figures: dashboardFigures(rows, now, new Date(endOfTomorrowMs)),
			week: shownExpiring(week),
			weekCount: week.length
		};
	}
};
