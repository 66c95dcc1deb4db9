import { vi } from 'vitest';

/**
 * How long a test waits for something asynchronous before failing. Vitest's one-second default
 * for `vi.waitFor` is not enough on a loaded CI machine: two CI runs failed on it.
 */
export const EVENTUALLY_MS = 20_000;

/** Retries `check` (an assertion) until it passes, for up to EVENTUALLY_MS. */
export function eventually<T>(check: () => T | Promise<T>): Promise<T> {
	return vi.waitFor(check, { timeout: EVENTUALLY_MS, interval: 20 });
}

/** Reads until `done` accepts the value; times out with the last value read. */
export async function pollUntil<T>(
	read: () => Promise<T>,
	done: (value: T) => boolean,
	timeoutMs = 45_000
): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > until) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
