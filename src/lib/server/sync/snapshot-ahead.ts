import type { SnapshotWireResponse } from '$lib/shared/sync/protocol';
import type { Db } from '../db/client';

// A first sync's next pieces, read while the device receives and stores the one before
// (docs/decisions.md §24). The device can only ask for piece N+1 once piece N has arrived (N says
// where N+1 starts), so without this the server sat idle for every round trip: about a third of a
// first sync's time on the bench. A piece read ahead is served
// only if no write to a synced table has committed since it was read: the highest version is
// still the one its read saw (a commit always raises it, versions following commit order), so it
// is exactly the piece a fresh read would give, and the guarantees of `snapshot.ts` hold unchanged.

/**
 * Pieces read ahead per device. One: with three, the first sync took as long or longer (40–52 s
 * against 33–35 s on the bench), because on PGlite a query holds the process and the device's
 * request then waited behind a read of a piece further on.
 */
const DEPTH = 1;
/** Pieces read ahead are dropped unclaimed after this long (a device that went away). */
const KEEP_MS = 60_000;

/** A piece and the highest version of any synced row its read saw. */
export interface Computed {
	answer: SnapshotWireResponse;
	seen: number;
}

/** The request that follows an answer (its key, as `requestKey` writes it) and how to read it. */
export type Plan = (
	answer: SnapshotWireResponse
) => { key: string; read: () => Promise<Computed> } | null;

interface Queue {
	entries: Array<Promise<(Computed & { key: string }) | null>>;
	plan: Plan;
	dropped: boolean;
	timer: ReturnType<typeof setTimeout> | null;
}

/** Per database (tests open several), per device. */
const queuesByDb = new WeakMap<Db, Map<string, Queue>>();

export const stats = { served: 0, discarded: 0 };

function queues(db: Db): Map<string, Queue> {
	let map = queuesByDb.get(db);
	if (!map) queuesByDb.set(db, (map = new Map<string, Queue>()));
	return map;
}

function drop(db: Db, device: string, queue: Queue): void {
	queue.dropped = true;
	if (queue.timer) clearTimeout(queue.timer);
	if (queues(db).get(device) === queue) queues(db).delete(device);
}

/**
 * Reads ahead the pieces that follow `answer` (just given to `device`), up to `DEPTH`, each after
 * the one before it. The first starts once this answer has gone out: on PGlite a query holds the
 * process, and the device is waiting for this one.
 */
export function readAhead(db: Db, device: string, answer: SnapshotWireResponse, plan: Plan): void {
	let queue = queues(db).get(device);
	if (!queue) {
		queue = { entries: [], plan, dropped: false, timer: null };
		queues(db).set(device, queue);
	}
	const current = queue;
	if (current.timer) clearTimeout(current.timer);
	current.timer = setTimeout(() => drop(db, device, current), KEEP_MS);
	current.timer.unref?.();
	let after: Promise<SnapshotWireResponse | null> = current.entries.length
		? (current.entries.at(-1) as Queue['entries'][number]).then((c) => c?.answer ?? null)
		: new Promise((resolve) => setTimeout(() => resolve(answer), 0));
	while (current.entries.length < DEPTH) {
		const entry = after
			.then(async (previous) => {
				const next = previous && !current.dropped ? current.plan(previous) : null;
				if (!next) return null;
				return { key: next.key, ...(await next.read()) };
			})
			// A failure here is not the device's: the claim then reads the piece itself.
			.catch(() => null);
		current.entries.push(entry);
		after = entry.then((c) => c?.answer ?? null);
	}
}

/**
 * The piece read ahead for this request, or null: none was, the device asked for another (then
 * every piece read ahead is dropped), or a write has committed since it was read
 * (`highestVersion` reads the highest version now).
 */
export async function claimAhead(
	db: Db,
	device: string,
	key: string,
	highestVersion: () => Promise<number>
): Promise<SnapshotWireResponse | null> {
	const queue = queues(db).get(device);
	const first = queue?.entries.shift();
	if (!queue || !first) return null;
	const computed = await first;
	if (computed && computed.key === key && (await highestVersion()) === computed.seen) {
		stats.served++;
		return computed.answer;
	}
	stats.discarded++;
	drop(db, device, queue);
	return null;
}

/** Waits for every piece being read ahead for a device (tests). */
export async function settledAhead(db: Db, device: string): Promise<void> {
	await Promise.all(queues(db).get(device)?.entries ?? []);
}
