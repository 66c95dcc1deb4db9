import type { PineGateDb } from '../db';
import { useLiveQuery } from '../sync/sync.svelte';

/**
 * Offset changes smaller than this are ignored. Every pull measures the offset again, a few
 * milliseconds off the last because of network latency: taking each measure made every page
 * recompute its grant states (thousands of rows) after each sync for no visible difference.
 */
const OFFSET_STEP_MS = 1_000;

/**
 * The device's estimate of the server's clock, for grant states (DESIGN.md §3: states come from
 * server time): the local clock plus the offset the sync engine measured at its last pull
 * (`meta.serverOffsetMs`), ticking every `tickMs`. Call during component initialisation.
 */
export function useServerNow(tickMs = 30_000): { readonly ms: number } {
	const offset = useLiveQuery(async (db) => (await db.meta.get('serverOffsetMs'))?.value, {
		initial: 0
	});
	let applied = 0;
	const offsetMs = $derived.by(() => {
		const measured = typeof offset.current === 'number' ? offset.current : 0;
		if (Math.abs(measured - applied) >= OFFSET_STEP_MS) applied = measured;
		return applied;
	});
	let deviceNow = $state(Date.now());
	$effect(() => {
		const timer = setInterval(() => (deviceNow = Date.now()), tickMs);
		return () => clearInterval(timer);
	});
	return {
		/** Milliseconds since the epoch on the server's clock (estimated). */
		get ms() {
			// The tick makes readers re-run periodically; the value itself is read fresh, so a
			// state derived because the data changed uses the current time, not the last tick's.
			void deviceNow;
			return Date.now() + offsetMs;
		}
	};
}

/** The server-time estimate once, for an action (not a component): the same offset as above. */
export async function serverNowMs(db: PineGateDb): Promise<number> {
	const offset = (await db.meta.get('serverOffsetMs'))?.value;
	return Date.now() + (typeof offset === 'number' ? offset : 0);
}
