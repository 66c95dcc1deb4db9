import { grantState } from '$lib/shared/grants';
import type { AccessRow } from '$lib/shared/schemas/access';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';

export type HistoryEntry =
	| { kind: 'event'; at: string; event: AccessEventRow }
	/** The grant ran out and no `expired` event records it yet (the expiry sweep writes those). */
	| { kind: 'ended'; at: string };

/** A grant's history, newest first, with its end shown once it has passed. */
export function grantHistory(
	access: Pick<AccessRow, 'revokedAt' | 'endsAt'>,
	events: readonly AccessEventRow[],
	now: Date
): HistoryEntry[] {
	const entries: HistoryEntry[] = events.map((event) => ({ kind: 'event', at: event.at, event }));
	if (
		grantState(access, now) === 'expired' &&
		access.endsAt &&
		!events.some((e) => e.kind === 'expired' && e.at >= (access.endsAt ?? ''))
	)
		entries.push({ kind: 'ended', at: access.endsAt });
	const id = (entry: HistoryEntry) => (entry.kind === 'event' ? entry.event.id : '');
	return entries.sort((a, b) => b.at.localeCompare(a.at) || id(b).localeCompare(id(a)));
}
