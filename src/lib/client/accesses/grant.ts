import { uuidv7 } from 'uuidv7';
import { extendEnd } from '$lib/shared/grants';
import type { AccessRow, AccessType, Duration } from '$lib/shared/schemas/access';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { IndicatorRow } from '$lib/shared/schemas/indicator';

// What "Grant access" will do, worked out on the device from what it knows (pure, so the form, the
// bulk grant and their tests share it). The server decides again with its own rows and clock.

export type GrantOutcome =
	/** A new grant. */
	| 'create'
	/** The pair's open grant is extended (never a second open grant). */
	| 'extend'
	/** The pair's expired grant starts a new term from now. */
	| 'reopen'
	| 'retired'
	| 'inactive'
	/** TradingView does not know the client's username: nothing can be granted. */
	| 'usernameInvalid'
	/** A custom end that is not later than now and the current end. */
	| 'endNotLater';

export interface GrantPreviewItem {
	indicatorId: string;
	outcome: GrantOutcome;
	/** The grant that is extended or reopened. */
	existing: AccessRow | null;
	/** The end after granting (null = lifetime); undefined when refused. */
	endsAt: string | null | undefined;
}

export const refusedOutcomes: ReadonlySet<GrantOutcome> = new Set([
	'retired',
	'inactive',
	'usernameInvalid',
	'endNotLater'
]);

/** The unrevoked grant of a pair, if any (at most one: the server's rule). */
export function unrevokedGrant(
	accesses: readonly AccessRow[],
	clientId: string,
	indicatorId: string
): AccessRow | null {
	return (
		accesses.find(
			(a) =>
				a.clientId === clientId &&
				a.indicatorId === indicatorId &&
				a.revokedAt === null &&
				a.deletedAt === null
		) ?? null
	);
}

export function previewGrant(input: {
	client: Pick<ClientRow, 'id' | 'status'> & Partial<Pick<ClientRow, 'tvUsernameState'>>;
	indicators: ReadonlyArray<Pick<IndicatorRow, 'id' | 'status'>>;
	/** The client's grants as the device knows them. */
	accesses: readonly AccessRow[];
	duration: Duration;
	now: Date;
}): GrantPreviewItem[] {
	return input.indicators.map((indicator) => {
		const existing = unrevokedGrant(input.accesses, input.client.id, indicator.id);
		const refused = (outcome: GrantOutcome): GrantPreviewItem => ({
			indicatorId: indicator.id,
			outcome,
			existing,
			endsAt: undefined
		});
		if (input.client.status !== 'active') return refused('inactive');
		if (input.client.tvUsernameState === 'invalid') return refused('usernameInvalid');
		if (indicator.status === 'retired') return refused('retired');
		const open =
			existing !== null &&
			(existing.endsAt === null || Date.parse(existing.endsAt) > input.now.getTime());
		const extension = extendEnd(existing?.endsAt, input.duration, input.now);
		if (!extension.ok) return refused('endNotLater');
		return {
			indicatorId: indicator.id,
			outcome: existing === null ? 'create' : open ? 'extend' : 'reopen',
			existing,
			endsAt: extension.endsAt
		};
	});
}

/** The `access.grant` arguments, with fresh ids for the grants and events it may create. */
export function grantArgs(input: {
	clientId: string;
	indicatorIds: readonly string[];
	duration: Duration;
	accessType: AccessType;
	note: string | null;
}) {
	return {
		clientId: input.clientId,
		items: input.indicatorIds.map((indicatorId) => ({
			indicatorId,
			accessId: uuidv7(),
			eventId: uuidv7()
		})),
		duration: input.duration,
		accessType: input.accessType,
		note: input.note
	};
}

/** The `access.renew` arguments: `baseEndsAt` is the end this device saw (double-renewal check). */
export function renewArgs(access: Pick<AccessRow, 'id' | 'endsAt'>, duration: Duration) {
	return {
		accessId: access.id,
		eventId: uuidv7(),
		conflictEventId: uuidv7(),
		notificationId: uuidv7(),
		baseEndsAt: access.endsAt,
		duration,
		note: null
	};
}
