import { now } from './clock';

/**
 * A sliding-window limit kept in this process's memory: at most `max` uses per key inside
 * `windowMs`. For actions whose cost is elsewhere (each TradingView connection test makes several
 * TradingView calls on the vendor's account), where losing the count at a restart is harmless and
 * a database write per click is not worth it. Several instances each allow `max` (docs/security.md).
 */
export interface RateLimit {
	/** Counts one use; returns 0 when allowed, else the milliseconds until the next use is allowed. */
	take(key: string): number;
	/** Forgets every count (tests). */
	clear(): void;
}

export function slidingWindowLimit(options: { max: number; windowMs: number }): RateLimit {
	const uses = new Map<string, number[]>();
	return {
		take(key) {
			const at = now().getTime();
			const recent = (uses.get(key) ?? []).filter((t) => t > at - options.windowMs);
			if (recent.length >= options.max) {
				uses.set(key, recent);
				return (recent[0] ?? at) + options.windowMs - at;
			}
			recent.push(at);
			uses.set(key, recent);
			// Keys of people who stopped clicking are dropped when the map grows, not kept forever.
			if (uses.size > 1000)
				for (const [k, times] of uses)
					if (times.every((t) => t <= at - options.windowMs)) uses.delete(k);
			return 0;
		},
		clear() {
			uses.clear();
		}
	};
}
