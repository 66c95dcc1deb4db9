import type { AccessEntry, TradingViewClient } from '../client';
import { TradingViewError } from '../errors';
import { MAX_PAGE_SIZE } from '../schemas';
import { retryDelayMs, type BackoffOptions, type Clock, type TokenBucket } from '../sync/pacing';

// Reading one script's whole access list, page by page (TradingView caps pages at 30), each page
// paced by the token bucket. Transient trouble (5xx, 429, timeouts) is retried a few times with
// backoff, since one hiccup should not throw away a long run; anything else goes up to the run.

/** Tries per page before the run gives up on TradingView. */
const PAGE_TRIES = 4;
const backoff: BackoffOptions = { baseMs: 1_000, capMs: 30_000, maxRetryAfterMs: 120_000 };

export interface ScanCounters {
	calls: number;
	entries: number;
}

export async function listAccess(
	client: TradingViewClient,
	pineId: string,
	pacing: { bucket: TokenBucket; clock: Clock },
	counters: ScanCounters
): Promise<AccessEntry[]> {
	const all: AccessEntry[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	do {
		const page = await withRetries(pacing, counters, () =>
			// Oldest first: the keyset cursor neither skips nor repeats if a grant changes meanwhile.
			client.listUsersPage(pineId, { limit: MAX_PAGE_SIZE, orderBy: 'created' }, cursor)
		);
		all.push(...page.results);
		counters.entries += page.results.length;
		cursor = page.next ?? undefined;
		if (cursor !== undefined) {
			if (seen.has(cursor))
				throw new TradingViewError('bad_request', 'TradingView repeated a paging cursor');
			seen.add(cursor);
		}
	} while (cursor !== undefined);
	return all;
}

async function withRetries<T>(
	pacing: { bucket: TokenBucket; clock: Clock },
	counters: ScanCounters,
	call: () => Promise<T>
): Promise<T> {
	for (let attempt = 1; ; attempt += 1) {
		await pacing.bucket.take();
		counters.calls += 1;
		try {
			return await call();
		} catch (error) {
			if (!(error instanceof TradingViewError) || !error.retryable || attempt >= PAGE_TRIES)
				throw error;
			await pacing.clock.sleep(retryDelayMs(attempt, error.retryAfterMs, backoff));
		}
	}
}
