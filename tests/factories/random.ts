/**
 * Deterministic randomness for the factories: a seeded PRNG (mulberry32) and UUIDv7-shaped ids.
 * Nothing here reads the clock or `Math.random`, so the same seed always gives the same data.
 */

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for test data (not for anything secret). */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return (t ^ (t >>> 14)) >>> 0;
	};
}

/** FNV-1a of the text: turns a seed like `42` or `demo` (plus a stream label) into 32 bits. */
export function hashSeed(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class Random {
	private readonly nextUint32: () => number;

	/**
	 * One independent stream per (seed, label): each kind of record draws from its own stream, so
	 * asking for more grants does not change the clients, and so on.
	 */
	constructor(seed: string | number, label = '') {
		this.nextUint32 = mulberry32(hashSeed(`${String(seed)}\u0000${label}`));
	}

	uint32(): number {
		return this.nextUint32();
	}

	/** A float in [0, 1). */
	next(): number {
		return this.nextUint32() / 4_294_967_296;
	}

	/** An integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	/** An integer in [min, max] (both inclusive). */
	between(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('pick from an empty list');
		return items[this.int(items.length)] as T;
	}

	/** One of the values, with probability proportional to its weight. */
	weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
		let total = 0;
		for (const [, weight] of entries) total += weight;
		let x = this.next() * total;
		for (const [value, weight] of entries) {
			x -= weight;
			if (x < 0) return value;
		}
		const last = entries[entries.length - 1];
		if (!last) throw new Error('weighted pick from an empty list');
		return last[0];
	}

	/** `length` letters and digits. */
	alphanumeric(length: number): string {
		let out = '';
		for (let i = 0; i < length; i++) out += ALPHANUMERIC[this.int(ALPHANUMERIC.length)];
		return out;
	}
}

/** Ids of seeded records carry this fixed time (2024-01-01T00:00:00Z), never the clock's. */
export const ID_BASE_MS = Date.UTC(2024, 0, 1);
/** Each id stream owns a 2^32 ms window of timestamps (about 50 days), so streams never overlap. */
const STREAM_SPAN_MS = 2 ** 32;

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

/**
 * UUIDv7-shaped ids: a 48-bit millisecond timestamp, version 7, the RFC 4122 variant and 74 random
 * bits from the stream's PRNG. The timestamp is `ID_BASE_MS` + the stream's window + a counter, so
 * ids are unique by construction (within and across streams) and sort in creation order.
 */
export function idStream(seed: string | number, stream: number): () => string {
	const random = new Random(seed, `ids:${stream}`);
	let counter = 0;
	return () => {
		if (counter >= STREAM_SPAN_MS) throw new Error('id stream exhausted');
		const ts = hex(ID_BASE_MS + stream * STREAM_SPAN_MS + counter++, 12);
		const randA = random.uint32() & 0x0fff;
		const variant = (random.uint32() & 0x3fff) | 0x8000;
		const randB = hex(random.uint32(), 8) + hex(random.uint32() & 0xffff, 4);
		return `${ts.slice(0, 8)}-${ts.slice(8)}-7${hex(randA, 3)}-${hex(variant, 4)}-${randB}`;
	};
}
