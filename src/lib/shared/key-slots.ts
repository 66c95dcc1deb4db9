/**
 * Dense slot numbers (0, 1, 2, …) for string keys such as UUIDs: a hash table over typed arrays
 * for the analytics' hot loops, where a `Map` keyed by 300,000 freshly read ids cost more than
 * the rest of the computation together (hashing whole strings, boxing entries, rehashing as it
 * grows). The hash reads only the last eight characters, which are random bits in a UUID;
 * other keys still work, just with more probing when their endings repeat.
 */
export class KeySlots {
	readonly keys: string[] = [];
	private table: Int32Array;
	private mask: number;

	constructor(expected = 16) {
		let size = 16;
		while (size < expected * 2) size *= 2;
		this.table = new Int32Array(size);
		this.mask = size - 1;
	}

	get size(): number {
		return this.keys.length;
	}

	/** The key's slot, adding it when new. */
	slot(key: string): number {
		const found = this.find(key);
		if (found !== -1) return found;
		if ((this.keys.length + 1) * 2 > this.table.length) this.grow();
		this.keys.push(key);
		this.place(key, this.keys.length);
		return this.keys.length - 1;
	}

	/** The key's slot, or -1. */
	find(key: string): number {
		for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
			const entry = this.table[i] as number;
			if (entry === 0) return -1;
			if (this.keys[entry - 1] === key) return entry - 1;
		}
	}

	private place(key: string, entry: number): void {
		let i = hash(key) & this.mask;
		while (this.table[i] !== 0) i = (i + 1) & this.mask;
		this.table[i] = entry;
	}

	private grow(): void {
		this.table = new Int32Array(this.table.length * 2);
		this.mask = this.table.length - 1;
		this.keys.forEach((key, index) => this.place(key, index + 1));
	}
}

/** FNV-1a over the last eight characters. */
function hash(key: string): number {
	let h = 0x811c9dc5;
	for (let i = Math.max(0, key.length - 8); i < key.length; i++)
		h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
	return h >>> 0;
}
