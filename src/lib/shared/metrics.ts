import { DAY_MS, isOpenGrant } from './grants';
import { RENEWAL_GRACE_MS, type Term } from './terms';
import type { ClientRow } from './schemas/client';
import type { AccessRow } from './schemas/access';

// DESIGN.md §3 "Metrics": one definition, computed the same on a device (IndexedDB) and on the
// server. Pure functions over rows; times are ISO strings as stored on devices.

export { RENEWAL_GRACE_MS, termsOf, termTable } from './terms';
export type { Term, TermEvent, TermTable } from './terms';

export interface Rate {
	renewed: number;
	total: number;
	/** renewed ÷ total, or null when no term ended in the period. */
	rate: number | null;
}

/**
 * Renewal rate of a period = renewed terms ending in it ÷ terms ending in it. Lifetime and revoked
 * terms are excluded, and so are terms still undecided at `now` (ended less than the grace period
 * ago and not renewed yet): counting them as lost would understate the current month.
 */
export function renewalRate(terms: readonly Term[], from: Date, to: Date, now: Date): Rate {
	let renewed = 0;
	let total = 0;
	for (const term of terms) {
		if (term.endsMs === null || term.revoked) continue;
		const end = term.endsMs;
		if (end < from.getTime() || end >= to.getTime()) continue;
		if (!term.renewed && end + RENEWAL_GRACE_MS > now.getTime()) continue;
		total++;
		if (term.renewed) renewed++;
	}
	return { renewed, total, rate: total === 0 ? null : renewed / total };
}

/** Clients with status active and at least one grant active or expiring. */
export function activeClientCount(
	clients: readonly Pick<ClientRow, 'id' | 'status' | 'deletedAt'>[],
	accesses: readonly Pick<AccessRow, 'clientId' | 'revokedAt' | 'endsAt' | 'deletedAt'>[],
	now: Date
): number {
	const withOpenGrant = new Set(
		accesses.filter((a) => !a.deletedAt && isOpenGrant(a, now)).map((a) => a.clientId)
	);
	return clients.filter((c) => !c.deletedAt && c.status === 'active' && withOpenGrant.has(c.id))
		.length;
}

export interface IndicatorPopularity {
	indicatorId: string;
	openGrants: number;
	newTerms30: number;
	newTerms90: number;
}

/** Open grants per indicator, and terms sold (new and renewed) in the last 30 and 90 days. */
export function popularIndicators(
	accesses: readonly Pick<AccessRow, 'indicatorId' | 'revokedAt' | 'endsAt' | 'deletedAt'>[],
	terms: readonly Term[],
	now: Date
): IndicatorPopularity[] {
	const stats = new Map<string, IndicatorPopularity>();
	const get = (indicatorId: string) => {
		let entry = stats.get(indicatorId);
		if (!entry) {
			entry = { indicatorId, openGrants: 0, newTerms30: 0, newTerms90: 0 };
			stats.set(indicatorId, entry);
		}
		return entry;
	};
	for (const access of accesses)
		if (!access.deletedAt && isOpenGrant(access, now)) get(access.indicatorId).openGrants++;
	for (const term of terms) {
		const age = now.getTime() - term.atMs;
		if (age < 0) continue;
		if (age <= 30 * DAY_MS) get(term.indicatorId).newTerms30++;
		if (age <= 90 * DAY_MS) get(term.indicatorId).newTerms90++;
	}
	return [...stats.values()].sort(
		(a, b) => b.openGrants - a.openGrants || b.newTerms30 - a.newTerms30
	);
}

export interface MonthCount {
	/** `YYYY-MM` in UTC. */
	month: string;
	new: number;
	renewal: number;
}

export function monthKey(iso: string | Date): string {
	const date = typeof iso === 'string' ? new Date(iso) : iso;
	return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Terms started per month for the `months` months ending with `now`'s, split new vs renewal. */
export function subscriptionsPerMonth(
	terms: readonly Term[],
	now: Date,
	months = 12
): MonthCount[] {
	const result: MonthCount[] = [];
	for (let i = months - 1; i >= 0; i--) {
		const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
		result.push({ month: monthKey(date), new: 0, renewal: 0 });
	}
	const index = new Map(result.map((entry) => [entry.month, entry]));
	for (const term of terms) {
		const entry = index.get(monthKey(term.at));
		if (entry) entry[term.kind]++;
	}
	return result;
}

export interface IndicatorMetrics {
	activeUsers: number;
	expiringIn7Days: number;
	totalGrants: number;
	renewalRate: Rate;
}

/** The indicator page's figures: open grants, expiring within 7 days, all grants, renewal rate. */
export function indicatorMetrics(
	indicatorId: string,
	accesses: readonly Pick<AccessRow, 'indicatorId' | 'revokedAt' | 'endsAt' | 'deletedAt'>[],
	terms: readonly Term[],
	now: Date
): IndicatorMetrics {
	const mine = accesses.filter((a) => a.indicatorId === indicatorId && !a.deletedAt);
	const open = mine.filter((a) => isOpenGrant(a, now));
	const expiring = open.filter(
		(a) => a.endsAt !== null && Date.parse(a.endsAt) - now.getTime() <= 7 * DAY_MS
	);
	return {
		activeUsers: open.length,
		expiringIn7Days: expiring.length,
		totalGrants: mine.length,
		renewalRate: renewalRate(
			terms.filter((t) => t.indicatorId === indicatorId),
			new Date(0),
			new Date(8.64e15),
			now
		)
	};
}
