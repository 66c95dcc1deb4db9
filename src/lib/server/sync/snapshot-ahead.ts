import type { SnapshotWireResponse } from '$lib/shared/sync/protocol';
import type { Db } from '../db/client';

// A first sync's next piece, read while the device receives and stores the one before
// (docs/decisions.md §24). The device can only ask for piece N+1 once piece N has arrived (N says
// where N+1 starts), so without this the server sat idle for every round trip: about a third of a
// first sync's time on the bench. A piece read ahead is served only if no write to a synced table
// has committed since it was read: the highest version is still the one its read saw (a commit
// always raises it, versions following commit order), so it is exactly the piece a fresh read
// would give, and the guarantees of `snapshot.ts` hold unchanged.
//
// One piece, not more: with three the first sync took as long or longer (40–52 s against 33–35 s
// on the bench), because on PGlite a query holds the process and the device's request then waited
// behind a read of a piece further on.

/** A piece read ahead is dropped unclaimed after this long (a device that went away). */
const KEEP_MS = 60_000;

/** A piece and the highest version of any synced row its read saw. */
export interface Computed {
	answer: SnapshotWireResponse;
	seen: number;
}

interface Ahead {
	/** The request it answers, as `requestKey` writes it. */
	key: string;
	computed: Promise<Computed | null>;
	timer: ReturnType<typeof setTimeout>;
}

/** Per database (tests open several), per device. */
const aheadByDb = new WeakMap<Db, Map<string, Ahead>>();

export const stats = { served: 0, discarded: 0 };

function devices(db: Db): Map<string, Ahead> {
	let map = aheadByDb.get(db);
	if (!map) aheadByDb.set(db, (map = new Map<string, Ahead>()));
	return map;
}

/** Takes the device's piece read ahead out of the map, if any. */
function take(db: Db, device: string): Ahead | undefined {
	const entry = devices(db).get(device);
	if (!entry) return undefined;
	clearTimeout(entry.timer);
	devices(db).delete(device);
	return entry;
}

/**
 * Reads the piece `key` names for `device`, in place of any read before. It starts once the
 * current answer has gone out: on PGlite a query holds the process, and the device is waiting.
 */
export function readAhead(
	db: Db,
	device: string,
	key: string,
	read: () => Promise<Computed>
): void {
	take(db, device);
	const computed = new Promise<void>((resolve) => setTimeout(resolve, 0))
		.then(read)
		// A failure here is not the device's: the claim then reads the piece itself.
		.catch(() => null);
	const entry: Ahead = { key, computed, timer: setTimeout(() => take(db, device), KEEP_MS) };
	entry.timer.unref?.();
	devices(db).set(device, entry);
}

/**
 * The piece read ahead for this request, or null: none was, it answers another request, or a
 * write has committed since it was read (`highestVersion` reads the highest version now).
 */
export async function claimAhead(
	db: Db,
	device: string,
	key: string,
	highestVersion: () => Promise<number>
): Promise<SnapshotWireResponse | null> {
	const entry = take(db, device);
	if (!entry) return null;
	const computed = await entry.computed;
	if (computed && entry.key === key && (await highestVersion()) === computed.seen) {
		stats.served++;
		return computed.answer;
	}
	stats.discarded++;
	return null;
}

/** Waits for the piece being read ahead for a device, if any (tests). */
export async function settledAhead(db: Db, device: string): Promise<void> {
	await devices(db).get(device)?.computed;
}
