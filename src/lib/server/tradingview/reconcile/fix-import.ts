import { and, eq, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { AppError } from '$lib/shared/errors';
import { audit } from '../../audit';
import type { Db } from '../../db/client';
import { accessEvents, accesses, clients } from '../../db/schema';
import { pokeHub } from '../../sync/pokes';
import { actorColumn } from './runs';
import { claim, driftFacts, type DriftRow, type FixRequest } from './fix-context';

export const IMPORT_NOTE = 'Imported from TradingView';

/**
 * "Not in PineGate": the TradingView user becomes a client (unless one with that username exists
 * by now) with a grant matching what TradingView lists, which is how a vendor's existing customers
 * are onboarded. The grant is `paid` (someone gave them access: PineGate cannot tell a trial from
 * a sale, and paid is what the vendor most often has to account for; it can be edited) and
 * `verified`, since TradingView already shows exactly this, so no job is queued. A listing whose
 * expiration has passed brings the client only: a grant that ended before it started cannot exist,
 * and the next run reports the listing as a leak to remove.
 */
export async function importUser(
	db: Db,
	drift: NonNullable<DriftRow>,
	request: FixRequest
): Promise<boolean> {
	const { at } = request;
	const endsAt = drift.tvExpiration;
	const done = await db.transaction(async (tx) => {
		if (!(await claim(tx, drift.id, 'imported', request))) return false;
		// Serializes imports of one username (fixing two indicators' drifts at once, say).
		await tx.execute(
			sql`select pg_advisory_xact_lock(hashtextextended(${`client-username:${drift.username.toLowerCase()}`}, 0))`
		);
		const [existing] = await tx
			.select({ id: clients.id })
			.from(clients)
			.where(
				and(
					sql`lower(${clients.tradingviewUsername}) = lower(${drift.username})`,
					isNull(clients.deletedAt)
				)
			);
		const clientId = existing?.id ?? uuidv7();
		if (!existing)
			await tx.insert(clients).values({
				id: clientId,
				// TradingView's own spelling: it listed this user, so the username is known to be valid.
				tradingviewUsername: drift.username,
				tvUsernameState: 'valid',
				email: null,
				fullName: drift.username,
				registeredAt: at,
				status: 'active',
				notes: null,
				createdAt: at,
				updatedAt: at
			});
		// The same lock as the grant mutators take for the pair.
		await tx.execute(
			sql`select pg_advisory_xact_lock(hashtextextended(${`access-pair:${clientId}:${drift.indicatorId}`}, 0))`
		);
		const [open] = await tx
			.select({ id: accesses.id })
			.from(accesses)
			.where(
				and(
					eq(accesses.clientId, clientId),
					eq(accesses.indicatorId, drift.indicatorId),
					isNull(accesses.revokedAt),
					isNull(accesses.deletedAt)
				)
			);
		// A grant made since the run: the report is out of date, and a second grant cannot exist.
		if (open) throw new AppError('RECONCILE_STALE');
		let accessId: string | null = null;
		if (endsAt === null || endsAt > at) {
			accessId = uuidv7();
			await tx.insert(accesses).values({
				id: accessId,
				clientId,
				indicatorId: drift.indicatorId,
				startsAt: at,
				endsAt,
				revokedAt: null,
				revokeReason: null,
				accessType: 'paid',
				tvState: 'verified',
				tvError: null,
				tvAttempts: 0,
				tvVerifiedAt: at,
				createdAt: at,
				updatedAt: at
			});
			await tx.insert(accessEvents).values({
				id: uuidv7(),
				accessId,
				clientId,
				indicatorId: drift.indicatorId,
				kind: 'granted',
				at,
				actor: actorColumn(request.actor),
				previousEndsAt: null,
				newEndsAt: endsAt,
				preset: endsAt === null ? 'lifetime' : 'custom',
				note: IMPORT_NOTE,
				relatedEventId: null
			});
		}
		await audit(tx, {
			actor: request.actor,
			action: 'tradingview.reconcile.fix',
			entity: 'reconciliation_drifts',
			entityId: drift.id,
			before: driftFacts(drift),
			after: { fix: 'imported', clientId, clientCreated: !existing, accessId },
			meta: request.meta
		});
		return true;
	});
	if (done) pokeHub().poke();
	return done;
}
