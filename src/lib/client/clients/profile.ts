import { grantState, type GrantState } from '$lib/shared/grants';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';
import type { AccessRow } from '$lib/shared/schemas/access';

// What a client's profile shows, derived from the device's rows (pure, so it is tested alone).

export interface AccessView {
	access: AccessRow;
	state: GrantState;
}

/**
 * The client's grants with their state at `now` (the server-time estimate): current ones (active,
 * expiring) soonest-ending first with lifetime last; past ones (expired, revoked) latest first.
 */
export function splitAccesses(
	accesses: readonly AccessRow[],
	nowMs: number
): { current: AccessView[]; past: AccessView[] } {
	const now = new Date(nowMs);
	const current: AccessView[] = [];
	const past: AccessView[] = [];
	for (const access of accesses) {
		const state = grantState(access, now);
		(state === 'active' || state === 'expiring' ? current : past).push({ access, state });
	}
	const end = (view: AccessView) => view.access.endsAt ?? '\uffff';
	current.sort((a, b) => end(a).localeCompare(end(b)));
	const closed = (view: AccessView) => view.access.revokedAt ?? view.access.endsAt ?? '';
	past.sort((a, b) => closed(b).localeCompare(closed(a)));
	return { current, past };
}

export type TimelineEntry =
	| { kind: 'event'; at: string; event: AccessEventRow }
	| { kind: 'created' | 'updated'; at: string };

/**
 * The history, newest first: every access event of the client, when the client was added and,
 * if different, when its details were last edited. (Per-field edit history lives in the server's
 * audit log, which devices do not mirror.)
 */
export function timeline(
	client: Pick<ClientRow, 'createdAt' | 'updatedAt'>,
	events: readonly AccessEventRow[]
): TimelineEntry[] {
	const entries: TimelineEntry[] = events.map((event) => ({ kind: 'event', at: event.at, event }));
	entries.push({ kind: 'created', at: client.createdAt });
	if (client.updatedAt !== client.createdAt)
		entries.push({ kind: 'updated', at: client.updatedAt });
	// Newest first; on a tie the event id (a UUIDv7, time-ordered) keeps the order stable.
	const id = (entry: TimelineEntry) => (entry.kind === 'event' ? entry.event.id : entry.kind);
	return entries.sort((a, b) => b.at.localeCompare(a.at) || id(b).localeCompare(id(a)));
}
