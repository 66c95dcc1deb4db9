import type { SyncState } from './engine';

/** The Web Lock whose holder is the sync leader: the one tab that pushes, pulls and hears pokes. */
export const LEADER_LOCK = 'pinegate-sync-leader';
/** The tabs of one browser talk over this BroadcastChannel. */
export const SYNC_CHANNEL = 'pinegate-sync';

export type SyncMessage =
	/** A follower queued an edit (already in IndexedDB): leader, push now. */
	| { type: 'push' }
	/** A person pressed "Sync now" in a follower tab. */
	| { type: 'sync-now' }
	/** A follower changed what the counts depend on (e.g. dismissed a rejection). */
	| { type: 'refresh' }
	/** A new tab asks the leader for its state. */
	| { type: 'hello' }
	/** The leader's engine state, sent on every change. */
	| { type: 'state'; state: SyncState };

type LockCallback = () => Promise<void>;

/** The part of `navigator.locks` the election uses (so tests can pass a fake). */
export interface LockManagerLike {
	request(
		name: string,
		options: { signal?: AbortSignal },
		callback: LockCallback
	): Promise<unknown>;
}

function browserLocks(): LockManagerLike | undefined {
	const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
	return nav?.locks;
}

/**
 * Makes this tab the sync leader while it holds the `pinegate-sync-leader` Web Lock: `onLeader` runs
 * once the lock is granted, and the lock is held until `stop()` or until the tab goes away (the
 * browser releases it then, and the next waiting tab takes over). Without Web Locks every tab leads:
 * the server's exactly-once push makes that safe, only less economical.
 */
export function electLeader(
	onLeader: () => void,
	options: { locks?: LockManagerLike | null; name?: string } = {}
): () => void {
	const locks = options.locks === undefined ? browserLocks() : options.locks;
	if (!locks) {
		onLeader();
		return () => {};
	}
	const controller = new AbortController();
	let release: (() => void) | null = null;
	locks
		.request(
			options.name ?? LEADER_LOCK,
			{ signal: controller.signal },
			() =>
				new Promise<void>((resolve) => {
					if (controller.signal.aborted) return resolve();
					release = resolve;
					onLeader();
				})
		)
		.catch(() => {
			// Aborted while waiting for the lock: this tab stopped before it ever led.
		});
	return () => {
		controller.abort();
		release?.();
		release = null;
	};
}

/** Typed BroadcastChannel between the tabs; a no-op where BroadcastChannel does not exist. */
export class SyncChannel {
	private readonly channel: BroadcastChannel | null;

	constructor(onMessage: (message: SyncMessage) => void, name: string = SYNC_CHANNEL) {
		this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
		if (this.channel) {
			this.channel.onmessage = (event: MessageEvent<SyncMessage>) => onMessage(event.data);
		}
	}

	post(message: SyncMessage): void {
		try {
			this.channel?.postMessage(message);
		} catch {
			// Closed channel or an uncloneable value: the other tabs catch up on their next poke.
		}
	}

	close(): void {
		this.channel?.close();
	}
}
