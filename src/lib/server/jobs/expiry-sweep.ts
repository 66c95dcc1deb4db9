import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../db/client';
import { accessEvents, notifications, settings } from '../db/schema';
import { pokeHub } from '../sync/pokes';
import { enqueueExpired } from '../tradingview/sync/queue';
import { rowsOf } from '../db/rows';

// The expiry sweep (issue 7): a grant's state is derived from `ends_at` on every device, so nothing
// has to happen for it to *be* expired; the sweep records it — an `expired` event in the grant's
// history, an `expired` notification — and queues the removal from TradingView. Scheduled every
// minute, so it runs at most a minute or two behind an end.

/** How far back the sweep has looked, so each run reads only the grants that ended since. */
export const SWEEP_WATERMARK_KEY = 'jobs.expiry-sweep.through';

/**
 * A grant committed late (a long transaction) can carry an end slightly before the watermark;
 * the overlap finds it, and the per-term check below keeps the overlap from recording twice.
 */
const OVERLAP_MS = 60 * 60_000;

/**
 * On the first run ever there is no watermark: only the last day is swept. Grants that ended
 * before PineGate had a sweep keep no `expired` event (their state is derived all the same), and
 * an upgrade does not flood the notification centre with years of old expirations.
 */
const FIRST_RUN_LOOKBACK_MS = 24 * 60 * 60_000;

const BATCH = 500;

export interface SweepSummary {
	expired: number;
	tradingViewRemovals: number;
}

interface Ended {
	id: string;
	client_id: string;
	indicator_id: string;
	ends_at: Date | string;
}

/** Records every grant that ended in (watermark − overlap, now]; idempotent per term. */
export async function sweepExpired(db: Db, now: Date): Promise<SweepSummary> {
	const [mark] = await db
		.select({ value: settings.value })
		.from(settings)
		.where(sql`${settings.key} = ${SWEEP_WATERMARK_KEY}`);
	const through =
		typeof (mark?.value as { at?: unknown } | undefined)?.at === 'string'
			? new Date((mark?.value as { at: string }).at)
			: new Date(now.getTime() - FIRST_RUN_LOOKBACK_MS);
	const from = new Date(through.getTime() - OVERLAP_MS);

	let expired = 0;
	for (;;) {
		const recorded = await db.transaction(async (tx) => {
			// One event per term: a renewal moves `ends_at`, and the next end is a new term.
			const ended = rowsOf<Ended>(
				await tx.execute(sql`
					select a.id, a.client_id, a.indicator_id, a.ends_at from accesses a
					where a.revoked_at is null and a.deleted_at is null and a.ends_at is not null
					and a.ends_at > ${from.toISOString()} and a.ends_at <= ${now.toISOString()}
					and not exists (
						select 1 from access_events e
						where e.access_id = a.id and e.kind = 'expired' and e.new_ends_at = a.ends_at
					)
					order by a.ends_at
					limit ${BATCH}`)
			);
			// Two statements a batch, not two a grant: on PGlite (one connection) every request waits
			// while this transaction runs, and a first run can find thousands of ended terms.
			if (ended.length === 0) return 0;
			const terms = ended.map((grant) => ({
				grant,
				endsAt: new Date(grant.ends_at),
				common: { clientId: grant.client_id, indicatorId: grant.indicator_id }
			}));
			await tx.insert(accessEvents).values(
				terms.map(({ grant, endsAt, common }) => ({
					id: uuidv7(),
					accessId: grant.id,
					...common,
					kind: 'expired' as const,
					at: now,
					actor: 'system' as const,
					previousEndsAt: endsAt,
					newEndsAt: endsAt
				}))
			);
			await tx.insert(notifications).values(
				terms.map(({ grant, endsAt, common }) => ({
					id: uuidv7(),
					kind: 'expired' as const,
					entity: 'accesses' as const,
					entityId: grant.id,
					data: { ...common, endsAt: endsAt.toISOString() },
					at: now,
					userId: null
				}))
			);
			return ended.length;
		});
		expired += recorded;
		if (recorded < BATCH) break;
	}
	const value = { at: now.toISOString() };
	await db
		.insert(settings)
		.values({ key: SWEEP_WATERMARK_KEY, value, updatedAt: now })
		.onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
	// Every verified grant that ended goes back to `pending` with a removal job (the worker reads
	// the row and removes the user, then verifies the removal).
	const tradingViewRemovals = await enqueueExpired(db, now);
	if (expired > 0) pokeHub().poke();
	return { expired, tradingViewRemovals };
}
