import type { AccessRow } from './schemas/records';

export const grantStates = ['active', 'expiring', 'expired', 'revoked'] as const;
export type GrantState = (typeof grantStates)[number];

export const DAY_MS = 24 * 3600 * 1000;
/** A grant with this little time left (or less) is "expiring" (DESIGN.md §3). */
export const EXPIRING_WITHIN_MS = 7 * DAY_MS;

/**
 * The one definition of a grant's state, always from the server's time (on a device: its estimate
 * of the server clock, never the raw device clock). Lifetime grants are never expiring.
 */
export function grantState(grant: Pick<AccessRow, 'revokedAt' | 'endsAt'>, now: Date): GrantState {
	if (grant.revokedAt) return 'revoked';
	if (grant.endsAt === null) return 'active';
	const left = Date.parse(grant.endsAt) - now.getTime();
	if (left <= 0) return 'expired';
	if (left <= EXPIRING_WITHIN_MS) return 'expiring';
	return 'active';
}

/** Still giving access: active or expiring. */
export function isOpenGrant(grant: Pick<AccessRow, 'revokedAt' | 'endsAt'>, now: Date): boolean {
	const state = grantState(grant, now);
	return state === 'active' || state === 'expiring';
}
