import { describe, expect, it } from 'vitest';
import type { AccessRow } from '$lib/shared/schemas/access';
import { revokeAllPlan } from './revoke-all';

const now = new Date('2026-05-01T00:00:00.000Z');
const grant = (id: string, over: Partial<AccessRow>) =>
	({
		id,
		clientId: 'c1',
		revokedAt: null,
		endsAt: '2026-06-01T00:00:00.000Z',
		...over
	}) as AccessRow;

describe('revoke all and delete', () => {
	it('revokes only the open grants of that client, then deletes it', () => {
		const plan = revokeAllPlan(
			'c1',
			[
				grant('open', {}),
				grant('lifetime', { endsAt: null }),
				grant('expired', { endsAt: '2026-04-01T00:00:00.000Z' }),
				grant('revoked', { revokedAt: '2026-04-20T00:00:00.000Z' }),
				grant('other', { clientId: 'c2' })
			],
			now,
			'Client deleted'
		);
		expect(plan.revokes.map((r) => r.accessId)).toEqual(['open', 'lifetime']);
		expect(plan.revokes.every((r) => r.reason === 'Client deleted')).toBe(true);
		expect(plan.remove).toEqual({ id: 'c1' });
	});
});
