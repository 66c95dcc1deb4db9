import { describe, expect, it } from 'vitest';
import type { SyncState } from './engine';
import { deriveStatus, initialSyncState, longOfflineDays, type StatusInput } from './status';

const synced = '2026-01-01T00:00:00.000Z';

function input(state: Partial<SyncState> = {}, rest: Partial<StatusInput> = {}): StatusInput {
	return {
		state: { ...initialSyncState(true), ...state },
		pending: 0,
		lastSyncedAt: synced,
		updateRequired: false,
		storageFailed: false,
		...rest
	};
}

describe('sync status', () => {
	it.each<[string, StatusInput, ReturnType<typeof deriveStatus>]>([
		['idle and synced', input(), 'synced'],
		['never synced yet', input({}, { lastSyncedAt: null }), 'syncing'],
		['running', input({ running: true }), 'syncing'],
		['edits waiting', input({}, { pending: 2 }), 'pending'],
		['browser offline', input({ online: false }, { pending: 2 }), 'offline'],
		[
			'server unreachable',
			input({ error: { kind: 'network', message: 'x' } }, { pending: 1 }),
			'offline'
		],
		['timeouts', input({ error: { kind: 'timeout', message: 'x' } }), 'offline'],
		['5xx', input({ error: { kind: 'server', message: '503' } }), 'error'],
		[
			'stalled beats error',
			input({ stalled: true, error: { kind: 'server', message: '' } }),
			'stalled'
		],
		['401', input({ paused: 'auth', online: false }), 'paused-auth'],
		['schema skew', input({ paused: 'update-required' }), 'update-required'],
		['store upgraded elsewhere', input({}, { updateRequired: true }), 'update-required'],
		['no IndexedDB', input({}, { storageFailed: true }), 'error'],
		['device reset in progress', input({ paused: 'reset' }), 'syncing']
	])('%s', (_name, value, expected) => {
		expect(deriveStatus(value)).toBe(expected);
	});

	it('warns about pending edits only after more than 30 days without a sync', () => {
		const now = Date.parse(synced);
		const day = 86_400_000;
		expect(longOfflineDays(synced, 3, now + 30 * day)).toBeNull();
		expect(longOfflineDays(synced, 3, now + 31 * day)).toBe(31);
		expect(longOfflineDays(synced, 0, now + 90 * day)).toBeNull();
		expect(longOfflineDays(null, 3, now)).toBeNull();
	});
});
