/** The Postgres error code and constraint behind a driver error (postgres.js, PGlite, drizzle's wrapper). */
export function pgErrorInfo(error: unknown): { code: string; constraint: string | null } | null {
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const candidate = current as {
			code?: unknown;
			constraint?: unknown;
			constraint_name?: unknown;
			cause?: unknown;
		};
		if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
			const constraint = candidate.constraint_name ?? candidate.constraint;
			return {
				code: candidate.code,
				constraint: typeof constraint === 'string' ? constraint : null
			};
		}
		current = candidate.cause;
	}
	return null;
}

export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
/** ON DELETE RESTRICT: PostgreSQL 17 (PGlite) reports 23001 where 15 reports 23503. */
export const PG_RESTRICT_VIOLATION = '23001';
export const PG_CHECK_VIOLATION = '23514';
export const PG_NOT_NULL_VIOLATION = '23502';
