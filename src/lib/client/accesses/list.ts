import { grantState, grantStates, type GrantState } from '$lib/shared/grants';
import {
	accessTypes,
	tvStates,
	type AccessRow,
	type AccessType,
	type TvState
} from '$lib/shared/schemas/access';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';
import type { ClientRow } from '$lib/shared/schemas/client';
import { foldText, searchTerms } from '../clients/list';

// The Accesses page as pure functions over the device's rows: URL filters, counts per state, the
// "expiring" panels and unresolved double renewals. States always from the server-time estimate.

export interface AccessFilters {
	state: GrantState | 'all';
	indicator: string | null;
	/** Free text matched against the client's name, email and username. */
	q: string;
	type: AccessType | null;
	tv: TvState | null;
	page: number;
}

export const defaultAccessFilters: AccessFilters = {
	state: 'all',
	indicator: null,
	q: '',
	type: null,
	tv: null,
	page: 1
};

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null =>
	value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;

export function parseAccessFilters(params: URLSearchParams): AccessFilters {
	const page = Number(params.get('page'));
	return {
		state: oneOf(grantStates, params.get('state')) ?? 'all',
		indicator: params.get('indicator') || null,
		q: params.get('q') ?? '',
		type: oneOf(accessTypes, params.get('type')),
		tv: oneOf(tvStates, params.get('tv')),
		page: Number.isInteger(page) && page > 1 ? page : 1
	};
}

/** Only what differs from the defaults, so a plain /accesses stays plain. */
export function accessFiltersToParams(filters: AccessFilters): URLSearchParams {
	const params = new URLSearchParams();
	if (filters.state !== 'all') params.set('state', filters.state);
	if (filters.indicator) params.set('indicator', filters.indicator);
	if (filters.q.trim()) params.set('q', filters.q);
	if (filters.type) params.set('type', filters.type);
	if (filters.tv) params.set('tv', filters.tv);
	if (filters.page > 1) params.set('page', String(filters.page));
	return params;
}

export interface AccessItem {
	access: AccessRow;
	state: GrantState;
	client: ClientRow | undefined;
}

export function withStates(
	accesses: readonly AccessRow[],
	clientOf: (id: string) => ClientRow | undefined,
	now: Date
): AccessItem[] {
	return accesses.map((access) => ({
		access,
		state: grantState(access, now),
		client: clientOf(access.clientId)
	}));
}

export function countByState(items: readonly AccessItem[]): Record<GrantState, number> {
	const counts: Record<GrantState, number> = { active: 0, expiring: 0, expired: 0, revoked: 0 };
	for (const item of items) counts[item.state] += 1;
	return counts;
}

function clientKey(client: ClientRow | undefined): string {
	if (!client) return '';
	return foldText(`${client.fullName ?? ''}\n${client.email ?? ''}\n${client.tradingviewUsername}`);
}

const stateOrder: Record<GrantState, number> = { expiring: 0, active: 1, expired: 2, revoked: 3 };
const endKey = (item: AccessItem) => item.access.endsAt ?? '\uffff';

/**
 * The filtered list: expiring first, then active, expired and revoked; within a state the soonest
 * end first (lifetime last).
 */
export function filterAccesses(items: readonly AccessItem[], filters: AccessFilters): AccessItem[] {
	const terms = searchTerms(filters.q);
	return items
		.filter(
			(item) =>
				(filters.state === 'all' || item.state === filters.state) &&
				(!filters.indicator || item.access.indicatorId === filters.indicator) &&
				(!filters.type || item.access.accessType === filters.type) &&
				(!filters.tv || item.access.tvState === filters.tv) &&
				(terms.length === 0 || terms.every((term) => clientKey(item.client).includes(term)))
		)
		.sort(
			(a, b) => stateOrder[a.state] - stateOrder[b.state] || endKey(a).localeCompare(endKey(b))
		);
}

const DAY = 86_400_000;

/** The wall-clock time at `instant` in `timeZone`, as if it were UTC (ms). */
function wallClockMs(instant: Date, timeZone?: string): number {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(instant);
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	return (
		Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) +
		instant.getUTCMilliseconds()
	);
}

/** The instant a local day (given as Date.UTC of its date) starts in `timeZone`. */
function startOfLocalDay(dayUtc: number, timeZone?: string): Date {
	let instant = dayUtc;
	// Twice: the zone's offset may differ on either side of a DST change.
	for (let i = 0; i < 2; i++)
		instant = dayUtc - (wallClockMs(new Date(instant), timeZone) - instant);
	return new Date(instant);
}

/** The midnight that ends "tomorrow" in the viewer's time zone. */
export function endOfTomorrow(now: Date, timeZone?: string): Date {
	const wall = wallClockMs(now, timeZone);
	return startOfLocalDay(wall - (wall % DAY) + 2 * DAY, timeZone);
}

/** Open grants ending within `horizon` (an instant), soonest first. */
export function expiringBefore(items: readonly AccessItem[], horizon: Date): AccessItem[] {
	const limit = horizon.getTime();
	return items
		.filter(
			(item) =>
				(item.state === 'active' || item.state === 'expiring') &&
				item.access.endsAt !== null &&
				Date.parse(item.access.endsAt) <= limit
		)
		.sort((a, b) => endKey(a).localeCompare(endKey(b)));
}

/** The panel "Expiring in 7 days": every grant in the expiring state. */
export function expiringThisWeek(items: readonly AccessItem[]): AccessItem[] {
	return items
		.filter((item) => item.state === 'expiring')
		.sort((a, b) => endKey(a).localeCompare(endKey(b)));
}

/** Rows an expiring-grants panel lists; the rest are counted in its heading. */
export const EXPIRING_SHOWN = 10;

/**
 * The grants the expiring panels show, once each: only these need their last term read for the
 * one-click renewal (a panel of a vendor's whole week could be hundreds of grant histories).
 */
export function shownExpiring(...panels: ReadonlyArray<readonly AccessItem[]>): AccessItem[] {
	const seen = new Set<string>();
	const shown: AccessItem[] = [];
	for (const items of panels)
		for (const item of items.slice(0, EXPIRING_SHOWN))
			if (!seen.has(item.access.id)) {
				seen.add(item.access.id);
				shown.push(item);
			}
	return shown;
}

/** `conflict_flagged` events that no `conflict_resolved` event settles yet. */
export function unresolvedConflicts(events: readonly AccessEventRow[]): AccessEventRow[] {
	const settled = new Set(
		events.filter((e) => e.kind === 'conflict_resolved').map((e) => e.relatedEventId)
	);
	return events
		.filter((e) => e.kind === 'conflict_flagged' && !settled.has(e.id))
		.sort((a, b) => b.at.localeCompare(a.at));
}
