import type { ZodError } from 'zod';
import type { ErrorCode, ErrorParams } from '$lib/shared/errors';
import {
	PG_CHECK_VIOLATION,
	PG_FOREIGN_KEY_VIOLATION,
	PG_NOT_NULL_VIOLATION,
	PG_RESTRICT_VIOLATION,
	PG_UNIQUE_VIOLATION,
	isBadInputError,
	pgErrorInfo
} from '../db/errors';

// How a pushed mutation's failure becomes a refusal the device shows (a result with a code), and
// which failures are not refusals but errors (the push fails and the device tries again).

/** Unique indexes whose violation is a person's mistake, not a bug: answered as a visible rejection. */
const uniqueConstraintCodes: Record<string, ErrorCode> = {
	clients_tv_username_lower_uq: 'USERNAME_TAKEN',
	clients_email_lower_uq: 'CLIENT_EMAIL_TAKEN',
	indicators_pub_id_uq: 'PUB_ID_TAKEN',
	indicator_versions_release_uq: 'VERSION_EXISTS',
	// The pair lock in access.grant makes this unreachable; kept so a miss is a rejection, not a 500.
	accesses_open_pair_uq: 'ALREADY_EXISTS',
	clients_pkey: 'ALREADY_EXISTS',
	indicators_pkey: 'ALREADY_EXISTS'
};

export function rejectionFromDbError(
	error: unknown
): { code: ErrorCode; params: ErrorParams } | null {
	const info = pgErrorInfo(error);
	if (!info) return null;
	if (isBadInputError(error)) return { code: 'VALIDATION', params: { sqlstate: info.code } };
	switch (info.code) {
		case PG_UNIQUE_VIOLATION:
			return {
				code: (info.constraint && uniqueConstraintCodes[info.constraint]) || 'ALREADY_EXISTS',
				params: {}
			};
		case PG_FOREIGN_KEY_VIOLATION:
		case PG_RESTRICT_VIOLATION:
			return { code: 'NOT_FOUND', params: {} };
		case PG_CHECK_VIOLATION:
		case PG_NOT_NULL_VIOLATION:
			return { code: 'VALIDATION', params: { constraint: info.constraint ?? '' } };
		default:
			return null;
	}
}

export function validationParams(error: ZodError): ErrorParams {
	const issue = error.issues[0];
	return { field: issue?.path.join('.') ?? '', message: issue?.message ?? 'validation.invalid' };
}
