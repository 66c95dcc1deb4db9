import { uuidv7 } from 'uuidv7';
import { isOpenGrant } from '$lib/shared/grants';
import type { AccessRow } from '$lib/shared/schemas/access';

/**
 * "Revoke all and delete": one `access.revoke` per grant this device sees open, then the
 * `client.delete` (queued in that order, so the server applies them in that order). If another
 * device granted meanwhile, the server still refuses the delete (HAS_OPEN_GRANTS), visibly.
 */
export function revokeAllPlan(
	clientId: string,
	accesses: readonly AccessRow[],
	now: Date,
	reason: string
) {
	const revokes = accesses
		.filter((a) => a.clientId === clientId && isOpenGrant(a, now))
		.map((a) => ({ accessId: a.id, eventId: uuidv7(), reason }));
	return { revokes, remove: { id: clientId } };
}
