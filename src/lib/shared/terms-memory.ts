/**
 * Typed arrays for the terms and the analytics, in memory used before. Memory the process has not
 * touched costs a page fault per 4 KB on first write — measured at ~4 ms per MB on the reference
 * machine, more than the computing done in it; whether the allocator hands back memory freed
 * earlier depended on the sizes freed before (glibc's malloc in Node: 1,000 to 10,000 faults per
 * cold analytics report, run to run). So:
 *
 * - temporaries (per-event columns, counting sorts: ~25 MB at 500,000 events) are scratch arrays,
 *   one buffer per name, reused by the next computation and kept while the context lives (the
 *   page's analytics Worker, ended when the page is left: device-workers/);
 * - arrays a computation returns come from an arena, or are new when the arena is `null`; an
 *   arena's buffers go back to a pool when its owner is dropped (analytics-memory.ts), for the
 *   next arena.
 *
 * Neither is zeroed (a reused buffer holds what was last written): a caller reads only what it
 * wrote, or fills. Plain functions, no closures per call: V8 discards code compiled against
 * short-lived closures or class instances at the next collection.
 */

const scratch = new Map<string, ArrayBuffer>();

function scratchBuffer(name: string, bytes: number): ArrayBuffer {
	let found = scratch.get(name);
	if (found === undefined || found.byteLength < bytes) {
		// Some room to grow: the rows grow a little between syncs.
		found = new ArrayBuffer(Math.ceil((bytes * 1.125) / 8) * 8);
		scratch.set(name, found);
	}
	return found;
}

/** A scratch array: valid until the next request of the same name (never kept in a result). */
export const scratchF64 = (name: string, length: number) =>
	new Float64Array(scratchBuffer(name, length * 8), 0, length);
export const scratchI32 = (name: string, length: number) =>
	new Int32Array(scratchBuffer(name, length * 4), 0, length);
export const scratchU8 = (name: string, length: number) =>
	new Uint8Array(scratchBuffer(name, length), 0, length);

/** The buffers of the arrays one result holds. */
export type Arena = ArrayBuffer[];

const POOL_BYTES = 128 * 2 ** 20;
const POOL_BUFFERS = 64;
const pool: ArrayBuffer[] = [];
let pooledBytes = 0;

function take(arena: Arena, bytes: number): ArrayBuffer {
	// The smallest that fits, and not one much larger (it would be wasted).
	let best: ArrayBuffer | undefined;
	let at = -1;
	pool.forEach((buffer, i) => {
		const size = buffer.byteLength;
		const fits = size >= bytes && size <= bytes * 1.5 + 256;
		if (fits && (best === undefined || size < best.byteLength)) {
			best = buffer;
			at = i;
		}
	});
	if (best === undefined) best = new ArrayBuffer(Math.ceil((bytes * 1.0625) / 8) * 8);
	else {
		pool[at] = pool[pool.length - 1] as ArrayBuffer;
		pool.pop();
		pooledBytes -= best.byteLength;
	}
	arena.push(best);
	return best;
}

export const f64 = (arena: Arena | null, length: number) =>
	arena === null ? new Float64Array(length) : new Float64Array(take(arena, length * 8), 0, length);
export const i32 = (arena: Arena | null, length: number) =>
	arena === null ? new Int32Array(length) : new Int32Array(take(arena, length * 4), 0, length);
export const u8 = (arena: Arena | null, length: number) =>
	arena === null ? new Uint8Array(length) : new Uint8Array(take(arena, length), 0, length);

/** The arena's buffers, for the next arenas; its arrays must no longer be read. */
export function release(arena: Arena): void {
	for (const buffer of arena)
		if (pool.length < POOL_BUFFERS && pooledBytes + buffer.byteLength <= POOL_BYTES) {
			pool.push(buffer);
			pooledBytes += buffer.byteLength;
		}
	arena.length = 0;
}
