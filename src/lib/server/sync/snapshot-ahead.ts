import type { SnapshotWireResponse } from '$lib/shared/sync/protocol';
import type { Db } from '../db/client';

// A first sync's next piece, computed while the device receives and stores the one before
// (docs/decisions.md §24). The device can only ask for piece N+1 once piece N has arrived (N says
// where N+1 starts), so without this the server sat idle for every round trip: about a third of a
// first sync's time on the bench. A piece computed ahead is served only if no write to a synced
// table has committed since it was read: the highest version is still the one its read saw (a
// commit always raises it, versions following commit order), so it is exactly the piece a fresh
// read would give, and the guarantees of `snapshot.ts` hold unchanged.

/** Pieces computed ahead are dropped unclaimed after this long (a device that went away). */
const KEEP_MS = 60_000;

interface Ahead {
	/** The request it answers, as `requestKey` writes it. */
	key: string;
	answer: Promise<Computed | null>;
	timer: ReturnType<typeof setTimeout>;
}

/** Per database (tests open several), per device: at most one piece ahead each. */
const aheadByDb = new WeakMap<Db, Map<string, Ahead>>();

export const stats = { served: 0, discarded: 0 };

/** A piece and the highest version of any synced row its read saw. */
export interface Computed {
	answer: SnapshotWireResponse;
	seen: number;
}

function devices(db: Db): Map<string, Ahead> {
	let map = aheadByDb.get(db);
	if (!map) aheadByDb.set(db, (map = new Map<string, Ahead>()));
	return map;
}

function forget(db: Db, device: string, entry: Ahead): void {
	const map = devices(db);
	if (map.get(device) !== entry) return;
	clearTimeout(entry.timer);
	map.delete(device);
}

/**
 * Starts computing the piece `key` asks for, for `device`, after the current request's answer has
 * gone out (the piece before it must not wait behind it: on PGlite a query holds the process).
 */
export function computeAhead(
	db: Db,
	device: string,
	key: string,
	compute: () => Promise<Computed>
): void {
	const previous = devices(db).get(device);
	if (previous) forget(db, device, previous);
	let start!: () => void;
	const started = new Promise<void>((resolve) => (start = resolve));
	const entry: Ahead = {
		key,
		// A failure here is not the device's: the claim then reads the piece itself.
		answer: started.then(compute).catch(() => null),
		timer: setTimeout(() => forget(db, device, entry), KEEP_MS)
	};
	entry.timer.unref?.();
	devices(db).set(device, entry);
	setTimeout(start, 0);
}

/**
 * The piece computed ahead for this request, or null: none was, it answers another request, or a
 * write has committed since it was read (`highestVersion` reads the highest version now).
 */
export async function claimAhead(
	db: Db,
	device: string,
	key: string,
	highestVersion: () => Promise<number>
): Promise<SnapshotWireResponse | null> {
	const entry = devices(db).get(device);
	if (!entry) return null;
	forget(db, device, entry);
	if (entry.key !== key) return null;
	const computed = await entry.answer;
	if (computed && (await highestVersion()) === computed.seen) {
		stats.served++;
		return computed.answer;
	}
	stats.discarded++;
	return null;
}

/** Waits for the piece being computed ahead for a device, if any (tests). */
export async function settledAhead(db: Db, device: string): Promise<void> {
	await devices(db).get(device)?.answer;
}
