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

/**
 * Data exceptions a value sent by a client can cause (a NUL character in text or JSON, a number
 * beyond the column's range, a string PostgreSQL cannot read as a uuid or time): the request's
 * fault, answered as a validation error rather than an internal one. Not the whole class 22: a
 * division by zero is the server's bug.
 */
const PG_BAD_INPUT = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05']);

export function isBadInputError(error: unknown): boolean {
	const info = pgErrorInfo(error);
	return info !== null && PG_BAD_INPUT.has(info.code);
}

/** Whether a NUL character hides anywhere in a value (a string or an object key), which PostgreSQL cannot store. */
export function hasNul(value: unknown, depth = 0): boolean {
	if (typeof value === 'string') return value.includes('\u0000');
	if (depth > 20 || typeof value !== 'object' || value === null) return false;
	return Object.entries(value).some(
		([key, inner]) => key.includes('\u0000') || hasNul(inner, depth + 1)
	);
}

/** PostgreSQL aborted the whole transaction as a deadlock or a serialization failure. */
const PG_ABORTED = new Set(['40P01', '40001']);

/**
 * Runs a transaction again (up to `retries` more times) when PostgreSQL aborted it as a deadlock or
 * serialization failure: nothing of the aborted attempt committed, so a new attempt is safe.
 */
export async function retryAborted<T>(
	run: () => Promise<T>,
	onRetry: (code: string, attempt: number) => void,
	retries = 3
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await run();
		} catch (error) {
			const code = pgErrorInfo(error)?.code;
			if (!code || !PG_ABORTED.has(code) || attempt > retries) throw error;
			onRetry(code, attempt);
		}
	}
}
