/** Capped exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffDelay(
	attempt: number,
	options: { baseMs?: number; capMs?: number; random?: () => number } = {}
): number {
	const base = options.baseMs ?? 1000;
	const cap = options.capMs ?? 60_000;
	const random = options.random ?? Math.random;
	const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
