import type { AccessEntry } from '../client';
import { matches } from '../sync/worker';
import type { DriftKind } from './types';

// The comparison of one indicator's TradingView access list with its grants: a pure function, so
// the rules are in one place (docs/tradingview-sync.md "Reconciliation").

/**
 * A grant of the indicator, with its client's username: the open ones (not revoked, not deleted),
 * and revoked ones whose removal from TradingView is still pending.
 */
export interface GrantRow {
	accessId: string;
	version: number;
	clientId: string;
	username: string;
	/** null = lifetime. */
	endsAt: Date | null;
	revoked: boolean;
	tvState: string;
}

export interface KnownClient {
	id: string;
	username: string;
}

export interface DriftFound {
	kind: DriftKind;
	clientId: string | null;
	accessId: string | null;
	/** TradingView's spelling when it lists the user, else the client's. */
	username: string;
	tvExpiration: Date | null;
	crmEndsAt: Date | null;
}

export interface Comparison {
	drifts: DriftFound[];
	/** Open grants actually compared (pending ones are not). */
	compared: number;
}

const key = (username: string) => username.toLowerCase();

export function compareIndicator(
	entries: readonly AccessEntry[],
	grants: readonly GrantRow[],
	clients: ReadonlyMap<string, KnownClient>,
	now: Date
): Comparison {
	const listed = new Map(entries.map((entry) => [key(entry.username), entry]));
	// A pending grant has a sync job queued or running: TradingView is about to be made to match it
	// (and read back), so a difference seen now is the in-between state of that job, not drift, and
	// a "fix" offered for it would race the worker for the same pair. The whole pair is left out:
	// its TradingView entry too (a revoke in flight must not show as a leak).
	const inFlight = new Set(
		grants.filter((g) => g.tvState === 'pending').map((g) => key(g.username))
	);
	for (const name of inFlight) listed.delete(name);
	const drifts: DriftFound[] = [];
	let compared = 0;
	for (const grant of grants) {
		if (grant.revoked || inFlight.has(key(grant.username))) continue;
		const entry = listed.get(key(grant.username)) ?? null;
		listed.delete(key(grant.username));
		compared += 1;
		// An ended grant that nobody revoked is not wanted on TradingView any more.
		const member = grant.endsAt === null || grant.endsAt > now;
		if (matches(entry, { member, expiration: grant.endsAt })) continue;
		const base = {
			clientId: grant.clientId,
			accessId: grant.accessId,
			username: entry?.username ?? grant.username,
			tvExpiration: entry?.expiration ?? null,
			crmEndsAt: grant.endsAt
		};
		if (!member) drifts.push({ kind: 'leak', ...base });
		else if (!entry) drifts.push({ kind: 'missing', ...base });
		else drifts.push({ kind: 'expiry_mismatch', ...base });
	}
	for (const entry of listed.values()) {
		const client = clients.get(key(entry.username));
		drifts.push({
			kind: client ? 'leak' : 'unknown_user',
			clientId: client?.id ?? null,
			accessId: null,
			username: entry.username,
			tvExpiration: entry.expiration,
			crmEndsAt: null
		});
	}
	return { drifts, compared };
}

export function clientsByUsername(rows: readonly KnownClient[]): Map<string, KnownClient> {
	return new Map(rows.map((row) => [key(row.username), row]));
}
