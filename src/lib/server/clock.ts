/**
 * The server's clock. Every rule that depends on time (grant states, rate limits, session expiry)
 * reads it here so tests can move time without touching the system clock.
 */
let offsetMs = 0;
let fixed: Date | undefined;

export function now(): Date {
	if (fixed) return new Date(fixed.getTime());
	return new Date(Date.now() + offsetMs);
}

export const testClock = {
	set(date: Date | undefined): void {
		fixed = date;
	},
	advance(ms: number): void {
		if (fixed) fixed = new Date(fixed.getTime() + ms);
		else offsetMs += ms;
	},
	reset(): void {
		fixed = undefined;
		offsetMs = 0;
	}
};
