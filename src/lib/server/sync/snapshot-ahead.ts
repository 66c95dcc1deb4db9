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
// One piece while the device keeps asking: with three always, the first sync took as long or
// longer (40–52 s against 33–35 s on the bench), because on PGlite a query holds the process and
// the device's request then waited behind a read of a piece further on. While the device does not
// ask (IDLE_MS), the pieces after it are read too (docs/decisions.md §24c): each one is a chain
// link `later`, served in turn, under the same version check. At most MAX_AHEAD pieces of `limit`
// rows are held per device, and only until they are claimed or KEEP_MS passes.

/** A piece read ahead is dropped unclaimed after this long (a device that went away). */
const KEEP_MS = 60_000;

/**
 * A piece read ahead and still unclaimed this long after its read ended means the device is busy
 * (publishing a large table's base takes it a second or more): the pieces after it are read too,
 * up to MAX_AHEAD, so the server works meanwhile. Only then: reading further ahead every time, the
 * device's own request would wait behind it on PGlite.
 */
export const IDLE_MS = 150;
/**
 * A second or two of PGlite's reading at the default 10,000 rows a piece, the length of a large
 * table's publish; 80,000 rows held at most per device (16 pieces at the 5,000 before §24d).
 */
export const MAX_AHEAD = 8;

/** A piece and the highest version of any synced row its read saw. */
export interface Computed {
	answer: SnapshotWireResponse;
	seen: number;
}

/** A piece to read ahead: the request it answers, its read, and what follows its answer. */
export interface Plan {
	/** The request it answers, as `requestKey` writes it. */
	key: string;
	read: () => Promise<Computed>;
	/** The piece after this one's answer, or null when it is the last. */
	following: (answer: SnapshotWireResponse) => Plan | null;
}

interface Ahead {
	key: string;
	computed: Promise<Computed | null>;
	timer: ReturnType<typeof setTimeout>;
	/** The piece after it, read while the device did not ask. */
	later: Ahead | null;
}

/** Per database (tests open several), per device. */
const aheadByDb = new WeakMap<Db, Map<string, Ahead>>();

export const stats = { served: 0, discarded: 0, later: 0 };

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

/** Reads a piece once the current answer has gone out (on PGlite a query holds the process). */
function start(db: Db, device: string, plan: Plan, level: number, root?: Ahead): Ahead {
	const computed = new Promise<void>((resolve) => setTimeout(resolve, 0))
		.then(plan.read)
		// A failure here is not the device's: the claim then reads the piece itself.
		.catch(() => null);
	const entry: Ahead = {
		key: plan.key,
		computed,
		// Only while it is the device's: a piece read after another is not in the map yet.
		timer: setTimeout(() => {
			if (devices(db).get(device) === entry) take(db, device);
		}, KEEP_MS),
		later: null
	};
	entry.timer.unref?.();
	const top = root ?? entry;
	if (level + 1 < MAX_AHEAD)
		void computed.then((done) => {
			const next = done && plan.following(done.answer);
			if (!next) return;
			const idle = setTimeout(
				() => {
					// Still unclaimed: the device is busy elsewhere.
					if (devices(db).get(device) !== top || entry.later) return;
					stats.later++;
					entry.later = start(db, device, next, level + 1, top);
				},
				level === 0 ? IDLE_MS : 0
			);
			idle.unref?.();
		});
	return entry;
}

/**
 * Reads the piece `plan` names for `device`, in place of any read before, unless it is the piece
 * already read (one read after a piece claimed, while the device was busy).
 */
export function readAhead(db: Db, device: string, plan: Plan): void {
	if (devices(db).get(device)?.key === plan.key) return;
	take(db, device);
	devices(db).set(device, start(db, device, plan, 0));
}

/**
 * The piece read ahead for this request, or null: none was, it answers another request, or a
 * write has committed since it was read (`highestVersion` reads the highest version now). A piece
 * read after it (`later`) becomes the device's piece read ahead.
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
		if (entry.later && !devices(db).has(device)) {
			const later = entry.later;
			later.timer.refresh();
			devices(db).set(device, later);
		} else if (entry.later) clearTimeout(entry.later.timer);
		return computed.answer;
	}
	if (entry.later) clearTimeout(entry.later.timer);
	stats.discarded++;
	return null;
}

/** Waits for what is being read ahead for a device, if anything (tests). */
export async function settledAhead(db: Db, device: string): Promise<void> {
	let entry = devices(db).get(device);
	while (entry) {
		await entry.computed;
		entry = entry.later ?? undefined;
	}
}
