import Dexie, { type ObservabilitySet } from 'dexie';
import { untrack } from 'svelte';
import { browser } from '$app/environment';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { PineGateDb } from '../db';
import { syncState } from '../sync/sync.svelte';
import { changedKeys, primaryKeyPart } from './changes';
import { ClientIndex } from './list';

/**
 * Rows per read transaction while loading: short transactions keep the sync engine unblocked. Not
 * smaller: the list shows once every chunk is in, and at 100,000 clients chunks of 500 put the
 * first rows at 336–367 ms p50 instead of 165 ms (bench:crm, 2026-11-28; a doubling 500 → 4,000
 * was no better, 367 ms), for a gain on a 2,000-client phone that Lighthouse did not show.
 */
const CHUNK = 2_000;
/** More changed keys than this in one batch (a first sync page storm, a clear): reload all. */
const MAX_PATCH_KEYS = 20_000;
/** Changes arriving within this window are applied together. */
const BATCH_MS = 16;

/**
 * Every client of the device in memory, with its search keys (DESIGN: docs/decisions.md, "Clients
 * list"). Loaded once per signed-in session, in chunks with progress, then kept current from
 * Dexie's change notifications (this tab's writes and other tabs'): only the changed rows are read
 * again and patched into the index. So returning to the list is instant, and an edit costs a
 * `bulkGet` of one row instead of re-reading 100,000.
 *
 * It is kept while the same device database is open (memory: roughly the size of the clients
 * table) and dropped on logout or when the database is reopened.
 */
class ClientStore {
	/** The clients and their keys, or null until the first full load finishes. */
	index = $state.raw<ClientIndex | null>(null);
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
	private waiters: Array<(index: ClientIndex) => void> = [];

	constructor() {
		if (!browser) return;
		// Logout or a reopened database: forget this one's clients (a page attaches the next).
		$effect.root(() => {
			$effect(() => {
				const db = syncState.db;
				untrack(() => {
					if (this.db && db !== this.db) this.detach();
				});
			});
		});
	}

	/** Mirror this database's clients (idempotent; a page calls it with `syncState.db`). */
	attach(db: PineGateDb | null): void {
		if (db === this.db) return;
		this.detach();
		if (!db) return;
		this.db = db;
		const generation = ++this.generation;
		const part = primaryKeyPart(db.name, 'clients');
		const listener = (parts: ObservabilitySet) => {
			if (generation !== this.generation || !(part in parts)) return;
			this.noteChanges(changedKeys(parts[part], MAX_PATCH_KEYS));
		};
		Dexie.on.storagemutated.subscribe(listener);
		this.unsubscribe = () => Dexie.on.storagemutated.unsubscribe(listener);
		void this.load(generation);
	}

	/** The index once loaded (for the import's duplicate check). */
	ready(): Promise<ClientIndex> {
		if (this.index && !this.loading) return Promise.resolve(this.index);
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	private detach(): void {
		this.generation++;
		this.unsubscribe?.();
		this.unsubscribe = null;
		clearTimeout(this.timer);
		this.db = null;
		this.pending = null;
		this.loading = false;
		this.flushing = false;
		this.index = null;
		this.loaded = 0;
		this.total = 0;
	}

	/** Reads every client in primary-key chunks; the previous index stays visible meanwhile. */
	private async load(generation: number): Promise<void> {
		const db = this.db;
		if (!db) return;
		this.loading = true;
		this.pending = null;
		try {
			this.total = await db.clients.count();
			this.loaded = 0;
			const rows: ClientRow[] = [];
			let last = '';
			for (;;) {
				const chunk = await db.clients.where(':id').above(last).limit(CHUNK).toArray();
				if (generation !== this.generation) return;
				rows.push(...chunk);
				this.loaded = rows.length;
				const end = chunk.at(-1);
				if (!end || chunk.length < CHUNK) break;
				last = end.id;
			}
			this.total = rows.length;
			this.index = new ClientIndex(rows, this.index ?? undefined);
		} catch {
			// The database closed under us: the sync runtime reopens it (a new `syncState.db`), and
			// the store is detached and attached again from there.
			if (generation === this.generation) this.loading = false;
			return;
		}
		this.loading = false;
		const index = this.index;
		for (const resolve of this.waiters.splice(0)) resolve(index);
		if (this.pending) this.schedule();
	}

	private noteChanges(keys: string[] | null): void {
		if (keys === null) this.pending = 'all';
		else if (keys.length > 0 && this.pending !== 'all') {
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
		if (pending === 'all' || !this.index) {
			await this.load(generation);
			return;
		}
		this.pending = null;
		this.flushing = true;
		try {
			const ids = [...pending];
			const rows = await db.clients.bulkGet(ids);
			if (generation !== this.generation || !this.index) return;
			const upserts = rows.filter((row) => row !== undefined);
			const deletes = ids.filter((_, i) => rows[i] === undefined);
			this.index = this.index.patched(upserts, deletes);
			this.total = this.index.size;
		} catch {
			return; // closed database: as above
		} finally {
			this.flushing = false;
		}
		if (this.pending) this.schedule();
	}
}

export const clientStore = new ClientStore();
