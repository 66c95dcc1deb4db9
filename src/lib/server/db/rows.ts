/** The rows of `db.execute(...)`: an array on postgres-js, `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	return (result as { rows?: T[] }).rows ?? [];
}
