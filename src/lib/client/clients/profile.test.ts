import { describe, expect, it } from 'vitest';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';
import type { AccessRow } from '$lib/shared/schemas/access';
import { splitAccesses, timeline } from './profile';

const now = Date.parse('2025-06-15T12:00:00.000Z');
let seq = 0;
function access(fields: Partial<AccessRow>): AccessRow {
	seq++;
	return {
		id: `0190a000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
		clientId: 'c',
		indicatorId: 'i',
		startsAt: '2025-01-01T00:00:00.000Z',
		endsAt: null,
		revokedAt: null,
		revokeReason: null,
		accessType: 'paid',
		tvState: 'pending',
		tvError: null,
		tvAttempts: 0,
		tvVerifiedAt: null,
		createdAt: '2025-01-01T00:00:00.000Z',
		updatedAt: '2025-01-01T00:00:00.000Z',
		version: 1,
		deletedAt: null,
		...fields
	};
}

describe('splitAccesses', () => {
	it('puts open grants in current and ended ones in past, with their states', () => {
		const lifetime = access({});
		const expiring = access({ endsAt: '2025-06-20T00:00:00.000Z' });
		const active = access({ endsAt: '2025-09-01T00:00:00.000Z' });
		const expired = access({ endsAt: '2025-06-15T12:00:00.000Z' });
		const revoked = access({
			endsAt: '2026-01-01T00:00:00.000Z',
			revokedAt: '2025-06-01T00:00:00.000Z'
		});
		const { current, past } = splitAccesses([lifetime, expired, active, revoked, expiring], now);
		expect(current.map((v) => [v.access.id, v.state])).toEqual([
			[expiring.id, 'expiring'],
			[active.id, 'active'],
			[lifetime.id, 'active']
		]);
		expect(past.map((v) => [v.access.id, v.state])).toEqual([
			[expired.id, 'expired'],
			[revoked.id, 'revoked']
		]);
	});
});

describe('timeline', () => {
	const event = (id: string, at: string): AccessEventRow => ({
		id,
		accessId: 'a',
		clientId: 'c',
		indicatorId: 'i',
		kind: 'granted',
		at,
		actor: 'system',
		previousEndsAt: null,
		newEndsAt: null,
		preset: null,
		note: null,
		relatedEventId: null,
		version: 1,
		deletedAt: null
	});

	it('lists events, the creation and the last edit, newest first', () => {
		const entries = timeline(
			{ createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-03-01T00:00:00.000Z' },
			[event('e1', '2025-02-01T00:00:00.000Z'), event('e2', '2025-04-01T00:00:00.000Z')]
		);
		expect(entries.map((e) => (e.kind === 'event' ? e.event.id : e.kind))).toEqual([
			'e2',
			'updated',
			'e1',
			'created'
		]);
	});

	it('leaves out the edit when the client was never edited', () => {
		const at = '2025-01-01T00:00:00.000Z';
		expect(timeline({ createdAt: at, updatedAt: at }, []).map((e) => e.kind)).toEqual(['created']);
	});
});
