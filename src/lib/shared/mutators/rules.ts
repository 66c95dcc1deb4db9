import type { AccessRow } from '../schemas/records';

/** A grant still giving access at `now`: not revoked, and lifetime or ending in the future. */
export function isOpenGrant(grant: Pick<AccessRow, 'revokedAt' | 'endsAt'>, now: Date): boolean {
	if (grant.revokedAt) return false;
	return grant.endsAt === null || Date.parse(grant.endsAt) > now.getTime();
}
