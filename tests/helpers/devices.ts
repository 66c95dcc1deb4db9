import { uuidv7 } from 'uuidv7';
import type { Db } from '../../src/lib/server/db/client';
import { pull } from '../../src/lib/server/sync/pull';
import { snapshotWire } from '../../src/lib/server/sync/snapshot';
import { push } from '../../src/lib/server/sync/push';
import { SyncEngine, type Timers } from '../../src/lib/client/sync/engine';
import { MemoryStore } from '../../src/lib/client/sync/memory-store';
import { TransportError, type Transport } from '../../src/lib/client/sync/transport';
import type { LocalStore } from '../../src/lib/client/sync/types';
import type { SessionUser } from '../../src/lib/shared/schemas/user';
import type {
	PullRequest,
	PullResponse,
	PushRequest,
	PushResponse,
	SnapshotPiece,
	SnapshotRequest
} from '../../src/lib/shared/sync/protocol';
import { decodeSnapshotPiece } from '../../src/lib/shared/sync/protocol';

/** Runs one request's server work on the database (see `RestartableDatabase.run`). */
export type ServerRun = <T>(fn: (db: Db) => Promise<T>) => Promise<T>;

/** What the network does to one request: lose it, lose its answer, or deliver it twice. */
export interface Faults {
	dropRequest: number;
	dropResponse: number;
	duplicate: number;
}

export const noFaults: Faults = { dropRequest: 0, dropResponse: 0, duplicate: 0 };

/** A deterministic PRNG (mulberry32) so a failing property run replays exactly. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A transport that calls the real server code, through a JSON round trip, with injected faults.
 * `restart` may be called between the server's commit and its answer to model a crash.
 */
export class SimulatedTransport implements Transport {
	online = true;
	faults: Faults = noFaults;
	failWith: TransportError | null = null;
	requests = 0;

	constructor(
		private readonly server: () => Db,
		private readonly user: () => SessionUser,
		private readonly random: () => number,
		private readonly onCommitted: () => Promise<void> = async () => {},
		/** How a request reaches the server's database (a restartable one serializes with restarts). */
		private readonly run: ServerRun = (fn) => fn(server())
	) {}

	private async deliver<Req, Res>(
		request: Req,
		handler: (db: Db, req: Req) => Promise<Res>
	): Promise<Res> {
		this.requests++;
		if (this.failWith) throw this.failWith;
		if (!this.online) throw new TransportError('network', 'offline');
		if (this.random() < this.faults.dropRequest)
			throw new TransportError('network', 'request lost');
		const wire = JSON.parse(JSON.stringify(request)) as Req;
		const duplicate = this.random() < this.faults.duplicate;
		const [answer] = await Promise.all([
			this.run((db) => handler(db, wire)),
			...(duplicate
				? [this.run((db) => handler(db, JSON.parse(JSON.stringify(request)) as Req))]
				: [])
		]);
		if (this.random() < this.faults.dropResponse) {
			await this.onCommitted();
			throw new TransportError('timeout', 'response lost');
		}
		return JSON.parse(JSON.stringify(answer)) as Res;
	}

	push(request: PushRequest): Promise<PushResponse> {
		return this.deliver(request, (db, req) => push(db, this.user(), req));
	}

	pull(request: PullRequest): Promise<PullResponse> {
		return this.deliver(request, (db, req) => pull(db, this.user(), req));
	}

	snapshot(request: SnapshotRequest): Promise<SnapshotPiece> {
		return this.deliver(request, async (db, req) =>
			decodeSnapshotPiece(await snapshotWire(db, this.user(), req), req.slice)
		);
	}
}

/** Timers that never fire on their own: the test decides when retries happen. */
export function manualTimers(
	start = Date.now()
): Timers & { advance(ms: number): void; pending: number } {
	let now = start;
	const scheduled = new Map<number, { at: number; fn: () => void }>();
	let next = 1;
	return {
		now: () => now,
		setTimeout(fn, ms) {
			const id = next++;
			scheduled.set(id, { at: now + ms, fn });
			return id;
		},
		clearTimeout(handle) {
			scheduled.delete(handle as number);
		},
		advance(ms) {
			now += ms;
			for (const [id, job] of [...scheduled]) {
				if (job.at <= now) {
					scheduled.delete(id);
					job.fn();
				}
			}
		},
		get pending() {
			return scheduled.size;
		}
	};
}

export interface SimulatedDevice {
	name: string;
	store: MemoryStore;
	engine: SyncEngine;
	transport: SimulatedTransport;
	timers: ReturnType<typeof manualTimers>;
	cursorWentBack: boolean;
}

/** Watches a store's cursor writes: SYNC.md 12 says it never moves back. */
function watchCursor(store: MemoryStore, onBackwards: () => void): LocalStore {
	const original = store.transaction.bind(store);
	store.transaction = (fn) =>
		original(async (tx) => {
			const setMeta = tx.setMeta.bind(tx);
			tx.setMeta = async (key, value) => {
				if (key === 'cursor') {
					const before = (await tx.getMeta('cursor')) ?? 0;
					if ((value as number) < before && value !== 0) onBackwards();
				}
				await setMeta(key, value);
			};
			return fn(tx);
		});
	return store;
}

/** Every engine started since the last `retireEngines`, so a test's background sync cannot outlive it. */
const live = new Set<SyncEngine>();

/** Registers an engine a test made itself (`createDevice` registers its own). */
export function trackEngine(engine: SyncEngine): SyncEngine {
	live.add(engine);
	return engine;
}

/**
 * Waits for every engine's sync run to end and stops its retries. Call it after each test: a push
 * still running when the next test truncates the tables deadlocks the TRUNCATE on PostgreSQL.
 */
export async function retireEngines(): Promise<void> {
	const engines = [...live];
	live.clear();
	for (const engine of engines) {
		await engine.idle();
		engine.stop();
	}
}

export function createDevice(
	name: string,
	server: () => Db,
	user: SessionUser,
	random: () => number,
	options: {
		onCommitted?: () => Promise<void>;
		pullLimit?: number;
		run?: ServerRun;
		/** false: a first sync pulls the change log's pages instead of asking for a snapshot. */
		snapshot?: boolean;
		snapshotLimit?: number;
	} = {}
): SimulatedDevice {
	const store = new MemoryStore();
	const timers = manualTimers();
	const transport = new SimulatedTransport(
		server,
		() => user,
		random,
		options.onCommitted,
		options.run
	);
	if (options.snapshot === false)
		Object.defineProperty(transport, 'snapshot', { value: undefined });
	const device: SimulatedDevice = {
		name,
		store,
		transport,
		timers,
		cursorWentBack: false,
		engine: undefined as unknown as SyncEngine
	};
	watchCursor(store, () => {
		device.cursorWentBack = true;
	});
	device.engine = trackEngine(
		new SyncEngine({
			store,
			transport,
			clientId: uuidv7(),
			userId: user.id,
			role: user.role,
			timers,
			random,
			...(options.pullLimit ? { pullLimit: options.pullLimit } : {}),
			...(options.snapshotLimit ? { snapshotLimit: options.snapshotLimit } : {})
		})
	);
	return device;
}

/** Syncs every device, fault-free, until no outbox has anything left; then one last pull each. */
export async function quiesce(devices: SimulatedDevice[]): Promise<void> {
	for (const device of devices) {
		device.transport.online = true;
		device.transport.faults = noFaults;
		device.engine.setOnline(true);
	}
	for (let round = 0; round < 10; round++) {
		for (const device of devices) {
			await device.engine.requestSync();
			await device.engine.idle();
		}
		const pending = await Promise.all(
			devices.map((d) => d.store.transaction((tx) => tx.outbox.count()))
		);
		if (pending.every((n) => n === 0)) break;
	}
	for (const device of devices) {
		await device.engine.requestSync();
		await device.engine.idle();
	}
}
