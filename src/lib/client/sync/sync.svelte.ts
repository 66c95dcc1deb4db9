import { liveQuery } from 'dexie';
import { untrack } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';
import { browser } from '$app/environment';
import { AppError } from '$lib/shared/errors';
import { mutators } from '$lib/shared/mutators';
import type { NotificationRow } from '$lib/shared/schemas/notification';
import type { SessionUser } from '$lib/shared/schemas/user';
import type { EntityName, EntityRows } from '$lib/shared/sync/entities';
import type { Mutator } from '$lib/shared/sync/mutator';
import type { PineGateDb } from '../db';
import { readStored, writeStored } from '../storage';
import { localStorageMirror, openDevice, resetDevice, type MirrorStorage } from './device';
import { DexieStore, isDatabaseClosed } from './dexie-store';
import { SyncEngine, type SyncState } from './engine';
import { electLeader, SyncChannel, type SyncMessage } from './leader';
import { confirmLongOfflineHold, mutate as applyLocally, type DeviceContext } from './local';
import { noNotices, noOverwritten, unreadOverwritten } from './overwritten';
import { pendingRows, shownRow } from './pending-rows';
import { deriveStatus, initialSyncState, longOfflineDays, type SyncStatus } from './status';
import { subscribePokes, TrpcTransport } from './trpc-transport';
import type { OutboxEntry, Rejection } from './types';

export type { SyncStatus } from './status';
export type { SyncState } from './engine';
export type { OutboxEntry, Rejection } from './types';

/** Whether the browser promised not to evict PineGate's storage (`navigator.storage.persist()`). */
export type StoragePersistence = 'unknown' | 'granted' | 'denied' | 'unsupported';

/** Warnings that stay until a person dismisses them (kept in localStorage across reloads). */
export interface SyncNotices {
	/** Unsynced edits lost because the browser cleared this site's storage. */
	lostEdits: number;
	/** Unsynced edits of the previous user of this device, discarded when another user signed in. */
	discardedEdits: number;
}

/** Mutator arguments as a caller writes them: the zod schema fills defaults and checks the rest. */
export type MutatorInput<T> = T extends readonly unknown[]
	? T
	: T extends object
		? { [K in keyof T]?: MutatorInput<T[K]> }
		: T;

const NOTICES_KEY = 'pinegate.sync.notices';
/** How often the leader runs the engine's stall watchdog. */
const WATCHDOG_MS = 5_000;
/** How long the leader waits before reopening a failed poke stream. */
const POKE_RETRY_MS = 15_000;
/** Storage recoveries allowed per minute before giving up (a browser that keeps deleting it). */
const MAX_RECOVERIES_PER_MINUTE = 3;

function readNotices(): SyncNotices {
	try {
		const value = JSON.parse(readStored(NOTICES_KEY) ?? 'null') as Partial<SyncNotices> | null;
		return {
			lostEdits: typeof value?.lostEdits === 'number' ? value.lostEdits : 0,
			discardedEdits: typeof value?.discardedEdits === 'number' ? value.discardedEdits : 0
		};
	} catch {
		return { lostEdits: 0, discardedEdits: 0 };
	}
}

function errorName(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null
		? String((error as { name?: unknown }).name)
		: undefined;
}

function browserOnline(): boolean {
	return browser ? navigator.onLine : true;
}

/** One signed-in session of sync in this tab: the open database and, when leading, the engine. */
interface Runtime {
	generation: number;
	user: SessionUser;
	db: PineGateDb;
	store: DexieStore;
	clientId: string;
	channel: SyncChannel;
	engine: SyncEngine | null;
	cleanups: Array<() => void>;
	stopping: boolean;
	resetting: boolean;
}

class SyncController {
	/** The engine's state: this tab's own when it leads, else the leader's (over BroadcastChannel). */
	state = $state.raw<SyncState>(initialSyncState(browserOnline()));
	/** The open device database, or null before sign-in or while it reopens. */
	db = $state.raw<PineGateDb | null>(null);
	/** Whether this tab is the sync leader (holds the Web Lock). */
	isLeader = $state(false);
	/** Edits not yet confirmed by the server, oldest first (live from the store). */
	outbox = $state.raw<OutboxEntry[]>([]);
	/** Refused edits waiting for a person to dismiss them (live from the store). */
	rejections = $state.raw<Rejection[]>([]);
	/** When this device last finished a sync (live from the store). */
	lastSyncedAt = $state<string | null>(null);
	notices = $state<SyncNotices>(browser ? readNotices() : { lostEdits: 0, discardedEdits: 0 });
	/** A newer release upgraded the store in another tab: this one must reload. */
	storeUpgraded = $state(false);
	/** IndexedDB could not be opened (or kept disappearing). */
	storageFailed = $state(false);
	persistence = $state<StoragePersistence>('unknown');
	/** The signed-in user sync runs for, or null when stopped. */
	userId = $state<string | null>(null);

	status: SyncStatus = $derived(
		deriveStatus({
			state: this.state,
			pending: this.outbox.length,
			lastSyncedAt: this.lastSyncedAt,
			updateRequired: this.storeUpgraded,
			storageFailed: this.storageFailed
		})
	);

	private runtime: Runtime | null = null;
	private ready: Promise<Runtime | null> | null = null;
	private user: SessionUser | null = null;
	private generation = 0;
	private recoveries: number[] = [];
	private persistenceAsked = false;
	private mirrorStorage: MirrorStorage | null = null;

	private get mirror(): MirrorStorage {
		return (this.mirrorStorage ??= localStorageMirror());
	}

	/** Days since the last sync, when edits have been waiting longer than 30 days. */
	longOfflineDays(nowMs: number = Date.now()): number | null {
		return longOfflineDays(this.lastSyncedAt, this.outbox.length, nowMs);
	}

	start(user: SessionUser): void {
		if (!browser) return;
		if (readStored(BENCH_HOOK_KEY) === 'on') exposeBenchHook(this);
		untrack(() => {
			const current = this.user;
			if (current && current.id === user.id && current.role === user.role) {
				// Signed in again as the same person (e.g. after a 401): carry on where it paused.
				this.syncNow();
				return;
			}
			this.stop();
			this.user = user;
			this.userId = user.id;
			const generation = ++this.generation;
			this.ready = this.boot(user, generation);
			if (!this.persistenceAsked) {
				this.persistenceAsked = true;
				void this.requestPersistence();
			}
		});
	}

	stop(): void {
		untrack(() => {
			this.generation++;
			this.user = null;
			this.ready = null;
			const runtime = this.runtime;
			this.runtime = null;
			if (runtime) this.teardown(runtime);
			this.clearView();
			this.userId = null;
		});
	}

	private clearView(): void {
		this.db = null;
		this.isLeader = false;
		this.outbox = [];
		this.rejections = [];
		this.lastSyncedAt = null;
		this.state = initialSyncState(browserOnline());
	}

	private async boot(user: SessionUser, generation: number): Promise<Runtime | null> {
		let device: Awaited<ReturnType<typeof openDevice>>;
		try {
			device = await openDevice({ userId: user.id, mirror: this.mirror });
		} catch (error) {
			if (generation !== this.generation) return null;
			// A newer release already upgraded the database in another tab: only a reload helps.
			if (errorName(error) === 'VersionError') this.storeUpgraded = true;
			else this.storageFailed = true;
			return null;
		}
		if (generation !== this.generation) {
			device.db.close();
			return null;
		}
		this.addNotices(device.lostEdits, device.discardedEdits);
		const runtime: Runtime = {
			generation,
			user,
			db: device.db,
			store: new DexieStore(device.db, { onClosed: () => this.recover(generation) }),
			clientId: device.clientId,
			channel: new SyncChannel((message) => this.onMessage(runtime, message)),
			engine: null,
			cleanups: [],
			stopping: false,
			resetting: false
		};
		// Closed under us (storage cleared, another tab upgrading the schema): reopen and start over.
		const onClose = () => {
			if (!runtime.stopping) this.recover(generation);
		};
		device.db.on('close', onClose);
		runtime.cleanups.push(() => device.db.on('close').unsubscribe(onClose));
		this.runtime = runtime;
		this.db = device.db;
		this.storageFailed = false;
		this.watchStore(runtime);
		runtime.cleanups.push(electLeader(() => this.lead(runtime)));
		runtime.channel.post({ type: 'hello' });
		return runtime;
	}

	private watchStore(runtime: Runtime): void {
		const { db } = runtime;
		const watch = <T>(query: () => Promise<T>, apply: (value: T) => void) => {
			const subscription = liveQuery(query).subscribe({
				next: (value) => {
					if (this.runtime === runtime) apply(value);
				},
				error: () => {
					// A closed database is handled by recover(); nothing else is expected here.
				}
			});
			runtime.cleanups.push(() => subscription.unsubscribe());
		};
		watch(
			() => db.outbox.toArray(),
			(entries) => {
				this.outbox = entries;
				this.mirror.write({
					clientId: runtime.clientId,
					userId: runtime.user.id,
					pending: entries.length
				});
			}
		);
		watch(
			() => db.rejections.toArray(),
			(rejections) => (this.rejections = rejections)
		);
		watch(
			() => db.meta.get('lastSyncedAt'),
			(row) => (this.lastSyncedAt = typeof row?.value === 'string' ? row.value : null)
		);
	}

	private lead(runtime: Runtime): void {
		if (this.runtime !== runtime) return;
		this.isLeader = true;
		this.startEngine(runtime);
		const online = () => runtime.engine?.setOnline(true);
		const offline = () => runtime.engine?.setOnline(false);
		window.addEventListener('online', online);
		window.addEventListener('offline', offline);
		const watchdog = setInterval(() => runtime.engine?.watchdog(), WATCHDOG_MS);
		runtime.cleanups.push(() => {
			window.removeEventListener('online', online);
			window.removeEventListener('offline', offline);
			clearInterval(watchdog);
		});
		this.listenForPokes(runtime);
	}

	private startEngine(runtime: Runtime): void {
		const engine = new SyncEngine({
			store: runtime.store,
			transport: new TrpcTransport(),
			clientId: runtime.clientId,
			userId: runtime.user.id,
			role: runtime.user.role
		});
		runtime.engine = engine;
		engine.subscribe((state) => {
			if (this.runtime !== runtime || runtime.engine !== engine) return;
			this.state = state;
			runtime.channel.post({ type: 'state', state });
			if (state.paused === 'reset') void this.resetDevice(runtime, engine);
		});
		engine.refreshCounts().catch(() => {
			// The store is gone: recover() takes over.
		});
		// Going online (re)starts the loop: the first run pushes what is queued and pulls.
		engine.setOnline(browserOnline());
	}

	private listenForPokes(runtime: Runtime): void {
		let retry: ReturnType<typeof setTimeout> | undefined;
		let unsubscribe: (() => void) | null = null;
		const connect = () => {
			if (this.runtime !== runtime) return;
			unsubscribe = subscribePokes({
				onPoke: () => void runtime.engine?.requestSync(),
				onError: () => {
					unsubscribe?.();
					unsubscribe = null;
					clearTimeout(retry);
					retry = setTimeout(connect, POKE_RETRY_MS);
				}
			});
		};
		connect();
		runtime.cleanups.push(() => {
			clearTimeout(retry);
			unsubscribe?.();
		});
	}

	/** The server says this device id belongs to another user: start a fresh device in place. */
	private async resetDevice(runtime: Runtime, engine: SyncEngine): Promise<void> {
		if (runtime.resetting) return;
		runtime.resetting = true;
		try {
			engine.stop();
			await engine.idle();
			const reset = await resetDevice(runtime.db, runtime.user.id, this.mirror);
			if (this.runtime !== runtime) return;
			runtime.clientId = reset.clientId;
			this.addNotices(0, reset.discardedEdits);
			this.startEngine(runtime);
		} catch (error) {
			if (isDatabaseClosed(error)) this.recover(runtime.generation);
		} finally {
			runtime.resetting = false;
		}
	}

	private onMessage(runtime: Runtime, message: SyncMessage): void {
		if (this.runtime !== runtime) return;
		const engine = runtime.engine;
		switch (message.type) {
			case 'push':
				// A follower tab queued an edit: its run waits the same moment as this tab's would.
				engine?.requestSyncAfterEdit();
				break;
			case 'sync-now':
				engine?.resume();
				break;
			case 'refresh':
				void engine?.refreshCounts().catch(() => {});
				break;
			case 'hello':
				if (engine) runtime.channel.post({ type: 'state', state: engine.state });
				break;
			case 'state':
				if (!engine) this.state = message.state;
				break;
		}
	}

	private teardown(runtime: Runtime): void {
		runtime.stopping = true;
		for (const cleanup of runtime.cleanups.splice(0).reverse()) cleanup();
		runtime.channel.close();
		const engine = runtime.engine;
		runtime.engine = null;
		if (!engine) {
			runtime.db.close();
			return;
		}
		engine.stop();
		// Let a push or pull in flight finish its transaction before the database closes.
		void engine.idle().finally(() => {
			engine.stop();
			runtime.db.close();
		});
	}

	/**
	 * The database was closed or deleted under us: reopen it. With its identity intact this simply
	 * continues; after storage loss `openDevice` starts a fresh device (and says what was lost), and
	 * the engine's first pull resyncs everything.
	 */
	recover(generation: number): void {
		untrack(() => {
			if (generation !== this.generation || !this.user) return;
			const now = Date.now();
			this.recoveries = this.recoveries.filter((at) => now - at < 60_000);
			const user = this.user;
			const runtime = this.runtime;
			this.runtime = null;
			if (runtime) this.teardown(runtime);
			this.clearView();
			const next = ++this.generation;
			if (this.recoveries.length >= MAX_RECOVERIES_PER_MINUTE) {
				this.storageFailed = true;
				this.ready = Promise.resolve(null);
				return;
			}
			this.recoveries.push(now);
			this.ready = this.boot(user, next);
		});
	}

	private async runtimeForWrite(): Promise<Runtime> {
		const runtime = this.runtime ?? (await this.ready);
		if (runtime) return runtime;
		throw new AppError(this.user ? 'INTERNAL' : 'UNAUTHENTICATED');
	}

	private async followerDevice(runtime: Runtime): Promise<DeviceContext> {
		const { clientId, offset } = await runtime.store.engine('read', async (tx) => ({
			clientId: (await tx.getMeta('clientId')) ?? runtime.clientId,
			offset: (await tx.getMeta('serverOffsetMs')) ?? 0
		}));
		return {
			clientId,
			userId: runtime.user.id,
			role: runtime.user.role,
			now: () => new Date(Date.now() + offset)
		};
	}

	async mutate<Args>(mutator: Mutator<Args>, args: unknown): Promise<{ mutationId: number }> {
		for (let attempt = 0; ; attempt++) {
			const runtime = await this.runtimeForWrite();
			try {
				if (runtime.engine) return await runtime.engine.mutate(mutator, args);
				// A follower tab writes to IndexedDB itself and asks the leader to push.
				const result = await applyLocally(
					runtime.store,
					await this.followerDevice(runtime),
					mutator,
					args
				);
				runtime.channel.post({ type: 'push' });
				return result;
			} catch (error) {
				if (attempt === 0 && isDatabaseClosed(error)) {
					this.recover(runtime.generation);
					continue;
				}
				throw error;
			}
		}
	}

	async dismissRejection(mutationId: number): Promise<void> {
		const runtime = await this.runtimeForWrite();
		await runtime.store.engine('write', (tx) => tx.rejections.delete(mutationId));
		if (runtime.engine) await runtime.engine.refreshCounts();
		else runtime.channel.post({ type: 'refresh' });
	}

	/** Sends the edits held after a long offline period (any tab: the hold is in the store). */
	async confirmHeldEdits(): Promise<void> {
		const runtime = await this.runtimeForWrite();
		if (runtime.engine) return runtime.engine.confirmPush();
		await confirmLongOfflineHold(runtime.store);
		runtime.channel.post({ type: 'sync-now' });
	}

	/** Push and pull now; also lifts an auth pause (the session may be valid again). */
	syncNow(): void {
		const runtime = this.runtime;
		if (!runtime) return;
		if (runtime.engine) runtime.engine.resume();
		else runtime.channel.post({ type: 'sync-now' });
	}

	private addNotices(lostEdits: number, discardedEdits: number): void {
		if (lostEdits === 0 && discardedEdits === 0) return;
		this.notices = {
			lostEdits: this.notices.lostEdits + lostEdits,
			discardedEdits: this.notices.discardedEdits + discardedEdits
		};
		writeStored(NOTICES_KEY, JSON.stringify(this.notices));
	}

	dismissNotice(kind: keyof SyncNotices): void {
		this.notices = { ...this.notices, [kind]: 0 };
		const empty = this.notices.lostEdits === 0 && this.notices.discardedEdits === 0;
		writeStored(NOTICES_KEY, empty ? null : JSON.stringify(this.notices));
	}

	/** Asks the browser to keep PineGate's storage (asked once per page load; Settings can ask again). */
	async requestPersistence(): Promise<void> {
		const storage = browser ? navigator.storage : undefined;
		if (!storage || typeof storage.persist !== 'function') {
			this.persistence = 'unsupported';
			return;
		}
		try {
			if (await storage.persisted()) {
				this.persistence = 'granted';
				return;
			}
			this.persistence = (await storage.persist()) ? 'granted' : 'denied';
		} catch {
			this.persistence = 'unsupported';
		}
	}
}

const controller = new SyncController();

/** localStorage key that lets `npm run bench:sync` reach `mutate` from the page (off unless set). */
const BENCH_HOOK_KEY = 'pinegate.bench';

/**
 * `globalThis.__pinegateBench.mutate(name, args)`: the same path a page's edit takes, for timing
 * "edit → UI" without a navigation (tests/bench/sync-bench.ts). Grants nothing new: a script in
 * the page could already write through the app; it only spares the bench a form.
 */
function exposeBenchHook(sync: SyncController): void {
	(globalThis as { __pinegateBench?: unknown }).__pinegateBench = {
		mutate: (name: string, args: unknown) => {
			const mutator = mutators[name];
			if (!mutator) throw new Error(`unknown mutator ${name}`);
			return sync.mutate(mutator, args);
		}
	};
}

/**
 * Read-only reactive sync state for the UI: `status`, the engine `state` (progress, errors, retry
 * time), the live `outbox` and `rejections`, `lastSyncedAt`, `notices`, `persistence`, `isLeader`.
 */
export interface SyncView {
	readonly status: SyncStatus;
	readonly state: SyncState;
	readonly db: PineGateDb | null;
	readonly isLeader: boolean;
	readonly outbox: readonly OutboxEntry[];
	readonly rejections: readonly Rejection[];
	readonly lastSyncedAt: string | null;
	readonly notices: SyncNotices;
	readonly storeUpgraded: boolean;
	readonly storageFailed: boolean;
	readonly persistence: StoragePersistence;
	readonly userId: string | null;
	longOfflineDays(nowMs?: number): number | null;
}

export const syncState: SyncView = controller;

/** Starts sync for the signed-in user (idempotent; the same user again resumes a paused queue). */
export function startSync(user: SessionUser): void {
	controller.start(user);
}

/** Stops sync (logout, leaving the app). The outbox stays in IndexedDB for the next sign-in. */
export function stopSync(): void {
	controller.stop();
}

/**
 * Applies a mutator optimistically and queues it for the server, in one IndexedDB transaction.
 * Throws an AppError when the device can already tell it is refused (validation — `params.field`
 * and `params.message` name the input and its i18n key — permission, a username it knows is taken);
 * the caller shows it. Refusals that only the server can see arrive later as rejections.
 */
export function mutate<Args>(
	mutator: Mutator<Args>,
	args: MutatorInput<Args>
): Promise<{ mutationId: number }> {
	return controller.mutate(mutator, args);
}

/** Removes a rejection from the sync panel and the record's badge. */
export function dismissRejection(mutationId: number): Promise<void> {
	return controller.dismissRejection(mutationId);
}

/**
 * Sends the edits held because this device had not synced for more than 30 days (the person
 * has read the warning in the sync panel). docs/sync.md, "Long offline".
 */
export function confirmHeldEdits(): Promise<void> {
	return controller.confirmHeldEdits();
}

/** Push and pull now (the "Sync now" button); also retries after a paused session. */
export function syncNow(): void {
	controller.syncNow();
}

export function dismissSyncNotice(kind: keyof SyncNotices): void {
	controller.dismissNotice(kind);
}

/** Asks the browser again for persistent storage (Settings). */
export function requestPersistentStorage(): Promise<void> {
	return controller.requestPersistence();
}

/**
 * Reloads onto the newest release: activates a waiting service worker first (an old cached app
 * would be just as old after a plain reload). The outbox stays in IndexedDB and is pushed after.
 */
export async function reloadToUpdate(): Promise<void> {
	const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
	if (registration) {
		await registration.update().catch(() => {});
		const waiting = registration.waiting;
		if (waiting) {
			navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), {
				once: true
			});
			waiting.postMessage({ type: 'SKIP_WAITING' });
			return;
		}
	}
	location.reload();
}

export interface LiveQuery<T> {
	/** The latest result (or `initial` until the first one arrives). */
	readonly current: T;
	readonly error: unknown;
	/** True until the first result of the current query arrives. */
	readonly loading: boolean;
}

/**
 * A reactive Dexie `liveQuery` for components: re-runs whenever the tables it read change (in any
 * tab), and re-subscribes when the database is reopened or when `deps` changes. Dexie runs the
 * querier later, outside Svelte's tracking, so reactive inputs it reads must be named in `deps`:
 *
 *   const grants = useLiveQuery((db) => db.accesses.where('clientId').equals(clientId).toArray(), {
 *     initial: [], deps: () => clientId
 *   });
 *
 * Call it during component initialisation (it uses `$effect`).
 */
export function useLiveQuery<T>(
	querier: (db: PineGateDb) => T | Promise<T>,
	options: { initial: T; deps?: () => unknown }
): LiveQuery<T>;
export function useLiveQuery<T>(
	querier: (db: PineGateDb) => T | Promise<T>,
	options?: { initial?: undefined; deps?: () => unknown }
): LiveQuery<T | undefined>;
export function useLiveQuery<T>(
	querier: (db: PineGateDb) => T | Promise<T>,
	options: { initial?: T; deps?: () => unknown } = {}
): LiveQuery<T | undefined> {
	let current = $state.raw<T | undefined>(options.initial);
	let error = $state.raw<unknown>(null);
	let loading = $state(true);
	$effect(() => {
		const db = controller.db;
		options.deps?.();
		if (!db) return;
		untrack(() => (loading = true));
		const subscription = liveQuery(() => querier(db)).subscribe({
			next: (value) => {
				current = value;
				error = null;
				loading = false;
			},
			error: (err: unknown) => {
				error = err;
				loading = false;
			}
		});
		return () => subscription.unsubscribe();
	});
	return {
		get current() {
			return current;
		},
		get error() {
			return error;
		},
		get loading() {
			return loading;
		}
	};
}

/** Every live row of an entity (in primary-key order), reactive. */
export function liveRows<E extends EntityName>(entity: E): LiveQuery<Array<EntityRows[E]>> {
	return useLiveQuery((db) => db.table<EntityRows[E], string>(entity).toArray(), { initial: [] });
}

/**
 * This user's unread "a later edit replaced your change" notices of these records: one live query
 * for a list's rows, re-run when the rows shown change; `of(id)` gives one record's.
 */
export function liveOverwritten(
	entity: () => EntityName,
	ids: () => readonly string[]
): { of(id: string): readonly NotificationRow[] } {
	const notices = useLiveQuery(
		(db) =>
			unreadOverwritten(
				db,
				untrack(entity),
				untrack(ids),
				untrack(() => syncState.userId)
			),
		{
			initial: noOverwritten,
			deps: () => [entity(), ids().join(','), syncState.userId]
		}
	);
	return { of: (id) => notices.current.get(id) ?? noNotices };
}

/** Re-runs a reader of `pendingRows` when the held rows change. */
const pendingChanged = createSubscriber((update) => pendingRows.subscribe(update));

/**
 * One row by id (a getter, so the id may be reactive), or undefined while missing. An edit of this
 * tab shows as soon as its mutator writes the row, before its transaction commits
 * (pending-rows.ts).
 */
export function liveRow<E extends EntityName>(
	entity: E,
	id: () => string | null | undefined
): LiveQuery<EntityRows[E] | undefined> {
	const read = useLiveQuery(
		async (db) => {
			const key = untrack(id);
			const readAt = pendingRows.readStarted();
			const row = key ? await db.table<EntityRows[E], string>(entity).get(key) : undefined;
			return { key, row, readAt };
		},
		{ deps: id }
	);
	return {
		get current() {
			pendingChanged();
			return shownRow(pendingRows, entity, id(), read.current);
		},
		get error() {
			return read.error;
		},
		get loading() {
			return read.loading;
		}
	};
}
