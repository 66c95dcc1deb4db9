import { EXPIRING_WITHIN_MS, isOpenGrant } from './grants';
import type { AccessRow } from './schemas/access';
import type { ClientRow } from './schemas/client';
import type { TransactionRow } from './schemas/transaction';

// The dashboard's figures (issue 7), one pure function over the device's rows so the numbers are
// the same offline and online, and testable against hand-computed fixtures.

export interface MoneyAtRisk {
	currency: string;
	/** Minor units. */
	amount: number;
	/** Clients whose last payment is counted. */
	clients: number;
}

export interface DashboardFigures {
	totalClients: number;
	/** Status active with at least one open grant (the shared metric). */
	activeClients: number;
	openGrants: number;
	/** Open grants ending within 7 days (the `expiring` state). */
	expiringIn7Days: number;
	/** Open grants ending before the end of tomorrow in the business timezone. */
	expiringTomorrow: number;
	/** Grants TradingView refused (`failed`) or that wait for a new session (`paused`). */
	tradingViewFailing: number;
	/**
	 * Upcoming expirations × the client's last paid amount, per currency. Payments do not name an
	 * indicator yet (manual entries; Stripe will), so a client's last payment is counted once
	 * however many of their paid grants end this week (docs/decisions.md).
	 */
	revenueAtRisk: MoneyAtRisk[];
}

type ClientLike = Pick<ClientRow, 'id' | 'status' | 'deletedAt'>;
type AccessLike = Pick<
	AccessRow,
	'clientId' | 'revokedAt' | 'endsAt' | 'deletedAt' | 'tvState' | 'accessType'
>;
type PaymentLike = Pick<
	TransactionRow,
	'clientId' | 'amount' | 'currency' | 'status' | 'occurredAt' | 'deletedAt'
>;

export function dashboardFigures(
	rows: {
		clients: readonly ClientLike[];
		accesses: readonly AccessLike[];
		transactions: readonly PaymentLike[];
	},
	now: Date,
	endOfTomorrow: Date
): DashboardFigures {
	const t = now.getTime();
	let totalClients = 0;
	const activeStatus = new Set<string>();
	for (const client of rows.clients) {
		if (client.deletedAt) continue;
		totalClients++;
		if (client.status === 'active') activeStatus.add(client.id);
	}
	let openGrants = 0;
	let expiringIn7Days = 0;
	let expiringTomorrow = 0;
	let tradingViewFailing = 0;
	const withOpenGrant = new Set<string>();
	const atRisk = new Set<string>();
	for (const access of rows.accesses) {
		if (access.deletedAt) continue;
		if (access.tvState === 'failed' || access.tvState === 'paused') tradingViewFailing++;
		if (!isOpenGrant(access, now)) continue;
		openGrants++;
		withOpenGrant.add(access.clientId);
		if (access.endsAt === null) continue;
		const end = Date.parse(access.endsAt);
		if (end - t <= EXPIRING_WITHIN_MS) {
			expiringIn7Days++;
			if (access.accessType === 'paid') atRisk.add(access.clientId);
		}
		if (end <= endOfTomorrow.getTime()) expiringTomorrow++;
	}
	let activeClients = 0;
	for (const id of withOpenGrant) if (activeStatus.has(id)) activeClients++;

	const lastPaid = new Map<string, PaymentLike>();
	for (const payment of rows.transactions) {
		if (payment.deletedAt || payment.status !== 'paid' || !atRisk.has(payment.clientId)) continue;
		const seen = lastPaid.get(payment.clientId);
		if (!seen || seen.occurredAt < payment.occurredAt) lastPaid.set(payment.clientId, payment);
	}
	const byCurrency = new Map<string, MoneyAtRisk>();
	for (const payment of lastPaid.values()) {
		const entry = byCurrency.get(payment.currency) ?? {
			currency: payment.currency,
			amount: 0,
			clients: 0
		};
		entry.amount += payment.amount;
		entry.clients++;
		byCurrency.set(payment.currency, entry);
	}
	return {
		totalClients,
		activeClients,
		openGrants,
		expiringIn7Days,
		expiringTomorrow,
		tradingViewFailing,
		revenueAtRisk: [...byCurrency.values()].sort((a, b) => b.amount - a.amount)
	};
}
