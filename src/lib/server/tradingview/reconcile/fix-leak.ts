import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { AppError } from '$lib/shared/errors';
import { audit } from '../../audit';
import type { Db } from '../../db/client';
import { env } from '../../env';
import { accesses, clients } from '../../db/schema';
import { pokeHub } from '../../sync/pokes';
import { TradingViewError } from '../errors';
import { appErrorOf } from '../service';
import { TokenBucket } from '../sync/pacing';
import { isPaused, pauseWrites } from '../sync/queue';
import { claim, driftFacts, type DriftRow, type FixOptions, type FixRequest } from './fix-context';
import { sessionClient } from './session';

/**
 * Whether the pair should be on TradingView after all, or is being synced: a grant made since the
 * run (or one in flight) wins over the report, and the user must not be removed.
 */
async function wantedNow(db: Db, drift: NonNullable<DriftRow>, at: Date): Promise<boolean> {
	const rows = await db
		.select({ id: accesses.id })
		.from(accesses)
		.innerJoin(clients, eq(clients.id, accesses.clientId))
		.where(
			and(
				eq(accesses.indicatorId, drift.indicatorId),
				sql`lower(${clients.tradingviewUsername}) = lower(${drift.username})`,
				isNull(clients.deletedAt),
				isNull(accesses.deletedAt),
				or(
					eq(accesses.tvState, 'pending'),
					and(isNull(accesses.revokedAt), or(isNull(accesses.endsAt), gt(accesses.endsAt, at)))
				)
			)
		)
		.limit(1);
	return rows.length > 0;
}

/**
 * "On TradingView without an open grant": remove the user from the script on TradingView, then read
 * it back; only a read-back without the user counts as fixed. The calls are made before (outside)
 * the transaction that records the fix.
 */
export async function removeLeak(
	db: Db,
	drift: NonNullable<DriftRow>,
	request: FixRequest,
	options: FixOptions
): Promise<boolean> {
	if (await wantedNow(db, drift, request.at)) throw new AppError('RECONCILE_STALE');
	if (await isPaused(db)) throw new AppError('TV_SESSION_INVALID');
	const client = options.client ?? (await sessionClient(db));
	if (!client) throw new AppError('TV_NOT_CONNECTED');
	const bucket = options.bucket ?? new TokenBucket(env().TRADINGVIEW_RATE_PER_MINUTE);
	try {
		await bucket.take();
		await client.remove(drift.pineId, drift.username);
		await bucket.take();
		const after = await client.findAccess(drift.pineId, drift.username);
		if (after) throw new AppError('RECONCILE_NOT_REMOVED', { username: drift.username });
	} catch (error) {
		if (error instanceof TradingViewError && error.kind === 'session') {
			const reason = error.detail ?? error.message;
			if (await db.transaction((tx) => pauseWrites(tx, request.at, reason))) pokeHub().poke();
		}
		throw appErrorOf(error);
	}
	return db.transaction(async (tx) => {
		if (!(await claim(tx, drift.id, 'removed', request))) return false;
		await audit(tx, {
			actor: request.actor,
			action: 'tradingview.reconcile.fix',
			entity: 'reconciliation_drifts',
			entityId: drift.id,
			before: driftFacts(drift),
			after: { fix: 'removed', onTradingView: false },
			meta: request.meta
		});
		return true;
	});
}
