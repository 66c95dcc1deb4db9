/**
 * list_users paging as TradingView does it: a keyset cursor (Django REST framework's
 * CursorPagination style). The opaque `c` token carries the ordering, the page size and the sort key
 * of the last row sent, so a grant added or removed between pages neither repeats nor skips others.
 */
import type { FakeGrant, FakeUser } from './state';

export const ORDER_BY = [
	'-created',
	'created',
	'user__username',
	'-user__username',
	'expiration,user__username',
	'-expiration,user__username'
] as const;
export type OrderBy = (typeof ORDER_BY)[number];

export const MAX_LIMIT = 30;
/** Page size when `limit` is absent [guess]. */
export const DEFAULT_LIMIT = 10;

export interface Row {
	user: FakeUser;
	grant: FakeGrant;
}

/** Sort key: the ordering's fields, then the user id as a tie-breaker for a total order. */
type Key = [number | string | null, string, number];

interface Cursor {
	o: OrderBy;
	l: number;
	k: Key;
}

export function isOrderBy(value: string): value is OrderBy {
	return (ORDER_BY as readonly string[]).includes(value);
}

function keyOf(row: Row, orderBy: OrderBy): Key {
	const name = row.user.username.toLowerCase();
	switch (orderBy) {
		case 'created':
		case '-created':
			return [row.grant.created.getTime(), '', row.user.id];
		case 'user__username':
		case '-user__username':
			return [name, '', row.user.id];
		case 'expiration,user__username':
		case '-expiration,user__username':
			return [row.grant.expiration?.getTime() ?? null, name, row.user.id];
	}
}

function compareValue(a: number | string | null, b: number | string | null): number {
	// PostgreSQL puts NULL (lifetime) after every date ascending, so before them descending.
	if (a === b) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return a < b ? -1 : 1;
}

function compareKeys(a: Key, b: Key, orderBy: OrderBy): number {
	const first = compareValue(a[0], b[0]);
	if (first !== 0) return orderBy.startsWith('-') ? -first : first;
	return compareValue(a[1], b[1]) || a[2] - b[2];
}

export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(token: string): Cursor | undefined {
	try {
		const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
		if (typeof value !== 'object' || value === null) return undefined;
		const { o, l, k } = value as Record<string, unknown>;
		if (typeof o !== 'string' || !isOrderBy(o) || typeof l !== 'number' || !Array.isArray(k)) {
			return undefined;
		}
		if (k.length !== 3) return undefined;
		return { o, l, k: k as Key };
	} catch {
		return undefined;
	}
}

/** One page of `rows` after the cursor (if any); `next` is the path to POST for the following page. */
export function page(
	rows: Row[],
	orderBy: OrderBy,
	limit: number,
	after: Key | undefined
): { rows: Row[]; next: string | null } {
	const sorted = rows
		.map((row) => ({ row, key: keyOf(row, orderBy) }))
		.sort((a, b) => compareKeys(a.key, b.key, orderBy))
		.filter((entry) => !after || compareKeys(entry.key, after, orderBy) > 0);
	const taken = sorted.slice(0, limit);
	const last = taken[taken.length - 1];
	const next =
		sorted.length > limit && last
			? `/pine_perm/list_users/?c=${encodeCursor({ o: orderBy, l: limit, k: last.key })}`
			: null;
	return { rows: taken.map((entry) => entry.row), next };
}
