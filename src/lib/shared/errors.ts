/**
 * Every error the server can answer, once. The client translates `code` into the user's language
 * (`errors.<code>` in the i18n dictionaries); `status` is the HTTP status the server answers with.
 */
export const errorCodes = {
	UNAUTHENTICATED: { status: 401, trpc: 'UNAUTHORIZED' },
	INVALID_CREDENTIALS: { status: 401, trpc: 'UNAUTHORIZED' },
	SESSION_EXPIRED: { status: 401, trpc: 'UNAUTHORIZED' },
	FORBIDDEN: { status: 403, trpc: 'FORBIDDEN' },
	ACCOUNT_DISABLED: { status: 403, trpc: 'FORBIDDEN' },
	SETUP_ALREADY_DONE: { status: 403, trpc: 'FORBIDDEN' },
	FOREIGN_ORIGIN: { status: 403, trpc: 'FORBIDDEN' },
	VALIDATION: { status: 400, trpc: 'BAD_REQUEST' },
	NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
	EMAIL_TAKEN: { status: 409, trpc: 'CONFLICT' },
	LAST_ADMIN: { status: 409, trpc: 'CONFLICT' },
	USERNAME_TAKEN: { status: 409, trpc: 'CONFLICT' },
	CLIENT_EMAIL_TAKEN: { status: 409, trpc: 'CONFLICT' },
	PUB_ID_TAKEN: { status: 409, trpc: 'CONFLICT' },
	VERSION_EXISTS: { status: 409, trpc: 'CONFLICT' },
	ALREADY_EXISTS: { status: 409, trpc: 'CONFLICT' },
	RECORD_DELETED: { status: 409, trpc: 'CONFLICT' },
	HAS_OPEN_GRANTS: { status: 409, trpc: 'CONFLICT' },
	CLIENT_INACTIVE: { status: 409, trpc: 'CONFLICT' },
	INDICATOR_RETIRED: { status: 409, trpc: 'CONFLICT' },
	GRANT_REVOKED: { status: 409, trpc: 'CONFLICT' },
	END_NOT_LATER: { status: 400, trpc: 'BAD_REQUEST' },
	CONFLICT_RESOLVED: { status: 409, trpc: 'CONFLICT' },
	TV_USERNAME_INVALID: { status: 409, trpc: 'CONFLICT' },
	TV_NOT_CONNECTED: { status: 409, trpc: 'CONFLICT' },
	TV_SESSION_INVALID: { status: 409, trpc: 'CONFLICT' },
	TV_SESSION_UNREADABLE: { status: 409, trpc: 'CONFLICT' },
	TV_UNREACHABLE: { status: 502, trpc: 'BAD_GATEWAY' },
	TV_RATE_LIMITED: { status: 429, trpc: 'TOO_MANY_REQUESTS' },
	TV_CAPTCHA: { status: 409, trpc: 'CONFLICT' },
	TV_INVALID_CREDENTIALS: { status: 409, trpc: 'CONFLICT' },
	TV_UNEXPECTED: { status: 502, trpc: 'BAD_GATEWAY' },
	RECONCILE_STALE: { status: 409, trpc: 'CONFLICT' },
	RECONCILE_NOT_REMOVED: { status: 502, trpc: 'BAD_GATEWAY' },
	UNKNOWN_MUTATOR: { status: 400, trpc: 'BAD_REQUEST' },
	DEPENDS_ON_REJECTED: { status: 409, trpc: 'CONFLICT' },
	CLIENT_SCHEMA_UNSUPPORTED: { status: 409, trpc: 'CONFLICT' },
	DEVICE_USER_MISMATCH: { status: 409, trpc: 'CONFLICT' },
	SELF_CHANGE: { status: 409, trpc: 'CONFLICT' },
	RATE_LIMITED: { status: 429, trpc: 'TOO_MANY_REQUESTS' },
	BACKUPS_UNAVAILABLE: { status: 503, trpc: 'SERVICE_UNAVAILABLE' },
	INTERNAL: { status: 500, trpc: 'INTERNAL_SERVER_ERROR' }
} as const;

export type ErrorCode = keyof typeof errorCodes;

export type ErrorParams = Record<string, string | number>;

export function isErrorCode(value: unknown): value is ErrorCode {
	return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

/** The one error class of the domain: a code from the map plus parameters for the message. */
export class AppError extends Error {
	override name = 'AppError';
	constructor(
		readonly code: ErrorCode,
		readonly params: ErrorParams = {},
		message?: string
	) {
		super(message ?? code);
	}
}
