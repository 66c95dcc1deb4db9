import type { MessageKey, MessageParams } from '$lib/shared/i18n';
import type { NotificationReadRow, NotificationRow } from '$lib/shared/schemas/notification';

/** What a notification links to (the component turns it into a route). */
export type NotificationTarget =
	| { page: 'access'; id: string }
	| { page: 'client'; id: string }
	| { page: 'indicator'; id: string }
	| { page: 'settings' };

export interface FeedItem {
	id: string;
	kind: string;
	at: string;
	read: boolean;
	message: MessageKey;
	/** Names are looked up on the device; dates stay ISO for the component to format. */
	params: {
		client?: string;
		indicator?: string;
		date?: string;
		reason?: string;
		field?: string;
		entity?: string;
	};
	target: NotificationTarget | null;
}

export interface FeedNames {
	client(id: string | undefined): string | undefined;
	indicator(id: string | undefined): string | undefined;
}

const KNOWN = new Set([
	'expiring_7d',
	'expiring_1d',
	'expired',
	'tradingview_sync_failed',
	'tradingview_session_expired',
	'new_client',
	'double_renewal',
	'edit_overwritten'
]);

function dataOf(row: NotificationRow): Record<string, unknown> {
	return row.data && typeof row.data === 'object' ? (row.data as Record<string, unknown>) : {};
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function targetOf(row: NotificationRow): NotificationTarget | null {
	if (row.entity === 'tradingview_session') return { page: 'settings' };
	if (!row.entityId) return null;
	if (row.entity === 'accesses') return { page: 'access', id: row.entityId };
	if (row.entity === 'clients') return { page: 'client', id: row.entityId };
	if (row.entity === 'indicators') return { page: 'indicator', id: row.entityId };
	return null;
}

/** The ids of the notifications this person has read. */
export function readIds(reads: readonly NotificationReadRow[], userId: string): Set<string> {
	return new Set(reads.filter((r) => r.userId === userId).map((r) => r.notificationId));
}

/** Read by this person: marked read, or about something they did themselves (a client they created). */
export function isReadBy(row: NotificationRow, read: Set<string>, userId: string): boolean {
	return read.has(row.id) || dataOf(row).byUserId === userId;
}

/** For this person: their own and everyone's, not deleted. */
export function isVisibleTo(row: NotificationRow, userId: string): boolean {
	return row.deletedAt === null && (row.userId === null || row.userId === userId);
}

/** Notifications for this person (their own and everyone's), newest first, with their text. */
export function feedItems(
	rows: readonly NotificationRow[],
	reads: readonly NotificationReadRow[],
	userId: string,
	names: FeedNames
): FeedItem[] {
	const read = readIds(reads, userId);
	return rows
		.filter((row) => isVisibleTo(row, userId))
		.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1))
		.map((row) => {
			const data = dataOf(row);
			const clientId =
				text(data.clientId) ?? (row.entity === 'clients' ? (row.entityId ?? undefined) : undefined);
			const kind = KNOWN.has(row.kind) ? row.kind : 'unknown';
			return {
				id: row.id,
				kind: row.kind,
				at: row.at,
				read: isReadBy(row, read, userId),
				message: `notifications.kinds.${kind}` as MessageKey,
				params: {
					client: names.client(clientId) ?? text(data.username),
					indicator: names.indicator(text(data.indicatorId)),
					date: text(data.endsAt),
					reason: text(data.reason),
					field: text(data.field),
					entity: row.entity
				},
				target: targetOf(row)
			};
		});
}

/** Unread notifications for this person. */
export function unreadCount(
	rows: readonly NotificationRow[],
	reads: readonly NotificationReadRow[],
	userId: string
): number {
	const read = readIds(reads, userId);
	let count = 0;
	for (const row of rows) if (isVisibleTo(row, userId) && !isReadBy(row, read, userId)) count += 1;
	return count;
}

/** The message parameters, with missing names shown as a dash. */
export function messageParams(item: FeedItem, formatDate: (iso: string) => string): MessageParams {
	return {
		client: item.params.client ?? '—',
		indicator: item.params.indicator ?? '—',
		date: item.params.date ? formatDate(item.params.date) : '—',
		reason: item.params.reason ?? '—',
		field: item.params.field ?? '—',
		entity: item.params.entity ?? '—'
	};
}

/** The clients and indicators the notifications name, so only those are read for their names. */
export function namedIds(rows: readonly NotificationRow[]): {
	clientIds: string[];
	indicatorIds: string[];
} {
	const clientIds = new Set<string>();
	const indicatorIds = new Set<string>();
	for (const row of rows) {
		const data = dataOf(row);
		const clientId = text(data.clientId);
		const indicatorId = text(data.indicatorId);
		if (clientId) clientIds.add(clientId);
		if (row.entity === 'clients' && row.entityId) clientIds.add(row.entityId);
		if (indicatorId) indicatorIds.add(indicatorId);
	}
	return { clientIds: [...clientIds], indicatorIds: [...indicatorIds] };
}
