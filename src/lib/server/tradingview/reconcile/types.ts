import type { DRIFT_KINDS } from '../../db/schema';
import type { Actor } from '../../audit';
import type { TradingViewClient } from '../client';
import type { Clock } from '../sync/pacing';

export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface ReconciliationOptions {
	/** `systemActor` for the daily job, else the admin who pressed "Run now". */
	actor: Actor;
	/** Server clock: which grants have ended. Default the server's clock. */
	now?: () => Date;
	/** Without it, one is made from the saved session (Settings → TradingView, else the env). */
	client?: TradingViewClient;
	/** Default TRADINGVIEW_RATE_PER_MINUTE. */
	ratePerMinute?: number;
	/** Pacing clock (token bucket, retry waits); tests pass one that moves instead of sleeping. */
	clock?: Clock;
}

export interface ReconciliationSummary {
	runId: string;
	state: 'done' | 'failed';
	error?: string;
	drifts: Record<DriftKind, number>;
	calls: number;
	entriesScanned: number;
	grantsCompared: number;
	durationMs: number;
}

export const emptyCounts = (): Record<DriftKind, number> => ({
	missing: 0,
	leak: 0,
	expiry_mismatch: 0,
	unknown_user: 0
});
