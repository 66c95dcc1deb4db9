import { describe, expect, it } from 'vitest';
import { DAY_MS } from '$lib/shared/grants';
import type { AccessRow } from '$lib/shared/schemas/access';
import { grantArgs, previewGrant, renewArgs } from './grant';

const now = new Date('2026-05-01T00:00:00.000Z');
const at = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
const grant = (over: Partial<AccessRow>): AccessRow => ({
	id: 'g1',
	clientId: 'c1',
	indicatorId: 'i1',
	startsAt: at(-30),
	endsAt: at(10),
	revokedAt: null,
	revokeReason: null,
	accessType: 'paid',
	tvState: 'verified',
	tvError: null,
	tvAttempts: 0,
	tvVerifiedAt: null,
	createdAt: at(-30),
	updatedAt: at(-30),
	version: 1,
	deletedAt: null,
	...over
});
const client = { id: 'c1', status: 'active' as const };
const thirty = { kind: 'preset', preset: '30d' } as const;

describe('previewGrant', () => {
	it('tells new pairs, open pairs (extended) and expired pairs (reopened from now) apart', () => {
		const accesses = [
			grant({ id: 'open', indicatorId: 'i1', endsAt: at(10) }),
			grant({ id: 'expired', indicatorId: 'i2', endsAt: at(-3) }),
			grant({ id: 'revoked', indicatorId: 'i3', revokedAt: at(-1) })
		];
		const items = previewGrant({
			client,
			indicators: ['i1', 'i2', 'i3'].map((id) => ({ id, status: 'production' as const })),
			accesses,
			duration: thirty,
			now
		});
		expect(items.map((i) => [i.indicatorId, i.outcome, i.existing?.id ?? null, i.endsAt])).toEqual([
			['i1', 'extend', 'open', at(40)],
			['i2', 'reopen', 'expired', at(30)],
			['i3', 'create', null, at(30)]
		]);
	});

	it('refuses retired indicators and inactive clients, and custom ends that would shorten', () => {
		expect(
			previewGrant({
				client,
				indicators: [{ id: 'i1', status: 'retired' }],
				accesses: [],
				duration: thirty,
				now
			})[0]?.outcome
		).toBe('retired');
		expect(
			previewGrant({
				client: { id: 'c1', status: 'inactive' },
				indicators: [{ id: 'i1', status: 'production' }],
				accesses: [],
				duration: thirty,
				now
			})[0]?.outcome
		).toBe('inactive');
		expect(
			previewGrant({
				client,
				indicators: [{ id: 'i1', status: 'production' }],
				accesses: [grant({ endsAt: at(10) })],
				duration: { kind: 'until', endsAt: at(5) },
				now
			})[0]
		).toMatchObject({ outcome: 'endNotLater', endsAt: undefined });
	});

	it('refuses a client whose TradingView username is invalid', () => {
		const [item] = previewGrant({
			client: { id: 'c1', status: 'active', tvUsernameState: 'invalid' },
			indicators: [{ id: 'i1', status: 'production' }],
			accesses: [],
			duration: thirty,
			now
		});
		expect(item).toMatchObject({ outcome: 'usernameInvalid', endsAt: undefined });
	});

	it('a lifetime grant stays lifetime', () => {
		const [item] = previewGrant({
			client,
			indicators: [{ id: 'i1', status: 'production' }],
			accesses: [grant({ endsAt: null })],
			duration: thirty,
			now
		});
		expect(item).toMatchObject({ outcome: 'extend', endsAt: null });
	});
});

describe('mutation arguments', () => {
	it('give each indicator its own fresh grant and event ids', () => {
		const args = grantArgs({
			clientId: 'c1',
			indicatorIds: ['i1', 'i2'],
			duration: thirty,
			accessType: 'trial',
			note: null
		});
		const ids = args.items.flatMap((i) => [i.accessId, i.eventId]);
		expect(new Set(ids).size).toBe(4);
		expect(args.items.map((i) => i.indicatorId)).toEqual(['i1', 'i2']);
	});
	it('a renewal carries the end the device saw', () => {
		expect(renewArgs({ id: 'g1', endsAt: at(10) }, thirty)).toMatchObject({
			accessId: 'g1',
			baseEndsAt: at(10)
		});
	});
});
