import { uuidv7 } from 'uuidv7';
import type { AccessRow } from '../../src/lib/shared/schemas/access';

const AT = '2026-01-01T00:00:00.000Z';

/** A grant as a device stores it (wire format), open and pending unless `fields` say otherwise. */
export function deviceAccess(fields: Partial<AccessRow> = {}): AccessRow {
	return {
		id: uuidv7(),
		clientId: 'c',
		indicatorId: 'i',
		startsAt: AT,
		endsAt: null,
		revokedAt: null,
		revokeReason: null,
		accessType: 'paid',
		tvState: 'pending',
		tvError: null,
		tvAttempts: 0,
		tvVerifiedAt: null,
		createdAt: AT,
		updatedAt: AT,
		version: 1,
		deletedAt: null,
		...fields
	};
}
