import { grantState } from '$lib/shared/grants';
import type { AccessRow, AccessType } from '$lib/shared/schemas/access';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { IndicatorRow } from '$lib/shared/schemas/indicator';
import { dayInZone, type Day } from './days';

/** The states an expiration can be shown in: revoked grants are not on the calendar. */
export type ExpirationState = 'active' | 'expiring' | 'expired';

/** One grant's end, placed on the day it falls on in the calendar's time zone. */
export interface Expiration {
	accessId: string;
	endsAt: string;
	endsMs: number;
	day: Day;
	accessType: AccessType;
	updatedAt: string;
	clientId: string;
	/** Null while the client's row is missing on this device (not synced yet). */
	clientUsername: string | null;
	clientFullName: string | null;
	indicatorId: string;
	/** Null while the indicator's row is missing on this device. */
	indicatorName: string | null;
}

type Grant = Pick<
	AccessRow,
	| 'id'
	| 'clientId'
	| 'indicatorId'
	| 'endsAt'
	| 'revokedAt'
	| 'accessType'
	| 'updatedAt'
	| 'deletedAt'
>;

/**
 * Whether a grant has an expiration to show: it has an end (lifetime grants never end), is not
 * revoked (a revoked grant already ended and will not expire) and is not deleted.
 */
export function hasExpiration(grant: Grant): grant is Grant & { endsAt: string } {
	return grant.endsAt !== null && !grant.revokedAt && !grant.deletedAt;
}

/**
 * The expirations of the grants, each on its day in `timeZone`, earliest first (ties by grant id,
 * so the order never jumps between renders).
 */
export function expirations(
	grants: readonly Grant[],
	clients: ReadonlyMap<string, Pick<ClientRow, 'tradingviewUsername' | 'fullName'>>,
	indicators: ReadonlyMap<string, Pick<IndicatorRow, 'name'>>,
	timeZone: string
): Expiration[] {
	const list: Expiration[] = [];
	for (const grant of grants) {
		if (!hasExpiration(grant)) continue;
		const endsMs = Date.parse(grant.endsAt);
		const client = clients.get(grant.clientId);
		list.push({
			accessId: grant.id,
			endsAt: grant.endsAt,
			endsMs,
			day: dayInZone(endsMs, timeZone),
			accessType: grant.accessType,
			updatedAt: grant.updatedAt,
			clientId: grant.clientId,
			clientUsername: client?.tradingviewUsername ?? null,
			clientFullName: client?.fullName ?? null,
			indicatorId: grant.indicatorId,
			indicatorName: indicators.get(grant.indicatorId)?.name ?? null
		});
	}
	return list.sort(
		(a, b) =>
			a.endsMs - b.endsMs || (a.accessId < b.accessId ? -1 : a.accessId > b.accessId ? 1 : 0)
	);
}

/** An expiration's state at `nowMs` (server time): expired once its end has passed. */
export function expirationState(
	expiration: Pick<Expiration, 'endsAt'>,
	nowMs: number
): ExpirationState {
	const state = grantState({ endsAt: expiration.endsAt, revokedAt: null }, new Date(nowMs));
	return state === 'revoked' ? 'expired' : state;
}

/** Expirations by day, each day's list in the input order (pass them sorted). */
export function groupByDay(list: readonly Expiration[]): Map<Day, Expiration[]> {
	const days = new Map<Day, Expiration[]>();
	for (const expiration of list) {
		const day = days.get(expiration.day);
		if (day) day.push(expiration);
		else days.set(expiration.day, [expiration]);
	}
	return days;
}

export interface DayGroup {
	day: Day;
	expirations: Expiration[];
}

export interface Agenda {
	days: DayGroup[];
	/** More days with expirations follow the ones listed. */
	more: boolean;
}

/**
 * The agenda from `from` on: days with expirations in order, whole days only, stopping once at
 * least `maxEntries` are listed (a day is never cut, so the last may take it past the limit).
 */
export function agenda(
	byDay: ReadonlyMap<Day, Expiration[]>,
	from: Day,
	maxEntries: number
): Agenda {
	const keys = [...byDay.keys()].filter((day) => day >= from).sort();
	const days: DayGroup[] = [];
	let count = 0;
	for (const day of keys) {
		if (count >= maxEntries) return { days, more: true };
		const list = byDay.get(day) ?? [];
		days.push({ day, expirations: list });
		count += list.length;
	}
	return { days, more: false };
}

/** The days of one month that have expirations, in order (the month view on phones). */
export function monthDays(byDay: ReadonlyMap<Day, Expiration[]>, month: string): DayGroup[] {
	return [...byDay.entries()]
		.filter(([day]) => day.startsWith(`${month}-`))
		.sort(([a], [b]) => (a < b ? -1 : 1))
		.map(([day, list]) => ({ day, expirations: list }));
}

/** Expirations still to come at `nowMs` (server time): what the .ics export contains. */
export function upcoming(list: readonly Expiration[], nowMs: number): Expiration[] {
	return list.filter((expiration) => expiration.endsMs > nowMs);
}
