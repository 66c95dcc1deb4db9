import { grantState, type GrantState } from '$lib/shared/grants';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';
import type { AccessRow } from '$lib/shared/schemas/access';
import type { RecordEditRow } from '$lib/shared/schemas/record-edit';

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
	| { kind: 'edit'; at: string; edit: RecordEditRow }
	| { kind: 'created' | 'updated'; at: string };

/** A stable key per entry (for keyed lists and the order of entries at the same time). */
export function timelineKey(entry: TimelineEntry): string {
	return entry.kind === 'event'
		? entry.event.id
		: entry.kind === 'edit'
			? entry.edit.id
			: entry.kind;
}

/**
 * The history, newest first: every access event of the client, every logged edit of its details
 * (`record_edits`, who changed which fields from what to what) and when the client was added.
 * A client with no logged edit but edited before the log existed shows when its details were
 * last edited instead.
 */
export function timeline(
	client: Pick<ClientRow, 'createdAt' | 'updatedAt'>,
	events: readonly AccessEventRow[],
	edits: readonly RecordEditRow[] = []
): TimelineEntry[] {
	const entries: TimelineEntry[] = [
		...events.map((event) => ({ kind: 'event' as const, at: event.at, event })),
		...edits.map((edit) => ({ kind: 'edit' as const, at: edit.at, edit }))
	];
	entries.push({ kind: 'created', at: client.createdAt });
	if (edits.length === 0 && client.updatedAt !== client.createdAt)
		entries.push({ kind: 'updated', at: client.updatedAt });
	// Newest first; on a tie the id (a UUIDv7, time-ordered) keeps the order stable.
	return entries.sort(
		(a, b) => b.at.localeCompare(a.at) || timelineKey(b).localeCompare(timelineKey(a))
	);
}

/** The changed fields of an edit in the order a client's details show them, then any others. */
const fieldOrder = ['fullName', 'tradingviewUsername', 'email', 'status', 'registeredAt', 'notes'];

export function editedFields(
	edit: RecordEditRow
): Array<{ field: string; before: unknown; after: unknown }> {
	const rank = (field: string) => {
		const index = fieldOrder.indexOf(field);
		return index === -1 ? fieldOrder.length : index;
	};
	return Object.entries(edit.changes)
		.map(([field, change]) => ({ field, before: change.before, after: change.after }))
		.sort((a, b) => rank(a.field) - rank(b.field) || a.field.localeCompare(b.field));
}
