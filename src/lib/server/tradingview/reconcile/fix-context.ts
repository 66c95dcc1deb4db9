import { eq, sql } from 'drizzle-orm';
import type { Actor, RequestMeta } from '../../audit';
import type { DbOrTx } from '../../db/client';
import { clients, indicators, reconciliationDrifts } from '../../db/schema';
import type { TradingViewClient } from '../client';
import type { TokenBucket } from '../sync/pacing';
import { actorColumn } from './runs';

// What every fix shares: the drift as it is now, and claiming it (the first fix wins, the others
// find it fixed and do nothing).

export type FixDone = 'resynced' | 'removed' | 'imported';

export interface FixOptions {
	/** The TradingView client for removing a leak; default one on the saved session. */
	client?: TradingViewClient;
	now?: () => Date;
	/** Paces a leak's remove and read-back (fixAll shares one over all its fixes). */
	bucket?: TokenBucket;
}

export interface FixRequest {
	actor: Actor;
	meta: Partial<RequestMeta> | undefined;
	at: Date;
}

export type DriftRow = Awaited<ReturnType<typeof loadDrift>>;

export async function loadDrift(db: DbOrTx, driftId: string) {
	const [row] = await db
		.select({
			id: reconciliationDrifts.id,
			runId: reconciliationDrifts.runId,
			kind: reconciliationDrifts.kind,
			indicatorId: reconciliationDrifts.indicatorId,
			clientId: reconciliationDrifts.clientId,
			accessId: reconciliationDrifts.accessId,
			username: reconciliationDrifts.username,
			tvExpiration: reconciliationDrifts.tvExpiration,
			crmEndsAt: reconciliationDrifts.crmEndsAt,
			fixedAt: reconciliationDrifts.fixedAt,
			fix: reconciliationDrifts.fix,
			pineId: indicators.pubId,
			indicatorName: indicators.name,
			clientUsername: clients.tradingviewUsername
		})
		.from(reconciliationDrifts)
		.innerJoin(indicators, eq(indicators.id, reconciliationDrifts.indicatorId))
		.leftJoin(clients, eq(clients.id, reconciliationDrifts.clientId))
		.where(eq(reconciliationDrifts.id, driftId));
	return row;
}

/** Marks the drift fixed unless it already is; false when another fix got there first. */
export async function claim(
	tx: DbOrTx,
	driftId: string,
	fix: FixDone,
	request: FixRequest
): Promise<boolean> {
	const rows = await tx
		.update(reconciliationDrifts)
		.set({ fixedAt: request.at, fixedBy: actorColumn(request.actor), fix })
		.where(sql`${reconciliationDrifts.id} = ${driftId} and ${reconciliationDrifts.fixedAt} is null`)
		.returning({ id: reconciliationDrifts.id });
	return rows.length > 0;
}

/** What the audit log keeps of the drift a fix settled. */
export function driftFacts(drift: NonNullable<DriftRow>) {
	return {
		runId: drift.runId,
		kind: drift.kind,
		indicatorId: drift.indicatorId,
		pineId: drift.pineId,
		username: drift.username,
		clientId: drift.clientId,
		accessId: drift.accessId,
		tvExpiration: drift.tvExpiration?.toISOString() ?? null,
		crmEndsAt: drift.crmEndsAt?.toISOString() ?? null
	};
}
