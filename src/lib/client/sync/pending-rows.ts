import type { EntityName } from '$lib/shared/sync/entities';

/**
 * The rows an edit of this tab has written in a transaction that is still committing, so that a
 * screen showing one row shows the edit at once. Without them the edit reached the screen only
 * after the commit, the `storagemutated` event and the live query's new read of IndexedDB: four
 * round trips to IndexedDB's backend after the mutator had its result, most of an edit's time on
 * screen (docs/decisions.md §24e).
 *
 * A held row is shown until a read of the database that started after its commit answers; an
 * aborted edit's rows are dropped at once, and the screen shows the database's row again.
 */

export interface RowWrite {
	entity: EntityName;
	id: string;
	/** The row as the edit left it; null when the edit deleted it. */
	row: object | null;
}

interface Held {
	row: object | null;
	/** The read sequence number at the commit; +∞ while the transaction is open. */
	committedAt: number;
	/** When it committed (ms), to forget it later. */
	committedMs: number;
}

/** Committed rows are kept this long after their commit, long after any read shows them. */
const KEEP_MS = 10_000;

const keyOf = (entity: EntityName, id: string) => `${entity}\u0000${id}`;

export class PendingRows {
	#seq = 0;
	readonly #rows = new Map<string, Held>();
	readonly #listeners = new Set<() => void>();

	/** A number for a read that starts now: it sees every edit committed before. */
	readStarted(): number {
		return ++this.#seq;
	}

	/**
	 * Holds an edit's rows while its transaction commits. The edit calls `committed` or `aborted`
	 * when the transaction settles.
	 */
	hold(writes: readonly RowWrite[]): { committed(): void; aborted(): void } {
		this.#forgetOld();
		const held = new Map<string, Held>();
		for (const write of writes) {
			const entry = { row: write.row, committedAt: Infinity, committedMs: 0 };
			const key = keyOf(write.entity, write.id);
			held.set(key, entry);
			this.#rows.set(key, entry);
		}
		if (held.size > 0) this.#changed();
		return {
			committed: () => {
				const seq = ++this.#seq;
				const ms = Date.now();
				for (const entry of held.values()) {
					entry.committedAt = seq;
					entry.committedMs = ms;
				}
			},
			aborted: () => {
				// Only the entries still this edit's: a later edit of the row holds its own.
				for (const [key, entry] of held) if (this.#rows.get(key) === entry) this.#rows.delete(key);
				if (held.size > 0) this.#changed();
			}
		};
	}

	/**
	 * The row an open or just committed edit left, for a screen whose last read of the database
	 * started at `readAt` (`readStarted`): `undefined` when that read already shows the edit or no
	 * edit holds the row; `{ row: null }` when the edit deleted it.
	 */
	read(entity: EntityName, id: string, readAt: number): { row: object | null } | undefined {
		const entry = this.#rows.get(keyOf(entity, id));
		return entry && readAt < entry.committedAt ? { row: entry.row } : undefined;
	}

	/** Called after every change of the held rows (for the screens' reactivity). */
	subscribe(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	get size(): number {
		return this.#rows.size;
	}

	#changed(): void {
		for (const listener of this.#listeners) listener();
	}

	#forgetOld(): void {
		const before = Date.now() - KEEP_MS;
		for (const [key, entry] of this.#rows)
			if (entry.committedAt !== Infinity && entry.committedMs < before) this.#rows.delete(key);
	}
}

/** A screen's last read of one row: which id, what it found, and when the read started. */
export interface RowRead<R> {
	key: string | null | undefined;
	row: R | undefined;
	readAt: number;
}

/**
 * The row a screen shows for `key`: an edit's held row unless the last read of that id started
 * after the edit committed; otherwise the last read's row (while a new id is read, the previous
 * id's, as before the new read answers).
 */
export function shownRow<R>(
	pending: PendingRows,
	entity: EntityName,
	key: string | null | undefined,
	last: RowRead<R> | undefined
): R | undefined {
	const readAt = last && last.key === key ? last.readAt : -1;
	const held = key ? pending.read(entity, key, readAt) : undefined;
	if (held) return (held.row ?? undefined) as R | undefined;
	return last?.row;
}

/** This tab's held rows. */
export const pendingRows = new PendingRows();
