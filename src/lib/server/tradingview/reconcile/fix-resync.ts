import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '$lib/shared/errors';
import { audit } from '../../audit';
import type { Db } from '../../db/client';
import { accesses } from '../../db/schema';
import { pokeHub } from '../../sync/pokes';
import { enqueueGrantSync } from '../sync/queue';
import { claim, driftFacts, type DriftRow, type FixRequest } from './fix-context';

/**
 * "Paid but missing" and "expiry differs": the CRM is the source of truth, so the grant goes back
 * to `pending` with a sync job, as "Retry now" does; the worker makes TradingView match the grant
 * and reads it back before calling it verified. Nothing is written to TradingView from here.
 */
export async function resync(
	db: Db,
	drift: NonNullable<DriftRow>,
	request: FixRequest
): Promise<boolean> {
	const accessId = drift.accessId;
	if (!accessId) throw new AppError('RECONCILE_STALE');
	const done = await db.transaction(async (tx) => {
		if (!(await claim(tx, drift.id, 'resynced', request))) return false;
		const [before] = await tx
			.select({ tvState: accesses.tvState, endsAt: accesses.endsAt })
			.from(accesses)
			.where(and(eq(accesses.id, accessId), isNull(accesses.deletedAt)));
		if (!before) throw new AppError('RECONCILE_STALE');
		await tx
			.update(accesses)
			.set({ tvState: 'pending', tvError: null, tvAttempts: 0 })
			.where(eq(accesses.id, accessId));
		await enqueueGrantSync(tx, accessId);
		await audit(tx, {
			actor: request.actor,
			action: 'tradingview.reconcile.fix',
			entity: 'reconciliation_drifts',
			entityId: drift.id,
			before: { ...driftFacts(drift), tvState: before.tvState },
			after: { fix: 'resynced', accessId, tvState: 'pending' },
			meta: request.meta
		});
		return true;
	});
	if (done) pokeHub().poke();
	return done;
}
