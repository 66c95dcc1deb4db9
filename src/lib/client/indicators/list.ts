import type { Locale } from '$lib/shared/i18n';
import { popularIndicators } from '$lib/shared/metrics';
import { indicatorStatuses, type IndicatorRow } from '$lib/shared/schemas/indicator';
import type { IndicatorVersionRow } from '$lib/shared/schemas/indicator-version';

// The indicator list's filter and sort, kept in the URL (`?status=retired&sort=status`) so a
// filtered list can be bookmarked, shared and survives a reload.

export type IndicatorStatus = (typeof indicatorStatuses)[number];
export const statusFilters = ['all', ...indicatorStatuses] as const;
export type StatusFilter = (typeof statusFilters)[number];
export const sortKeys = ['name', 'status'] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';

export interface ListParams {
	status: StatusFilter;
	sort: SortKey;
	dir: SortDir;
}

export const defaultListParams: ListParams = { status: 'all', sort: 'name', dir: 'asc' };

/** Status order when sorting by status: in use first, retired last. */
export const statusRank: Record<IndicatorStatus, number> = {
	production: 0,
	development: 1,
	retired: 2
};

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
	return value !== null && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Reads the list state from a query string; anything unknown falls back to the default. */
export function parseListParams(search: URLSearchParams): ListParams {
	return {
		status: oneOf(statusFilters, search.get('status'), defaultListParams.status),
		sort: oneOf(sortKeys, search.get('sort'), defaultListParams.sort),
		dir: oneOf(['asc', 'desc'] as const, search.get('dir'), defaultListParams.dir)
	};
}

/** The query string for a list state, without the defaults ('' for the plain list). */
export function listQuery(params: ListParams): string {
	const search = new URLSearchParams();
	if (params.status !== defaultListParams.status) search.set('status', params.status);
	if (params.sort !== defaultListParams.sort) search.set('sort', params.sort);
	if (params.dir !== defaultListParams.dir) search.set('dir', params.dir);
	return search.toString();
}

/** A column header click: the same column flips its direction, another starts ascending. */
export function toggleSort(params: ListParams, sort: SortKey): ListParams {
	if (params.sort === sort) return { ...params, dir: params.dir === 'asc' ? 'desc' : 'asc' };
	return { ...params, sort, dir: 'asc' };
}

type Listed = Pick<IndicatorRow, 'id' | 'name' | 'status' | 'deletedAt'>;

/**
 * The rows to show: live ones with the chosen status, sorted by name (in the user's language's
 * alphabetical order, numbers by value) or by status then name. The id breaks ties, so the order
 * never jumps between renders.
 */
export function filterAndSort<T extends Listed>(
	rows: readonly T[],
	params: ListParams,
	locale: Locale
): T[] {
	const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
	const byName = (a: T, b: T) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);
	const sign = params.dir === 'asc' ? 1 : -1;
	const compare =
		params.sort === 'name'
			? (a: T, b: T) => sign * byName(a, b)
			: (a: T, b: T) => sign * (statusRank[a.status] - statusRank[b.status]) || byName(a, b);
	return rows
		.filter((row) => !row.deletedAt && (params.status === 'all' || row.status === params.status))
		.sort(compare);
}

/** The version history, newest first (ids are UUIDv7, so they order same-instant releases). */
export function versionsNewestFirst<T extends Pick<IndicatorVersionRow, 'id' | 'releasedAt'>>(
	versions: readonly T[]
): T[] {
	return [...versions].sort((a, b) =>
		a.releasedAt === b.releasedAt ? (a.id < b.id ? 1 : -1) : a.releasedAt < b.releasedAt ? 1 : -1
	);
}

/** Active users per indicator: its open grants (active or expiring) at `now`, by the shared metric. */
export function activeUsersByIndicator(
	accesses: Parameters<typeof popularIndicators>[0],
	now: Date
): ReadonlyMap<string, number> {
	return new Map(
		popularIndicators(accesses, [], now).map((entry) => [entry.indicatorId, entry.openGrants])
	);
}
