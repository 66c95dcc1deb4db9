import { z } from 'zod';
import { extendEnd, isOpenGrant, presetLabel, sameEnd } from '../grants';
import {
	accessTypeSchema,
	durationSchema,
	grantNoteSchema,
	revokeReasonSchema,
	type AccessRow,
	type Duration
} from '../schemas/access';
import type { AccessEventRow } from '../schemas/access-event';
import { isoTimestamp, uuidSchema } from '../schemas/common';
import { defineMutator, reject, type MutationTx, type MutatorContext } from '../sync/mutator';

// The grant rules of DESIGN.md §3. Every end date is computed here from the context's clock: the
// server's on the server, so a device's optimistic end is provisional until the pull replaces it.

async function liveAccess(tx: MutationTx, id: string): Promise<AccessRow> {
	const row = await tx.get('accesses', id);
	if (row) return row;
	return reject((await tx.isDeleted('accesses', id)) ? 'RECORD_DELETED' : 'NOT_FOUND', {
		entity: 'accesses'
	});
}

/** The client and indicator must exist, the client be active, the indicator not retired. */
async function assertGrantable(tx: MutationTx, clientId: string, indicatorId: string) {
	const client = await tx.get('clients', clientId);
	if (!client)
		reject((await tx.isDeleted('clients', clientId)) ? 'RECORD_DELETED' : 'NOT_FOUND', {
			entity: 'clients'
		});
	if (client.status !== 'active')
		reject('CLIENT_INACTIVE', { clientId, username: client.tradingviewUsername });
	// TradingView would refuse it (422): an invalid username blocks granting until it is fixed.
	if (client.tvUsernameState === 'invalid')
		reject('TV_USERNAME_INVALID', { clientId, username: client.tradingviewUsername });
	const indicator = await tx.get('indicators', indicatorId);
	if (!indicator)
		reject((await tx.isDeleted('indicators', indicatorId)) ? 'RECORD_DELETED' : 'NOT_FOUND', {
			entity: 'indicators'
		});
	if (indicator.status === 'retired')
		reject('INDICATOR_RETIRED', { indicatorId, indicator: indicator.name });
}

function newEnd(current: string | null | undefined, duration: Duration, now: Date) {
	const extension = extendEnd(current, duration, now);
	if (!extension.ok) return reject(extension.reason);
	return extension.endsAt;
}

type EventFields = Omit<AccessEventRow, 'version' | 'deletedAt' | 'at' | 'actor'>;

function recordEvent(tx: MutationTx, ctx: MutatorContext, event: EventFields) {
	return tx.insert('accessEvents', {
		...event,
		at: ctx.now.toISOString(),
		actor: ctx.actor.userId
	});
}

/** A changed grant waits for TradingView again (the TradingView issue turns `pending` into `verified`). */
const tvPending = { tvState: 'pending' as const, tvError: null, tvAttempts: 0 };

const pairLock = (clientId: string, indicatorId: string) =>
	`access-pair:${clientId}:${indicatorId}`;

export const grantItemSchema = z.object({
	indicatorId: uuidSchema,
	/** The id of the grant if this pair has no unrevoked grant yet. */
	accessId: uuidSchema,
	eventId: uuidSchema
});

export const accessGrant = defineMutator({
	name: 'access.grant',
	args: z.object({
		clientId: uuidSchema,
		items: z
			.array(grantItemSchema)
			.min(1, { error: 'validation.indicatorsRequired' })
			.max(100, { error: 'validation.tooMany' })
			.refine((items) => new Set(items.map((i) => i.indicatorId)).size === items.length, {
				error: 'validation.duplicateIndicator'
			}),
		duration: durationSchema,
		accessType: accessTypeSchema,
		note: grantNoteSchema
	}),
	permission: 'access.grant',
	target: (args) => ({ entity: 'clients', id: args.clientId }),
	/**
	 * One grant per indicator, all or nothing. A pair that already has an unrevoked grant keeps that
	 * one row (TradingView keeps one expiration per user and script): an open grant is extended
	 * (`renewed`), an expired one starts a new term from now (`granted`). Never a second open grant.
	 */
	async apply(tx, { clientId, items, duration, accessType, note }, ctx) {
		const at = ctx.now.toISOString();
		const preset = presetLabel(duration);
		for (const item of items) {
			await tx.lock(pairLock(clientId, item.indicatorId));
			await assertGrantable(tx, clientId, item.indicatorId);
			const existing = (await tx.findBy('accesses', 'clientId', clientId)).find(
				(row) => row.indicatorId === item.indicatorId && row.revokedAt === null
			);
			if (existing) {
				const open = isOpenGrant(existing, ctx.now);
				const endsAt = newEnd(existing.endsAt, duration, ctx.now);
				await tx.update('accesses', existing.id, {
					endsAt,
					accessType,
					...tvPending,
					updatedAt: at
				});
				await recordEvent(tx, ctx, {
					id: item.eventId,
					accessId: existing.id,
					clientId,
					indicatorId: item.indicatorId,
					kind: open ? 'renewed' : 'granted',
					previousEndsAt: existing.endsAt,
					newEndsAt: endsAt,
					preset,
					note,
					relatedEventId: null
				});
				continue;
			}
			if (
				(await tx.get('accesses', item.accessId)) ||
				(await tx.isDeleted('accesses', item.accessId))
			)
				reject('ALREADY_EXISTS');
			const endsAt = newEnd(undefined, duration, ctx.now);
			await tx.insert('accesses', {
				id: item.accessId,
				clientId,
				indicatorId: item.indicatorId,
				startsAt: at,
				endsAt,
				revokedAt: null,
				revokeReason: null,
				accessType,
				...tvPending,
				tvVerifiedAt: null,
				createdAt: at,
				updatedAt: at
			});
			await recordEvent(tx, ctx, {
				id: item.eventId,
				accessId: item.accessId,
				clientId,
				indicatorId: item.indicatorId,
				kind: 'granted',
				previousEndsAt: null,
				newEndsAt: endsAt,
				preset,
				note,
				relatedEventId: null
			});
		}
	}
});

export const accessRenew = defineMutator({
	name: 'access.renew',
	args: z.object({
		accessId: uuidSchema,
		eventId: uuidSchema,
		/** Used only if this renewal turns out to be a possible double renewal. */
		conflictEventId: uuidSchema,
		notificationId: uuidSchema,
		/** The end the author saw (null = lifetime): what tells a double renewal from a later one. */
		baseEndsAt: isoTimestamp.nullable(),
		duration: durationSchema,
		note: grantNoteSchema
	}),
	permission: 'access.renew',
	target: (args) => ({ entity: 'accesses', id: args.accessId }),
	async apply(tx, args, ctx) {
		const grant = await liveAccess(tx, args.accessId);
		await tx.lock(pairLock(grant.clientId, grant.indicatorId));
		// Revoke wins over a concurrent renewal: a renewal that arrives after the revoke is refused.
		if (grant.revokedAt) reject('GRANT_REVOKED', { reason: grant.revokeReason ?? '' });
		await assertGrantable(tx, grant.clientId, grant.indicatorId);
		const endsAt = newEnd(grant.endsAt, args.duration, ctx.now);
		const at = ctx.now.toISOString();
		await tx.update('accesses', grant.id, { endsAt, ...tvPending, updatedAt: at });
		const common = {
			accessId: grant.id,
			clientId: grant.clientId,
			indicatorId: grant.indicatorId
		};
		await recordEvent(tx, ctx, {
			...common,
			id: args.eventId,
			kind: 'renewed',
			previousEndsAt: grant.endsAt,
			newEndsAt: endsAt,
			preset: presetLabel(args.duration),
			note: args.note,
			relatedEventId: null
		});
		if (sameEnd(args.baseEndsAt, grant.endsAt)) return;
		// The author saw an older end. If another renewal started from that same end, both were sold
		// against one base: both stay applied and a person decides (DESIGN.md §3).
		const history = await tx.findBy('accessEvents', 'accessId', grant.id);
		const first = history.find(
			(event) =>
				event.id !== args.eventId &&
				(event.kind === 'renewed' || event.kind === 'granted') &&
				event.previousEndsAt !== null &&
				sameEnd(event.previousEndsAt, args.baseEndsAt)
		);
		if (!first) return;
		await recordEvent(tx, ctx, {
			...common,
			id: args.conflictEventId,
			kind: 'conflict_flagged',
			// The shared base both renewals started from, and the end with both applied.
			previousEndsAt: args.baseEndsAt,
			newEndsAt: endsAt,
			preset: null,
			note: null,
			relatedEventId: args.eventId
		});
		await tx.insert('notifications', {
			id: args.notificationId,
			kind: 'double_renewal',
			entity: 'accesses',
			entityId: grant.id,
			data: {
				conflictEventId: args.conflictEventId,
				firstEventId: first.id,
				secondEventId: args.eventId,
				clientId: grant.clientId,
				indicatorId: grant.indicatorId
			},
			at,
			userId: null
		});
	}
});

export const accessRevoke = defineMutator({
	name: 'access.revoke',
	args: z.object({ accessId: uuidSchema, eventId: uuidSchema, reason: revokeReasonSchema }),
	permission: 'access.grant',
	target: (args) => ({ entity: 'accesses', id: args.accessId }),
	async apply(tx, { accessId, eventId, reason }, ctx) {
		const grant = await liveAccess(tx, accessId);
		await tx.lock(pairLock(grant.clientId, grant.indicatorId));
		// Revoking twice (two devices, or a replay) changes nothing and is not an error.
		if (grant.revokedAt) return;
		const at = ctx.now.toISOString();
		await tx.update('accesses', accessId, {
			revokedAt: at,
			revokeReason: reason,
			...tvPending,
			updatedAt: at
		});
		await recordEvent(tx, ctx, {
			id: eventId,
			accessId,
			clientId: grant.clientId,
			indicatorId: grant.indicatorId,
			kind: 'revoked',
			previousEndsAt: grant.endsAt,
			newEndsAt: grant.endsAt,
			preset: null,
			note: reason,
			relatedEventId: null
		});
	}
});

/** The end after taking one renewal back, given the grant's current end. */
function endWithout(
	current: string | null,
	renewal: Pick<AccessEventRow, 'previousEndsAt' | 'newEndsAt'>
): string | null {
	if (sameEnd(current, renewal.newEndsAt)) return renewal.previousEndsAt;
	// Changed again since: take back only what that renewal added; a later lifetime stays lifetime.
	if (current === null || renewal.newEndsAt === null || renewal.previousEndsAt === null)
		return current;
	const added = Date.parse(renewal.newEndsAt) - Date.parse(renewal.previousEndsAt);
	return new Date(Date.parse(current) - added).toISOString();
}

export const accessResolveConflict = defineMutator({
	name: 'access.resolveConflict',
	args: z.object({
		accessId: uuidSchema,
		conflictEventId: uuidSchema,
		eventId: uuidSchema,
		resolution: z.enum(['keep_both', 'undo_second'], { error: 'validation.invalid' })
	}),
	permission: 'access.renew',
	target: (args) => ({ entity: 'accesses', id: args.accessId }),
	async apply(tx, { accessId, conflictEventId, eventId, resolution }, ctx) {
		const grant = await liveAccess(tx, accessId);
		await tx.lock(pairLock(grant.clientId, grant.indicatorId));
		const history = await tx.findBy('accessEvents', 'accessId', accessId);
		const conflict = history.find((e) => e.id === conflictEventId && e.kind === 'conflict_flagged');
		if (!conflict) reject('NOT_FOUND', { entity: 'accessEvents' });
		if (history.some((e) => e.kind === 'conflict_resolved' && e.relatedEventId === conflictEventId))
			reject('CONFLICT_RESOLVED');
		const second = history.find((e) => e.id === conflict.relatedEventId);
		let endsAt = grant.endsAt;
		if (resolution === 'undo_second' && second && !grant.revokedAt) {
			endsAt = endWithout(grant.endsAt, second);
			if (!sameEnd(endsAt, grant.endsAt))
				await tx.update('accesses', accessId, {
					endsAt,
					...tvPending,
					updatedAt: ctx.now.toISOString()
				});
		}
		await recordEvent(tx, ctx, {
			id: eventId,
			accessId,
			clientId: grant.clientId,
			indicatorId: grant.indicatorId,
			kind: 'conflict_resolved',
			previousEndsAt: grant.endsAt,
			newEndsAt: endsAt,
			preset: resolution,
			note: null,
			relatedEventId: conflictEventId
		});
	}
});
