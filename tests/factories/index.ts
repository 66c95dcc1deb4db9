/**
 * Deterministic test and demo data (DESIGN.md §3): clients, indicators and their releases, grants
 * with their history and payments. Pure: no database, no clock, no `Math.random` — the same
 * options always give the same rows, ids included. Rows are camelCase with `Date`s, ready for
 * `db.insert(table).values(rows)`; the database adds the sync `version`.
 */
import { makeClients } from './clients';
import { makeGrants } from './grants';
import { makeIndicators } from './indicators';
import type {
	AccessEventRecord,
	AccessRecord,
	ClientRecord,
	GrantHistory,
	IndicatorRecord,
	IndicatorVersionRecord,
	TransactionRecord
} from './types';

export { asciiFold, DAY_MS, ID_STREAMS, makeClients, YEAR_MS } from './clients';
export type { ClientFactoryOptions } from './clients';
export { makeGrants } from './grants';
export type { GrantFactoryOptions, TargetState } from './grants';
export { makeIndicators } from './indicators';
export type { IndicatorCatalog, IndicatorFactoryOptions } from './indicators';
export { hashSeed, ID_BASE_MS, idStream, mulberry32, Random } from './random';
export type * from './types';

export interface DatasetOptions {
	/** Any text or number; the same seed gives the same data. */
	seed: string | number;
	clients: number;
	indicators: number;
	/** Grants, revoked ones included. */
	accesses: number;
	/** The reference time the states (active, expiring, expired) are relative to. */
	now: Date;
}

export interface Dataset {
	clients: ClientRecord[];
	indicators: IndicatorRecord[];
	indicatorVersions: IndicatorVersionRecord[];
	/** The grants with their events and payments, generated lazily; each call starts over. */
	grants(): Generator<GrantHistory>;
}

export function makeDataset(options: DatasetOptions): Dataset {
	const clients = makeClients({ seed: options.seed, count: options.clients, now: options.now });
	const catalog = makeIndicators({
		seed: options.seed,
		count: options.indicators,
		now: options.now
	});
	return {
		clients,
		indicators: catalog.indicators,
		indicatorVersions: catalog.versions,
		grants: () =>
			makeGrants({
				seed: options.seed,
				count: options.accesses,
				now: options.now,
				clients,
				indicators: catalog.indicators
			})
	};
}

export interface MaterialisedDataset {
	clients: ClientRecord[];
	indicators: IndicatorRecord[];
	indicatorVersions: IndicatorVersionRecord[];
	accesses: AccessRecord[];
	accessEvents: AccessEventRecord[];
	transactions: TransactionRecord[];
}

/** Every row in arrays, for tests and small datasets. */
export function buildDataset(options: DatasetOptions): MaterialisedDataset {
	const dataset = makeDataset(options);
	const accesses: AccessRecord[] = [];
	const accessEvents: AccessEventRecord[] = [];
	const transactions: TransactionRecord[] = [];
	for (const grant of dataset.grants()) {
		accesses.push(grant.access);
		accessEvents.push(...grant.events);
		transactions.push(...grant.transactions);
	}
	return {
		clients: dataset.clients,
		indicators: dataset.indicators,
		indicatorVersions: dataset.indicatorVersions,
		accesses,
		accessEvents,
		transactions
	};
}
