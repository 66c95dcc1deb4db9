import { entityNames, type EntityName } from '$lib/shared/sync/entities';
import type { SnapshotPiece, WireTable } from '$lib/shared/sync/protocol';
import { forgetRows, type DeviceContext } from './local';
import type { Transport } from './transport';
import type { LocalStore, SnapshotProgress } from './types';

// A first sync from a snapshot (docs/decisions.md §24), the pure part: which way a sync from
// cursor 0 goes, each piece stored with where the walk stands, and the end that makes it the
// device's rows. The engine drives it; `LocalStore` decides how the rows are kept.

type OkSnapshot = Extract<SnapshotPiece, { status: 'ok' }>;

/**
 * How a sync goes (docs/decisions.md §24): on with a snapshot under way, with a new snapshot for a
 * device that has never synced, or page by page from the change log — always so for a device that
 * holds pending edits, whose pages' rebase keeps them over the rows as they arrive.
 */
export async function snapshotPlan(
	store: LocalStore
): Promise<{ kind: 'resume'; progress: SnapshotProgress } | { kind: 'start' } | { kind: 'pull' }> {
	return store.engine('read', async (tx) => {
		const progress = await tx.getMeta('snapshot');
		if (progress) return { kind: 'resume', progress } as const;
		// Only a device that never finished a sync: one whose server had nothing yet (cursor 0
		// after its first sync) pulls from then on, rather than asking for a snapshot each time.
		if (((await tx.getMeta('cursor')) ?? 0) > 0 || (await tx.getMeta('lastSyncedAt')))
			return { kind: 'pull' } as const;
		if ((await tx.outbox.count()) > 0 || (await tx.shadows.count()) > 0)
			return { kind: 'pull' } as const;
		return { kind: 'start' } as const;
	});
}

/** Stores one snapshot piece and where the walk stands, together (`progress`: null for the first). */
export async function storeSnapshotPiece(
	store: LocalStore,
	piece: OkSnapshot,
	progress: SnapshotProgress | null,
	gen: string
): Promise<SnapshotProgress> {
	return store.transaction(async (tx) => {
		const current = progress ?? {
			version: piece.version,
			next: null,
			gen,
			staged: {},
			received: 0,
			total: piece.total ?? 0
		};
		const staged = { ...current.staged };
		let received = current.received;
		for (const [entity, table] of Object.entries(piece.tables) as Array<[EntityName, WireTable]>) {
			staged[entity] = await tx.snapshot.stage(
				entity,
				current.gen,
				table,
				staged[entity] ?? { pieces: 0, batches: 0 }
			);
			received += table.values.length;
		}
		// A table the walk has left is whole: its base is published now, while the server reads
		// the next tables, instead of all at the end (where it took the last 8 s of the bench's
		// 35 s). The last table waits for `finishSnapshot`, which also sets the cursor.
		if (piece.next) {
			const walking = entityNames.indexOf(piece.next.entity);
			const done = (Object.keys(staged) as EntityName[]).filter(
				(entity) => entityNames.indexOf(entity) < walking
			);
			if (done.length > 0) {
				await tx.snapshot.publish(
					current.gen,
					Object.fromEntries(done.map((entity) => [entity, staged[entity]]))
				);
				for (const entity of done) delete staged[entity];
			}
		}
		const next: SnapshotProgress = {
			...current,
			next: piece.next,
			staged,
			received,
			total: Math.max(current.total, received)
		};
		await tx.setMeta('snapshot', next);
		return next;
	});
}

/** The last piece is stored: the snapshot becomes the device's rows, and pulls go on from it. */
export async function finishSnapshot(
	store: LocalStore,
	progress: SnapshotProgress,
	serverNow: string,
	deviceNowMs: number
): Promise<void> {
	await store.transaction(async (tx) => {
		await tx.snapshot.publish(progress.gen, progress.staged);
		const cursor = (await tx.getMeta('cursor')) ?? 0;
		await tx.setMeta('cursor', Math.max(cursor, progress.version));
		await tx.setMeta('serverOffsetMs', Date.parse(serverNow) - deviceNowMs);
		await tx.deleteMeta('snapshot');
	});
}

/**
 * The server can no longer go on from the snapshot's version (it purged tombstones past it):
 * what was stored of it is forgotten, as for `resetForRebootstrap`, and a new one starts.
 */
export async function abandonSnapshot(
	store: LocalStore,
	device: DeviceContext,
	progress: SnapshotProgress
): Promise<void> {
	await store.transaction(async (tx) => {
		await tx.snapshot.drop(progress.gen);
		await tx.deleteMeta('snapshot');
		await forgetRows(tx, device);
	});
}

export interface SnapshotRun {
	store: LocalStore;
	transport: Transport;
	device: DeviceContext;
	schemaVersion: number;
	limit?: number;
	now(): number;
	/** A fresh name for a new snapshot's pieces. */
	newGen(): string;
	onProgress(progress: { received: number; total: number }): void;
}

/**
 * Fetches and stores a snapshot, the next piece asked for while one is stored (as pull pages
 * are), going on from where a reload left one. `skipped`: this sync is not one for a snapshot
 * (or the server has none to give); the pull goes on from the device's cursor as before.
 */
export async function runSnapshot(
	run: SnapshotRun
): Promise<'done' | 'skipped' | 'update-required' | 'reset'> {
	if (!run.transport.snapshot) return 'skipped';
	const plan = await snapshotPlan(run.store);
	if (plan.kind === 'pull') return 'skipped';
	let progress = plan.kind === 'resume' ? plan.progress : null;
	const snapshot = run.transport.snapshot.bind(run.transport);
	const ask = (version: number | null, from: SnapshotProgress['next']) =>
		snapshot({
			clientId: run.device.clientId,
			schemaVersion: run.schemaVersion,
			version,
			from,
			...(run.limit ? { limit: run.limit } : {}),
			...(run.store.snapshotSlice ? { slice: run.store.snapshotSlice } : {})
		});
	if (progress && progress.next === null) {
		await finishSnapshot(run.store, progress, new Date(run.now()).toISOString(), run.now());
		return 'done';
	}
	let next = ask(progress?.version ?? null, progress?.next ?? null);
	for (;;) {
		const piece = await next;
		if (piece.status === 'unsupported-schema') return 'update-required';
		if (piece.status === 'reset') {
			if (piece.reason !== 'cursor-too-old') return 'reset';
			// A new snapshot is at the newest version, which a purge never passes: refused again,
			// the server is wrong, and the engine's backoff is the place to wait, not a loop here.
			if (!progress) throw new Error('sync.snapshot refused a new snapshot');
			await abandonSnapshot(run.store, run.device, progress);
			progress = null;
			next = ask(null, null);
			continue;
		}
		let prefetched: ReturnType<typeof ask> | null = null;
		if (piece.next) {
			prefetched = ask(piece.version, piece.next);
			// Awaited below; if storing this piece fails first, its outcome no longer matters.
			prefetched.catch(() => {});
		}
		// The request goes out before the store: the tRPC link sends on a later task, and storing
		// a piece that ends a large table holds the main thread for a second or more.
		if (prefetched) await new Promise((resolve) => setTimeout(resolve, 0));
		progress = await storeSnapshotPiece(run.store, piece, progress, run.newGen());
		run.onProgress({ received: progress.received, total: progress.total });
		if (!prefetched) {
			await finishSnapshot(run.store, progress, piece.serverNow, run.now());
			return 'done';
		}
		next = prefetched;
	}
}
