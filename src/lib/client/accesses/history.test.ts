import { describe, expect, it } from 'vitest';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';
import { grantHistory } from './history';

const event = (id: string, kind: AccessEventRow['kind'], at: string) =>
	({ id, kind, at }) as AccessEventRow;
const now = new Date('2026-05-10T00:00:00.000Z');

describe('a grant history', () => {
	const events = [
		event('01', 'granted', '2026-04-01T00:00:00.000Z'),
		event('02', 'renewed', '2026-04-20T00:00:00.000Z')
	];
	it('lists events newest first', () => {
		const open = grantHistory({ revokedAt: null, endsAt: '2026-06-01T00:00:00.000Z' }, events, now);
		expect(open.map((e) => (e.kind === 'event' ? e.event.id : e.kind))).toEqual(['02', '01']);
	});
	it('shows when an expired grant ended, once, until an expired event records it', () => {
		const ended = grantHistory(
			{ revokedAt: null, endsAt: '2026-05-05T00:00:00.000Z' },
			events,
			now
		);
		expect(ended[0]).toEqual({ kind: 'ended', at: '2026-05-05T00:00:00.000Z' });
		const recorded = grantHistory(
			{ revokedAt: null, endsAt: '2026-05-05T00:00:00.000Z' },
			[...events, event('03', 'expired', '2026-05-05T00:03:00.000Z')],
			now
		);
		expect(recorded.filter((e) => e.kind === 'ended')).toHaveLength(0);
	});
	it('a revoked grant has no end line', () => {
		const revoked = grantHistory(
			{ revokedAt: '2026-04-25T00:00:00.000Z', endsAt: '2026-05-05T00:00:00.000Z' },
			events,
			now
		);
		expect(revoked.some((e) => e.kind === 'ended')).toBe(false);
	});
});
