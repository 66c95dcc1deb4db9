import { describe, expect, it } from 'vitest';
import { retryDelayMs, TokenBucket, type Clock } from './pacing';

function movingClock(): Clock & { slept: number[] } {
	let t = 0;
	const slept: number[] = [];
	return {
		slept,
		now: () => t,
		sleep: (ms) => {
			slept.push(ms);
			t += ms;
			return Promise.resolve();
		}
	};
}

describe('TradingView sync pacing', () => {
	it('the token bucket allows a short burst, then the configured rate', async () => {
		const clock = movingClock();
		const bucket = new TokenBucket(60, clock); // one a second, bursts of 10
		for (let i = 0; i < 10; i++) await bucket.take();
		expect(clock.now()).toBe(0);
		for (let i = 0; i < 5; i++) await bucket.take();
		expect(clock.now()).toBe(5_000);
	});

	it('backoff doubles from the base, is capped, jittered, and never shorter than Retry-After', () => {
		const options = { baseMs: 1_000, capMs: 8_000 };
		const low = { ...options, random: () => 0 };
		const high = { ...options, random: () => 1 };
		expect([1, 2, 3, 4, 5, 9].map((a) => retryDelayMs(a, undefined, high))).toEqual([
			1_000, 2_000, 4_000, 8_000, 8_000, 8_000
		]);
		expect(retryDelayMs(3, undefined, low)).toBe(2_000);
		expect(retryDelayMs(1, 30_000, high)).toBe(30_000);
		expect(retryDelayMs(1, 10 * 3_600_000, high)).toBe(3_600_000);
	});
});
