// Pacing of TradingView calls (docs/tradingview-sync.md): a token bucket per TradingView account and
// capped exponential backoff with jitter that honours Retry-After. Clocks and sleeps are injected so
// tests move time instead of waiting.

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
};

/** `ratePerMinute` calls a minute on average, bursts of at most `burst`. */
export class TokenBucket {
	private tokens: number;
	private last: number;
	private readonly perMs: number;
	private readonly burst: number;

	constructor(
		ratePerMinute: number,
		private readonly clock: Clock = realClock,
		burst?: number
	) {
		this.perMs = ratePerMinute / 60_000;
		// Ten seconds' worth, at least one: a short burst, never a minute's worth at once.
		this.burst = burst ?? Math.max(1, Math.ceil(ratePerMinute / 6));
		this.tokens = this.burst;
		this.last = clock.now();
	}

	private refill(): void {
		const at = this.clock.now();
		this.tokens = Math.min(this.burst, this.tokens + (at - this.last) * this.perMs);
		this.last = at;
	}

	/** Waits until a call may be made, then counts it. */
	async take(): Promise<void> {
		for (;;) {
			this.refill();
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return;
			}
			await this.clock.sleep(Math.ceil((1 - this.tokens) / this.perMs));
		}
	}
}

export interface BackoffOptions {
	/** First retry's delay before jitter. */
	baseMs: number;
	/** No backoff delay exceeds this (Retry-After may, up to `maxRetryAfterMs`). */
	capMs: number;
	maxRetryAfterMs?: number;
	random?: () => number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 2_000, capMs: 15 * 60_000 };

/**
 * The wait before try number `attempt + 1` (attempt ≥ 1 tries made): exponential from `baseMs`,
 * capped, with "equal jitter" (between half and all of it) so retries of many grants spread out;
 * never shorter than TradingView's Retry-After.
 */
export function retryDelayMs(
	attempt: number,
	retryAfterMs: number | undefined,
	options: BackoffOptions = defaultBackoff
): number {
	const random = options.random ?? Math.random;
	const exp = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
	const jittered = exp / 2 + random() * (exp / 2);
	const floor = Math.min(retryAfterMs ?? 0, options.maxRetryAfterMs ?? 60 * 60_000);
	return Math.round(Math.max(jittered, floor));
}
