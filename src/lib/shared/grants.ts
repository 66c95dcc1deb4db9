import type { AccessRow, Duration, DurationPreset } from './schemas/access';

export const grantStates = ['active', 'expiring', 'expired', 'revoked'] as const;
export type GrantState = (typeof grantStates)[number];

export const DAY_MS = 24 * 3600 * 1000;
/** A grant with this little time left (or less) is "expiring" (DESIGN.md §3). */
export const EXPIRING_WITHIN_MS = 7 * DAY_MS;

/**
 * The one definition of a grant's state, always from the server's time (on a device: its estimate
 * of the server clock, never the raw device clock). Lifetime grants are never expiring.
 */
export function grantState(grant: Pick<AccessRow, 'revokedAt' | 'endsAt'>, now: Date): GrantState {
	if (grant.revokedAt) return 'revoked';
	if (grant.endsAt === null) return 'active';
	const left = Date.parse(grant.endsAt) - now.getTime();
	if (left <= 0) return 'expired';
	if (left <= EXPIRING_WITHIN_MS) return 'expiring';
	return 'active';
}

/** Still giving access: active or expiring. */
export function isOpenGrant(grant: Pick<AccessRow, 'revokedAt' | 'endsAt'>, now: Date): boolean {
	const state = grantState(grant, now);
	return state === 'active' || state === 'expiring';
}

const presetDays: Record<Exclude<DurationPreset, 'lifetime'>, number> = {
	'7d': 7,
	'30d': 30,
	'90d': 90,
	'365d': 365
};

/** The preset name recorded on the history event; a custom end date records `custom`. */
export function presetLabel(duration: Duration): string {
	return duration.kind === 'preset' ? duration.preset : 'custom';
}

export type Extension =
	{ ok: true; endsAt: string | null } | { ok: false; reason: 'END_NOT_LATER' };

/**
 * The end of a grant after granting or renewing it for `duration` (DESIGN.md §3 "Presets"):
 * presets extend from max(now, current end), so renewing an expired grant starts from now, never
 * from the past; lifetime absorbs any renewal; a custom end date must lie after both now and the
 * current end, because a renewal never shortens a grant. `currentEndsAt` undefined: a new grant.
 */
export function extendEnd(
	currentEndsAt: string | null | undefined,
	duration: Duration,
	now: Date
): Extension {
	if (currentEndsAt === null) return { ok: true, endsAt: null };
	const from = Math.max(now.getTime(), currentEndsAt ? Date.parse(currentEndsAt) : -Infinity);
	if (duration.kind === 'until') {
		const until = Date.parse(duration.endsAt);
		return until > from
			? { ok: true, endsAt: new Date(until).toISOString() }
			: { ok: false, reason: 'END_NOT_LATER' };
	}
	if (duration.preset === 'lifetime') return { ok: true, endsAt: null };
	return { ok: true, endsAt: new Date(from + presetDays[duration.preset] * DAY_MS).toISOString() };
}

/** Two ends (ISO or null = lifetime) mean the same instant. */
export function sameEnd(a: string | null | undefined, b: string | null | undefined): boolean {
	if (a == null || b == null) return a == null && b == null;
	return Date.parse(a) === Date.parse(b);
}
