import { DAY_MS, isOpenGrant } from './grants';
import type { ClientRow } from './schemas/client';
import type { AccessEventRow } from './schemas/access-event';
import type { AccessRow } from './schemas/access';

// DESIGN.md §3 "Metrics": one definition, computed the same on a device (IndexedDB) and on the
// server. Pure functions over rows; times are ISO strings as stored on devices.

/** A renewal at most this long after a term's end still counts as renewing it. */
export const RENEWAL_GRACE_MS = 7 * DAY_MS;

export interface Term {
	accessId: string;
	clientId: string;
	indicatorId: string;
	kind: 'new' | 'renewal';
	/** When the term was sold (the granted/renewed event). */
	at: string;
	startsAt: string;
	/** null: lifetime. */
	endsAt: string | null;
	/** A renewal of the same grant happened before the end or within the grace after it. */
	renewed: boolean;
	/** The grant was revoked before this term ended. */
	revoked: boolean;
}

type EventLike = Pick<
	AccessEventRow,
	| 'accessId'
	| 'clientId'
	| 'indicatorId'
	| 'kind'
	| 'at'
	| 'previousEndsAt'
	| 'newEndsAt'
	| 'deletedAt'
>;

const ms = (iso: string) => Date.parse(iso);

/**
 * The terms of every grant, from its history: each `granted` or `renewed` event starts one. A
 * renewal's term starts at max(event time, previous end) — renewing never starts in the past.
 */
export function termsOf(events: readonly EventLike[]): Term[] {
	const byAccess = new Map<string, EventLike[]>();
	for (const event of events) {
		if (event.deletedAt) continue;
		if (event.kind !== 'granted' && event.kind !== 'renewed' && event.kind !== 'revoked') continue;
		const list = byAccess.get(event.accessId) ?? [];
		list.push(event);
		byAccess.set(event.accessId, list);
	}
	const terms: Term[] = [];
	for (const list of byAccess.values()) {
		list.sort((a, b) => ms(a.at) - ms(b.at));
		const revokedAt = list.find((e) => e.kind === 'revoked')?.at ?? null;
		const sales = list.filter((e) => e.kind !== 'revoked');
		sales.forEach((event, index) => {
			const previousEnd = event.previousEndsAt ? ms(event.previousEndsAt) : null;
			const startsAt =
				event.kind === 'renewed' && previousEnd !== null && previousEnd > ms(event.at)
					? (event.previousEndsAt as string)
					: event.at;
			const endsAt = event.newEndsAt;
			const next = sales[index + 1];
			const renewed =
				endsAt !== null &&
				next !== undefined &&
				next.kind === 'renewed' &&
				ms(next.at) <= ms(endsAt) + RENEWAL_GRACE_MS;
			terms.push({
				accessId: event.accessId,
				clientId: event.clientId,
				indicatorId: event.indicatorId,
				kind: event.kind === 'granted' ? 'new' : 'renewal',
				at: event.at,
				startsAt,
				endsAt,
				renewed,
				revoked: revokedAt !== null && (endsAt === null || ms(revokedAt) < ms(endsAt))
			});
		});
	}
	return terms;
}

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
		if (term.endsAt === null || term.revoked) continue;
		const end = ms(term.endsAt);
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
		const age = now.getTime() - ms(term.at);
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
		(a) => a.endsAt !== null && ms(a.endsAt) - now.getTime() <= 7 * DAY_MS
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
