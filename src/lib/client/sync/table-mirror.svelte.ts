import Dexie, { type ObservabilitySet } from 'dexie';
import { untrack } from 'svelte';
import { browser } from '$app/environment';
import { changedKeys, primaryKeyPart } from '../clients/changes';
import type { PineGateDb } from '../db';
import { syncState } from './sync.svelte';

/** What a mirror keeps of a table's rows, and how it is built and patched. */
export interface MirrorKind<Row, Value> {
	/** A table of the device database whose primary key is a string `id`. */
	table: string;
	/** Rows per read transaction while loading (short transactions keep the sync engine going). */
	chunk: number;
	/** The value of every row, in primary-key order; `previous` is the value shown until then. */
	build(rows: Row[], previous: Value | null): Value;
	/** The value with these rows put (new or changed) and these ids gone. */
	patch(value: Value, upserts: Row[], deletes: string[]): Value;
	size(value: Value): number;
}

/** More changed keys than this in one batch (a pull page storm, a clear): reload all. */
const MAX_PATCH_KEYS = 20_000;
/** Changes arriving within this window are applied together. */
const BATCH_MS = 16;

/**
 * Every row of one device table in memory, loaded once in chunks with progress, then kept current
 * from Dexie's change notifications (this tab's writes and other tabs'): only the changed rows are
 * read again (`bulkGet`) and patched in. A live query over the whole table reads every row again
 * on any change to it: at 300,000 grants, seconds of the main thread for one renewal or one
 * pulled page. (docs/decisions.md, "Clients list", where this began as the client store.)
 *
 * A database reopened or gone (logout) detaches the mirror; a page attaches the current one.
 */
export class TableMirror<Row extends { id: string }, Value> {
	/** The rows' value, or null until the first full load finishes. */
	value = $state.raw<Value | null>(null);
	/** Rows read so far by the running full load, and how many there are. */
	loaded = $state(0);
	total = $state(0);

	private db: PineGateDb | null = null;
	private generation = 0;
	private unsubscribe: (() => void) | null = null;
	private loading = false;
	private flushing = false;
	private timer: ReturnType<typeof setTimeout> | undefined;
	/** Keys changed since the last patch, or 'all' when only a full reload will do. */
	private pending: Set<string> | 'all' | null = null;
	private waiters: Array<(value: Value) => void> = [];
	private holders = 0;

	constructor(private readonly kind: MirrorKind<Row, Value>) {
		if (!browser) return;
		$effect.root(() => {
			$effect(() => {
				const db = syncState.db;
				untrack(() => {
					if (this.db && db !== this.db) this.detach();
				});
			});
		});
	}

	/** Mirror this database's table (idempotent); null detaches. */
	attach(db: PineGateDb | null): void {
		if (db === this.db) return;
		this.detach();
		if (!db) return;
		this.db = db;
		const generation = ++this.generation;
		const part = primaryKeyPart(db.name, this.kind.table);
		const listener = (parts: ObservabilitySet) => {
			if (generation !== this.generation || !(part in parts)) return;
			this.noteChanges(changedKeys(parts[part], MAX_PATCH_KEYS));
		};
		Dexie.on.storagemutated.subscribe(listener);
		this.unsubscribe = () => Dexie.on.storagemutated.unsubscribe(listener);
		void this.load(generation);
	}

	/**
	 * For a page: mirror `db` while the page holds it; the returned release forgets the rows once
	 * no page holds them (in an `$effect`, return it). Counted, so a page that comes before the
	 * one it replaces is gone keeps what is loaded.
	 */
	hold(db: PineGateDb): () => void {
		this.holders++;
		this.attach(db);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			if (--this.holders === 0) this.detach();
		};
	}

	/** The value once loaded. */
	ready(): Promise<Value> {
		if (this.value !== null && !this.loading) return Promise.resolve(this.value);
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	/** Forgets the rows (memory) and stops listening. */
	detach(): void {
		this.generation++;
		this.unsubscribe?.();
		this.unsubscribe = null;
		clearTimeout(this.timer);
		this.db = null;
		this.pending = null;
		this.loading = false;
		this.flushing = false;
		this.value = null;
		this.loaded = 0;
		this.total = 0;
	}

	private table(db: PineGateDb) {
		return db.table<Row, string>(this.kind.table);
	}

	/** Reads every row in primary-key chunks; the previous value stays visible meanwhile. */
	private async load(generation: number): Promise<void> {
		const db = this.db;
		if (!db) return;
		this.loading = true;
		this.pending = null;
		try {
			const table = this.table(db);
			this.total = await table.count();
			this.loaded = 0;
			const rows: Row[] = [];
			let last = '';
			for (;;) {
				const chunk = await table.where(':id').above(last).limit(this.kind.chunk).toArray();
				if (generation !== this.generation) return;
				rows.push(...chunk);
				this.loaded = rows.length;
				const end = chunk.at(-1);
				if (!end || chunk.length < this.kind.chunk) break;
				last = end.id;
			}
			this.total = rows.length;
			this.value = this.kind.build(rows, this.value);
		} catch {
			// The database closed under us: the sync runtime reopens it (a new `syncState.db`), and
			// the mirror is detached and attached again from there.
			if (generation === this.generation) this.loading = false;
			return;
		}
		this.loading = false;
		const value = this.value;
		for (const resolve of this.waiters.splice(0)) resolve(value);
		if (this.pending) this.schedule();
	}

	private noteChanges(keys: string[] | null): void {
		if (keys === null) this.pending = 'all';
		else if (keys.length > 0 && this.pending !== 'all') {
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping: nothing renders it
			this.pending ??= new Set();
			for (const key of keys) this.pending.add(key);
		}
		if (this.pending) this.schedule();
	}

	private schedule(): void {
		if (this.loading || this.flushing) return; // picked up when the running work ends
		clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.flush(this.generation), BATCH_MS);
	}

	private async flush(generation: number): Promise<void> {
		const db = this.db;
		const pending = this.pending;
		if (!db || !pending || generation !== this.generation) return;
		if (pending === 'all' || this.value === null) {
			await this.load(generation);
			return;
		}
		this.pending = null;
		this.flushing = true;
		try {
			const ids = [...pending];
			const rows = await this.table(db).bulkGet(ids);
			if (generation !== this.generation || this.value === null) return;
			const upserts = rows.filter((row) => row !== undefined);
			const deletes = ids.filter((_, i) => rows[i] === undefined);
			this.value = this.kind.patch(this.value, upserts, deletes);
			this.total = this.kind.size(this.value);
		} catch {
			return; // closed database: as above
		} finally {
			this.flushing = false;
		}
		if (this.pending) this.schedule();
	}
}
