import {
	CLIENT_SCHEMA_VERSION,
	MAX_PUSH_BATCH,
	type PullResponse
} from '$lib/shared/sync/protocol';
import { uuidv7 } from 'uuidv7';
import type { Mutator } from '$lib/shared/sync/mutator';
import { backoffDelay } from './backoff';
import {
	applyPushResults,
	confirmLongOfflineHold,
	mutate,
	oldestUnanswered,
	pendingEntries,
	renumberAfterGap,
	resetForRebootstrap,
	storePullPage,
	type DeviceContext
} from './local';
import { runSnapshot } from './snapshot';
import { LONG_OFFLINE_DAYS } from './status';
import { isTransient, TransportError, type Transport, type TransportErrorKind } from './transport';
import type { LocalStore } from './types';

export interface SyncState {
	online: boolean;
	running: boolean;
	/** Mutations not yet confirmed by a pull. */
	pending: number;
	rejected: number;
	lastSyncedAt: string | null;
	paused: null | 'auth' | 'update-required' | 'reset';
	/** Online with pending edits and no push attempt for a minute (SYNC.md 13). */
	stalled: boolean;
	error: { kind: TransportErrorKind; message: string } | null;
	/** When the next automatic retry happens (epoch ms), if one is scheduled. */
	retryAt: number | null;
	/** First-sync progress: rows stored of rows expected. */
	progress: { received: number; total: number } | null;
	/**
	 * Pending edits wait for the person to confirm them (`confirmPush`): the device had not synced
	 * for more than LONG_OFFLINE_DAYS when it came back. `since` is that last sync. Pulls go on.
	 */
	held: { since: string } | null;
}

export interface Timers {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
};

export interface EngineOptions {
	store: LocalStore;
	transport: Transport;
	clientId: string;
	userId: string;
	role: DeviceContext['role'];
	timers?: Timers;
	random?: () => number;
	schemaVersion?: number;
	pullLimit?: number;
	/** Rows per snapshot piece of a first sync (the server's default when absent). */
	snapshotLimit?: number;
	/** Watchdog: how long pending edits may wait without a push attempt. */
	stallAfterMs?: number;
	/** Watchdog: pull when nothing was pulled for this long while online (a poke can be lost). */
	heartbeatMs?: number;
	/** Pending edits older than a last sync this far back wait for a confirmation. */
	longOfflineMs?: number;
}

export const STALL_AFTER_MS = 60_000;
export const HEARTBEAT_MS = 60_000;
/** How long after an edit its sync run starts: a frame or so, for the screen to show the edit. */
export const SYNC_AFTER_EDIT_MS = 20;
export const LONG_OFFLINE_MS = LONG_OFFLINE_DAYS * 86_400_000;

/**
 * The device's sync loop around the pure core: single-flight push-then-pull, retries with backoff
 * and jitter, a pause on 401, a stop on an unsupported schema, and the stall watchdog.
 */
export class SyncEngine {
	readonly device: DeviceContext;
	private readonly store: LocalStore;
	private readonly transport: Transport;
	private readonly timers: Timers;
	private readonly random: () => number;
	private readonly schemaVersion: number;
	private readonly pullLimit: number | undefined;
	private readonly snapshotLimit: number | undefined;
	private snapshotSettled = false;
	private readonly stallAfterMs: number;
	private readonly heartbeatMs: number;
	private readonly longOfflineMs: number;
	/** When the watchdog pulls next if nothing else did (jittered, so devices do not pull in step). */
	private heartbeatAt: number;
	private serverOffsetMs = 0;
	private running: Promise<void> | null = null;
	private again = false;
	private attempt = 0;
	private retryHandle: unknown = null;
	/** The run an edit asked for, waiting SYNC_AFTER_EDIT_MS (`requestSyncAfterEdit`). */
	private kickHandle: unknown = null;
	/** Since when pending edits have waited without a push attempt (watchdog reference). */
	private waitingSince: number;
	private listeners = new Set<(state: SyncState) => void>();
	state: SyncState = {
		online: true,
		running: false,
		pending: 0,
		rejected: 0,
		lastSyncedAt: null,
		paused: null,
		stalled: false,
		error: null,
		retryAt: null,
		progress: null,
		held: null
	};

	constructor(options: EngineOptions) {
		this.store = options.store;
		this.transport = options.transport;
		this.timers = options.timers ?? realTimers;
		this.random = options.random ?? Math.random;
		this.schemaVersion = options.schemaVersion ?? CLIENT_SCHEMA_VERSION;
		this.pullLimit = options.pullLimit;
		this.snapshotLimit = options.snapshotLimit;
		this.stallAfterMs = options.stallAfterMs ?? STALL_AFTER_MS;
		this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
		this.longOfflineMs = options.longOfflineMs ?? LONG_OFFLINE_MS;
		this.waitingSince = this.timers.now();
		this.heartbeatAt = this.nextHeartbeat();
		this.device = {
			clientId: options.clientId,
			userId: options.userId,
			role: options.role,
			now: () => new Date(this.timers.now() + this.serverOffsetMs)
		};
	}

	subscribe(listener: (state: SyncState) => void): () => void {
		this.listeners.add(listener);
		listener(this.state);
		return () => this.listeners.delete(listener);
	}

	private set(patch: Partial<SyncState>): void {
		this.state = { ...this.state, ...patch };
		for (const listener of this.listeners) listener(this.state);
	}

	async refreshCounts(): Promise<void> {
		const { pending, rejected, lastSyncedAt, offset, hold } = await this.store.engine(
			'read',
			async (tx) => ({
				pending: await tx.outbox.count(),
				rejected: await tx.rejections.count(),
				lastSyncedAt: (await tx.getMeta('lastSyncedAt')) ?? null,
				offset: (await tx.getMeta('serverOffsetMs')) ?? 0,
				hold: await tx.getMeta('longOfflineHold')
			})
		);
		this.serverOffsetMs = offset;
		if (this.state.pending === 0 && pending > 0) this.waitingSince = this.timers.now();
		const held = hold && !hold.confirmed && pending > 0 ? { since: hold.lastSyncedAt } : null;
		this.set({ pending, rejected, lastSyncedAt, held });
	}

	/**
	 * Whether pushing waits for the person (docs/sync.md, "Long offline"). Arms the hold, once per
	 * last sync, when pending edits meet a last sync older than the limit; the hold is stored, so
	 * the pull that follows (which refreshes the last sync) and a reload do not lift it — only
	 * `confirmPush` does.
	 */
	private async pushHeld(): Promise<boolean> {
		const nowMs = this.timers.now();
		const held = await this.store.engine('write', async (tx) => {
			const hold = await tx.getMeta('longOfflineHold');
			const pending = (await tx.outbox.toArray()).some((entry) => entry.status === 'pending');
			if (!pending) return false;
			const lastSyncedAt = await tx.getMeta('lastSyncedAt');
			if (
				lastSyncedAt &&
				hold?.lastSyncedAt !== lastSyncedAt &&
				nowMs - Date.parse(lastSyncedAt) > this.longOfflineMs
			) {
				await tx.setMeta('longOfflineHold', { lastSyncedAt, confirmed: false });
				return true;
			}
			return hold !== undefined && !hold.confirmed;
		});
		if (held) await this.refreshCounts();
		return held;
	}

	/** The person read the long-offline warning and sends the held edits. */
	async confirmPush(): Promise<void> {
		await confirmLongOfflineHold(this.store);
		await this.refreshCounts();
		void this.requestSync();
	}

	/** Optimistic local write + outbox entry, then a sync in the background. */
	async mutate<Args>(mutator: Mutator<Args>, args: unknown): Promise<{ mutationId: number }> {
		const result = await mutate(this.store, this.device, mutator, args);
		await this.refreshCounts();
		this.requestSyncAfterEdit();
		return result;
	}

	/**
	 * The run an edit asks for (this tab's, or a follower tab's): a moment later, not at once. The
	 * edit's commit wakes the screens' live queries, and a run started in the same moment (its
	 * bookkeeping transactions, the status in the header, the request) made their read and render
	 * wait. Edits within the moment share the run. `idle` starts a run still waiting.
	 */
	requestSyncAfterEdit(): void {
		if (this.kickHandle !== null) return;
		this.kickHandle = this.timers.setTimeout(() => {
			this.kickHandle = null;
			void this.requestSync();
		}, SYNC_AFTER_EDIT_MS);
	}

	private cancelKick(): void {
		if (this.kickHandle !== null) this.timers.clearTimeout(this.kickHandle);
		this.kickHandle = null;
	}

	setOnline(online: boolean): void {
		this.set({ online });
		if (online) {
			this.attempt = 0;
			void this.requestSync();
		}
	}

	/** After a new login: the queue continues where it paused, nothing lost. */
	resume(): void {
		if (this.state.paused === 'auth') this.set({ paused: null, error: null });
		this.attempt = 0;
		void this.requestSync();
	}

	/** Runs push-then-pull now (or right after the current run). Never throws. */
	requestSync(): Promise<void> {
		// A run asked for now also sends the edits a waiting one was for.
		this.cancelKick();
		if (this.state.paused || !this.state.online) return this.running ?? Promise.resolve();
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.clearRetry();
		this.running = this.loop().finally(() => {
			this.running = null;
			// Asked for during a run that then failed (a person pressed Sync now, an edit was queued,
			// the device came back online): that request still deserves its run, not the backoff.
			if (this.again) void this.requestSync();
		});
		return this.running;
	}

	/** Resolves when no run is in progress or waiting to start (for tests and orderly shutdown). */
	async idle(): Promise<void> {
		if (this.kickHandle !== null) void this.requestSync();
		while (this.running) await this.running;
	}

	/**
	 * Called periodically (every few seconds). Pending edits, online, and no push attempt for a
	 * minute → push now and say it stalled. And, since a poke can be lost (the SSE stream
	 * reconnecting when a commit lands), nothing pulled for HEARTBEAT_MS (plus up to a quarter,
	 * so devices do not pull in step) → pull: with nothing
	 * new that is one empty page (the heartbeat waits while a retry is scheduled anyway). Held
	 * edits (long offline) are not stalled: they wait for the person.
	 */
	watchdog(): void {
		if (!this.state.online || this.state.paused || this.running) return;
		const now = this.timers.now();
		if (
			this.state.pending > 0 &&
			!this.state.held &&
			now - this.waitingSince >= this.stallAfterMs
		) {
			this.set({ stalled: true });
			void this.requestSync();
		} else if (this.retryHandle === null && now >= this.heartbeatAt) {
			void this.requestSync();
		}
	}

	private nextHeartbeat(): number {
		return this.timers.now() + this.heartbeatMs * (1 + 0.25 * this.random());
	}

	stop(): void {
		this.cancelKick();
		this.clearRetry();
		this.listeners.clear();
	}

	private clearRetry(): void {
		if (this.retryHandle !== null) this.timers.clearTimeout(this.retryHandle);
		this.retryHandle = null;
		if (this.state.retryAt !== null) this.set({ retryAt: null });
	}

	private async loop(): Promise<void> {
		this.set({ running: true });
		try {
			do {
				this.again = false;
				if (!(await this.pushHeld())) await this.pushAll();
				await this.pullAll();
				this.heartbeatAt = this.nextHeartbeat();
			} while (this.again && !this.state.paused);
			this.attempt = 0;
			this.set({ error: null, stalled: false });
		} catch (error) {
			this.handleFailure(error);
		} finally {
			await this.refreshCounts().catch(() => {});
			this.set({ running: false, progress: null });
		}
	}

	private handleFailure(error: unknown): void {
		const transport =
			error instanceof TransportError
				? error
				: new TransportError('client', error instanceof Error ? error.message : String(error));
		if (transport.kind === 'auth') {
			this.set({ paused: 'auth', error: { kind: 'auth', message: transport.message } });
			return;
		}
		const delay = Math.max(
			transport.retryAfterMs ?? 0,
			backoffDelay(this.attempt++, {
				random: this.random,
				capMs: isTransient(transport.kind) ? 60_000 : 300_000
			})
		);
		this.set({
			error: { kind: transport.kind, message: transport.message },
			retryAt: this.timers.now() + delay
		});
		this.retryHandle = this.timers.setTimeout(() => {
			this.retryHandle = null;
			this.set({ retryAt: null });
			void this.requestSync();
		}, delay);
	}

	private async pushAll(): Promise<void> {
		for (;;) {
			const batch = await pendingEntries(this.store, MAX_PUSH_BATCH);
			if (batch.length === 0) return;
			this.waitingSince = this.timers.now();
			const response = await this.transport.push({
				clientId: this.device.clientId,
				schemaVersion: this.schemaVersion,
				mutations: batch.map(({ id, name, args, createdAt }) => ({ id, name, args, createdAt }))
			});
			switch (response.status) {
				case 'ok':
					await applyPushResults(this.store, this.device, response.results);
					this.set({ stalled: false });
					break;
				case 'gap':
					await renumberAfterGap(this.store, response.lastMutationId);
					break;
				case 'unsupported-schema':
					this.set({ paused: 'update-required' });
					return;
				case 'reset':
					this.set({ paused: 'reset' });
					return;
			}
			await this.refreshCounts();
		}
	}

	private pullFrom(cursor: number, pendingFrom: number | null): Promise<PullResponse> {
		return this.transport.pull({
			clientId: this.device.clientId,
			schemaVersion: this.schemaVersion,
			cursor,
			pendingFrom,
			...(this.pullLimit ? { limit: this.pullLimit } : {})
		});
	}

	/**
	 * Pulls pages until the last one. While a page is being stored, the next one is already asked
	 * for (from the cursor the page ends at), so the server builds it while the device writes: pages
	 * are still stored one at a time, in order, each with its cursor, and a prefetched page is
	 * dropped unstored when the page before it fails to store.
	 */
	private async pullAll(): Promise<void> {
		if (this.state.paused) return;
		// Once a run has pulled past the snapshot question, later runs do not read it again.
		const snapshot = this.snapshotSettled
			? 'skipped'
			: await runSnapshot({
					store: this.store,
					transport: this.transport,
					device: this.device,
					schemaVersion: this.schemaVersion,
					...(this.snapshotLimit ? { limit: this.snapshotLimit } : {}),
					now: () => this.timers.now(),
					newGen: uuidv7,
					onProgress: (progress) => this.set({ progress })
				});
		if (snapshot === 'update-required' || snapshot === 'reset') {
			this.set({ paused: snapshot });
			return;
		}
		this.snapshotSettled = true;
		if (snapshot === 'done') this.set({ progress: null });
		const pendingFrom = await oldestUnanswered(this.store);
		const cursor = await this.store.engine('read', async (tx) => (await tx.getMeta('cursor')) ?? 0);
		let next = this.pullFrom(cursor, pendingFrom);
		let received = 0;
		for (;;) {
			const page = await next;
			if (page.status === 'unsupported-schema') {
				this.set({ paused: 'update-required' });
				return;
			}
			if (page.status === 'reset') {
				if (page.reason === 'cursor-too-old') {
					// Tombstones past our cursor were purged: start over from 0, keeping the outbox.
					await resetForRebootstrap(this.store, this.device);
					next = this.pullFrom(0, pendingFrom);
					continue;
				}
				this.set({ paused: 'reset' });
				return;
			}
			let prefetched: Promise<PullResponse> | null = null;
			if (page.more) {
				prefetched = this.pullFrom(page.cursor, pendingFrom);
				// Awaited below; if storing this page fails first, its outcome no longer matters.
				prefetched.catch(() => {});
			}
			await storePullPage(this.store, this.device, page, this.timers.now());
			this.serverOffsetMs = Date.parse(page.serverNow) - this.timers.now();
			received += Object.values(page.rows).reduce((sum, rows) => sum + (rows?.length ?? 0), 0);
			if (page.total !== null || this.state.progress) {
				const total = page.total ?? this.state.progress?.total ?? received;
				this.set({ progress: { received, total: Math.max(total, received) } });
			}
			if (!prefetched) return;
			next = prefetched;
		}
	}
}
