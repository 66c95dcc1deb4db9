import { release, type Arena } from './terms-memory';

// The caches of the analytics' bases (analytics-basis.ts). A cache keeps the bases of the latest
// two rows arrays of each table (the rows shown and the rows of a sync being prepared), by weak
// reference to the arrays: when an array is collected or a third one comes, its basis's arrays go
// back to the pool (terms-memory.ts) for the next basis, whose computation after a sync then
// rewrites memory already mapped instead of faulting in ~35 MB of new memory. So a basis must not
// be kept by a caller past the computation it was asked for.

const KEEP = 2;

interface Entry<V> {
	keys: WeakRef<object>[];
	value: V;
	arena: Arena;
}

export type Cache<V> = Entry<V>[];

export function newCache<V>(): Cache<V> {
	return [];
}

/** The value made for these keys (compared by identity), made once while they are cached. */
export function cached<V>(cache: Cache<V>, keys: object[], make: (arena: Arena) => V): V {
	for (let i = cache.length - 1; i >= 0; i--) {
		const entry = cache[i] as Entry<V>;
		const live = entry.keys.map((ref) => ref.deref());
		if (live.includes(undefined)) {
			release(entry.arena);
			cache.splice(i, 1);
		} else if (live.every((key, j) => key === keys[j])) return entry.value;
	}
	while (cache.length >= KEEP) release((cache.shift() as Entry<V>).arena);
	const arena: Arena = [];
	const value = make(arena);
	cache.push({ keys: keys.map((key) => new WeakRef(key)), value, arena });
	return value;
}
