import { and, asc, eq, isNull } from 'drizzle-orm';
import { AppError, type ErrorCode } from '$lib/shared/errors';
import type { Actor, RequestMeta } from '../../audit';
import { now as serverNow } from '../../clock';
import type { Db } from '../../db/client';
import { env } from '../../env';
import { reconciliationDrifts } from '../../db/schema';
import { TokenBucket } from '../sync/pacing';
import { loadDrift, type FixDone, type FixOptions } from './fix-context';
import { importUser } from './fix-import';
import { removeLeak } from './fix-leak';
import { resync } from './fix-resync';
import type { DriftKind } from './types';

// Fixing what a run found: one drift, or all of a run's (optionally of one kind). Each fix is one
// audited transaction; a fixed drift is never fixed twice.

export interface FixResult {
	driftId: string;
	fix: FixDone;
	/** It had been fixed already (by someone else, or an earlier click): nothing was done now. */
	alreadyFixed: boolean;
}

export async function fixDrift(
	db: Db,
	driftId: string,
	actor: Actor,
	meta?: Partial<RequestMeta>,
	options: FixOptions = {}
): Promise<FixResult> {
	const drift = await loadDrift(db, driftId);
	if (!drift) throw new AppError('NOT_FOUND', { entity: 'reconciliation_drifts' });
	const fixOf: Record<DriftKind, FixDone> = {
		missing: 'resynced',
		expiry_mismatch: 'resynced',
		leak: 'removed',
		unknown_user: 'imported'
	};
	if (drift.fixedAt)
		return { driftId, fix: (drift.fix as FixDone | null) ?? fixOf[drift.kind], alreadyFixed: true };
	const request = { actor, meta, at: (options.now ?? serverNow)() };
	let done: boolean;
	switch (drift.kind) {
		case 'missing':
		case 'expiry_mismatch':
			done = await resync(db, drift, request);
			break;
		case 'leak':
			done = await removeLeak(db, drift, request, options);
			break;
		case 'unknown_user':
			done = await importUser(db, drift, request);
			break;
	}
	return { driftId, fix: fixOf[drift.kind], alreadyFixed: !done };
}

export interface FixAllResult {
	fixed: number;
	failed: Array<{ driftId: string; code: ErrorCode }>;
}

/** Codes after which the remaining fixes would fail the same way: stop instead of trying each. */
const STOPS: ReadonlySet<ErrorCode> = new Set(['TV_NOT_CONNECTED', 'TV_SESSION_INVALID']);

export async function fixAll(
	db: Db,
	runId: string,
	actor: Actor,
	meta?: Partial<RequestMeta>,
	kind?: DriftKind,
	options: FixOptions = {}
): Promise<FixAllResult> {
	const open = await db
		.select({ id: reconciliationDrifts.id })
		.from(reconciliationDrifts)
		.where(
			and(
				eq(reconciliationDrifts.runId, runId),
				isNull(reconciliationDrifts.fixedAt),
				kind ? eq(reconciliationDrifts.kind, kind) : undefined
			)
		)
		.orderBy(asc(reconciliationDrifts.kind), asc(reconciliationDrifts.username));
	const shared = {
		...options,
		bucket: options.bucket ?? new TokenBucket(env().TRADINGVIEW_RATE_PER_MINUTE)
	};
	const result: FixAllResult = { fixed: 0, failed: [] };
	for (const { id } of open) {
		try {
			const outcome = await fixDrift(db, id, actor, meta, shared);
			if (!outcome.alreadyFixed) result.fixed += 1;
		} catch (error) {
			const code = error instanceof AppError ? error.code : 'INTERNAL';
			result.failed.push({ driftId: id, code });
			if (STOPS.has(code)) break;
		}
	}
	return result;
}
