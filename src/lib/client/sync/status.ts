import type { SyncState } from './engine';

/** What the sync indicator says, most important first (see `deriveStatus`). */
export type SyncStatus =
	| 'synced'
	| 'syncing'
	| 'offline'
	| 'pending'
	| 'stalled'
	| 'error'
	| 'paused-auth'
	| 'update-required';

export interface StatusInput {
	/** The leader's engine state (mirrored into follower tabs). */
	state: SyncState;
	/** Edits in this device's outbox (read live from the store, in every tab). */
	pending: number;
	/** When this device last finished a pull (from the store). */
	lastSyncedAt: string | null;
	/** The store was upgraded by a newer release in another tab, or the server refuses our schema. */
	updateRequired: boolean;
	/** IndexedDB could not be opened at all. */
	storageFailed: boolean;
}

/**
 * One word for the header: update-required and paused-auth need a person; offline covers both the
 * browser being offline and the server being unreachable (network errors, timeouts); stalled and
 * error are problems PineGate is retrying; then syncing, pending, synced. A device that never
 * finished a first sync is "syncing" rather than "synced".
 */
export function deriveStatus(input: StatusInput): SyncStatus {
	const { state } = input;
	if (input.updateRequired || state.paused === 'update-required') return 'update-required';
	if (state.paused === 'auth') return 'paused-auth';
	if (input.storageFailed) return 'error';
	if (!state.online || state.error?.kind === 'network' || state.error?.kind === 'timeout')
		return 'offline';
	if (state.stalled) return 'stalled';
	if (state.error) return 'error';
	if (state.running || state.paused === 'reset') return 'syncing';
	if (input.pending > 0) return 'pending';
	if (!input.lastSyncedAt) return 'syncing';
	return 'synced';
}

export const LONG_OFFLINE_DAYS = 30;

/** Whole days since the last sync when pending edits have waited longer than LONG_OFFLINE_DAYS. */
export function longOfflineDays(
	lastSyncedAt: string | null,
	pending: number,
	nowMs: number
): number | null {
	if (!lastSyncedAt || pending === 0) return null;
	const days = Math.floor((nowMs - Date.parse(lastSyncedAt)) / 86_400_000);
	return days > LONG_OFFLINE_DAYS ? days : null;
}

export function initialSyncState(online: boolean): SyncState {
	return {
		online,
		running: false,
		pending: 0,
		rejected: 0,
		lastSyncedAt: null,
		paused: null,
		stalled: false,
		error: null,
		retryAt: null,
		progress: null,
		held: null
	};
}
