import type { AccessRow } from '$lib/shared/schemas/access';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { IndicatorRow } from '$lib/shared/schemas/indicator';
import type { PineGateDb } from '../db';
import { hasExpiration } from './entries';

export interface CalendarData {
	/** Grants with an expiration to show (see `hasExpiration`). */
	grants: AccessRow[];
	clients: ReadonlyMap<string, ClientRow>;
	indicators: ReadonlyMap<string, IndicatorRow>;
}

/**
 * What the calendar reads from IndexedDB. Grants have no index on their end, so all are read and
 * filtered; then only the clients and indicators they name are fetched. Inside a Dexie liveQuery
 * this re-runs when any grant, or one of those clients or indicators, changes.
 */
export async function loadCalendarData(db: PineGateDb): Promise<CalendarData> {
	const grants = (await db.accesses.toArray()).filter(hasExpiration);
	const clientIds = [...new Set(grants.map((grant) => grant.clientId))];
	const indicatorIds = [...new Set(grants.map((grant) => grant.indicatorId))];
	const [clients, indicators] = await Promise.all([
		db.clients.bulkGet(clientIds),
		db.indicators.bulkGet(indicatorIds)
	]);
	return {
		grants,
		clients: new Map(clients.flatMap((row) => (row ? [[row.id, row] as const] : []))),
		indicators: new Map(indicators.flatMap((row) => (row ? [[row.id, row] as const] : [])))
	};
}
