import Dexie, { cmp, type DBCoreCursor, type DBCoreTransaction } from 'dexie';

export interface Entry {
	key: unknown;
	primaryKey: unknown;
	value?: unknown;
	/** `value` is a cached piece's row, to be copied before it is handed out. */
	shared?: boolean;
}

/**
 * An IndexedDB cursor over entries already read, in the order it walks them, for Dexie's
 * iterations (`each`, `filter`, `equalsIgnoreCase` and the like) over a packed table. It keeps
 * the contract of Dexie's own cursor (dbcore-indexeddb): `start` calls back at once for the current
 * entry and after every move, and settles on `stop`, `fail` or the end.
 */
export function arrayCursor(
	trans: DBCoreTransaction,
	entries: readonly Entry[],
	reverse: boolean
): DBCoreCursor | null {
	if (entries.length === 0) return null;
	let position = 0;
	// Past the current key in walking order: above it walking forward, below it walking back.
	const ahead = (a: unknown, b: unknown) => (reverse ? cmp(b, a) : cmp(a, b));
	const notStarted = () => {
		throw new Error('Cursor not started');
	};
	let moved = false;
	let looping = false;
	let settled = false;
	let callback: () => void = () => {};
	let finish: (value?: unknown) => void = () => {};
	let fail: (error: Error) => void = () => {};

	const cursor: DBCoreCursor & { done: boolean } = {
		trans,
		done: false,
		get key() {
			return entries[position]?.key;
		},
		get primaryKey() {
			return entries[position]?.primaryKey;
		},
		get value() {
			return entries[position]?.value;
		},
		continue: notStarted,
		continuePrimaryKey: notStarted,
		advance: notStarted,
		stop: notStarted,
		fail: (error: Error) => fail(error),
		next() {
			let gotOne = 1;
			return this.start(() => (gotOne-- ? cursor.continue() : cursor.stop())).then(() => cursor);
		},
		start(onNext: () => void) {
			callback = onNext;
			return new Dexie.Promise((resolve, reject) => {
				settled = false;
				finish = (value) => {
					if (settled) return;
					settled = true;
					resolve(value);
				};
				fail = (error) => {
					if (settled) return;
					settled = true;
					reject(error);
				};
				cursor.stop = (value?: unknown) => finish(value);
				cursor.continue = (key?: unknown) => {
					position++;
					if (key !== undefined)
						while (position < entries.length && ahead(entries[position]?.key, key) < 0) position++;
					step();
				};
				cursor.continuePrimaryKey = (key: unknown, primaryKey: unknown) => {
					position++;
					while (position < entries.length) {
						const entry = entries[position] as Entry;
						const c = ahead(entry.key, key);
						if (c > 0 || (c === 0 && ahead(entry.primaryKey, primaryKey) >= 0)) break;
						position++;
					}
					step();
				};
				cursor.advance = (count: number) => {
					position += count;
					step();
				};
				moved = true;
				loop();
			});
		}
	};

	function step() {
		moved = true;
		// A move made later than in the callback itself (after an await) restarts the walk.
		if (!looping) queueMicrotask(loop);
	}

	function loop() {
		looping = true;
		try {
			while (moved && !settled) {
				moved = false;
				if (position >= entries.length) {
					cursor.done = true;
					finish();
					return;
				}
				try {
					callback();
				} catch (error) {
					fail(error as Error);
				}
			}
		} finally {
			looping = false;
		}
	}

	return cursor;
}
