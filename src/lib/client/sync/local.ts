import { AppError } from '$lib/shared/errors';
import { mutators } from '$lib/shared/mutators';
import { can } from '$lib/shared/permissions';
import { entityNames, type EntityName, type EntityRows } from '$lib/shared/sync/entities';
import {
	MutationRejected,
	type Mutator,
	type MutationTx,
	type MutatorContext
} from '$lib/shared/sync/mutator';
import type { MutationResult, PullResponse } from '$lib/shared/sync/protocol';
import type { PendingRows, RowWrite } from './pending-rows';
import {
	shadowKey,
	type EngineTx,
	type LocalStore,
	type LocalTx,
	type OutboxEntry,
	type Rejection,
	type Shadow
} from './types';

// The pure core of the device side: optimistic apply, push results, pull pages, rebase.
// No Svelte, Dexie or network here: `LocalStore` is Dexie in the app and a Map in tests.

/**
 * Saves the server's copy of a row on its first touch, and returns the row as it is now. The two
 * reads go out together: each awaited request is a round trip to IndexedDB's backend, and an edit
 * is on screen only once its transaction commits.
 */
async function ensureShadow<E extends EntityName>(
	tx: LocalTx,
	entity: E,
	id: string
): Promise<EntityRows[E] | undefined> {
	const key = shadowKey(entity, id);
	const [shadow, row] = await Promise.all([tx.shadows.get(key), tx.entity(entity).get(id)]);
	if (!shadow) await tx.shadows.put({ key, entity, id, row: row ?? null });
	return row;
}

/**
 * Mutators write through this on a device: every first touch of a row saves the server's copy.
 * `written` is told each row as the mutator writes it, before the write itself.
 */
export function deviceMutationTx(
	tx: LocalTx,
	written: (write: RowWrite) => void = () => {}
): MutationTx {
	return {
		get: (entity, id) => tx.entity(entity).get(id),
		isDeleted: () => Promise.resolve(false),
		async insert(entity, row) {
			await ensureShadow(tx, entity, row.id);
			const stored = { ...row, version: 0, deletedAt: null } as EntityRows[typeof entity];
			written({ entity, id: row.id, row: stored });
			await tx.entity(entity).put(stored);
		},
		async update(entity, id, patch) {
			const row = await ensureShadow(tx, entity, id);
			if (!row) return;
			const stored = { ...row, ...patch };
			written({ entity, id, row: stored });
			await tx.entity(entity).put(stored);
		},
		async delete(entity, id) {
			await ensureShadow(tx, entity, id);
			written({ entity, id, row: null });
			await tx.entity(entity).delete(id);
		},
		lock: () => Promise.resolve(),
		findBy: (entity, field, value, options) => tx.entity(entity).where(field, value, options)
	};
}

export interface DeviceContext {
	clientId: string;
	userId: string;
	role: MutatorContext['actor']['role'];
	/** The device's estimate of the server's clock. */
	now(): Date;
}

function mutatorContext(device: DeviceContext): MutatorContext {
	return {
		now: device.now(),
		side: 'client',
		actor: { userId: device.userId, role: device.role },
		clientId: device.clientId
	};
}

/**
 * Applies a mutation optimistically and appends it to the outbox in the same transaction (SYNC.md 4).
 * A mutation the device can already see is invalid (validation, permission, a taken username) is
 * refused here, before it is queued, with the same error the server would give.
 */
export async function mutate<Args>(
	store: LocalStore,
	device: DeviceContext,
	mutator: Mutator<Args>,
	rawArgs: unknown
): Promise<{ mutationId: number }> {
	const parsed = mutator.args.safeParse(rawArgs);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new AppError('VALIDATION', {
			field: issue?.path.join('.') ?? '',
			message: issue?.message ?? ''
		});
	}
	if (!can(device.role, mutator.permission)) throw new AppError('FORBIDDEN');
	const args = parsed.data;
	const target = mutator.target(args);
	// Each row is held as the mutator writes it: the screens show it while the write and the
	// commit are under way, and lose it if the transaction fails (pending-rows.ts).
	const held: Array<ReturnType<PendingRows['hold']>> = [];
	const hold = (write: RowWrite) => {
		const handle = store.pendingRows?.hold([write]);
		if (handle) held.push(handle);
	};
	const written = store.transaction(async (tx) => {
		// Asked for beside the mutator's own requests, one round trip fewer before the commit. A
		// refusal aborts the transaction, which rejects this read too: not an error of its own.
		const nextId = tx.getMeta('nextMutationId');
		nextId.catch(() => {});
		await mutator.apply(deviceMutationTx(tx, hold), args, mutatorContext(device));
		const id = (await nextId) ?? 1;
		await Promise.all([
			tx.setMeta('nextMutationId', id + 1),
			tx.outbox.put({
				id,
				name: mutator.name,
				args,
				createdAt: new Date().toISOString(),
				status: 'pending',
				entity: target.entity,
				entityId: target.id
			})
		]);
		return { mutationId: id };
	});
	try {
		const result = await written;
		for (const handle of held) handle.committed();
		return result;
	} catch (error) {
		for (const handle of held) handle.aborted();
		throw error;
	}
}

/**
 * Visible state = server state + replay of pending mutations (SYNC.md 8): put every shadowed row
 * back to the server's copy, then apply the outbox again in order.
 */
export async function rebase(tx: LocalTx, device: DeviceContext): Promise<void> {
	for (const shadow of await tx.shadows.toArray()) {
		const table = tx.entity(shadow.entity);
		if (shadow.row) await table.put(shadow.row);
		else await table.delete(shadow.id);
	}
	await tx.shadows.clear();
	const ctx = mutatorContext(device);
	const mutationTx = deviceMutationTx(tx);
	for (const entry of await tx.outbox.toArray()) {
		const mutator = mutators[entry.name];
		if (!mutator) continue;
		try {
			await mutator.apply(mutationTx, entry.args, ctx);
		} catch (error) {
			// It no longer applies on top of the new server state (e.g. the record was deleted
			// elsewhere); the server will refuse it and the refusal will show. Nothing to replay.
			if (!(error instanceof MutationRejected)) throw error;
		}
	}
}

async function recordRejection(
	tx: LocalTx,
	entry: OutboxEntry,
	result: MutationResult
): Promise<void> {
	const earlier = (await tx.rejections.where('entityId', entry.entityId)).filter(
		(r) => r.mutationId < entry.id
	);
	const rejection: Rejection = {
		mutationId: entry.id,
		name: entry.name,
		args: entry.args,
		entity: entry.entity,
		entityId: entry.entityId,
		code: result.code ?? 'INTERNAL',
		params: result.params ?? {},
		at: new Date().toISOString(),
		dependsOn: earlier[0]?.mutationId ?? null
	};
	await tx.rejections.put(rejection);
	await tx.outbox.delete(entry.id);
}

/** Records a push answer: applied ones wait for a pull; rejected ones leave the outbox and show. */
export async function applyPushResults(
	store: LocalStore,
	device: DeviceContext,
	results: MutationResult[]
): Promise<{ rejected: number }> {
	// All applied (the usual answer): only outbox statuses change, so the synced rows stay out of
	// the transaction and the screen's live queries do not wait for it. A rejection rebases rows.
	if (results.every((result) => result.outcome === 'applied')) {
		await store.engine('write', async (tx) => {
			for (const result of results) {
				const entry = await tx.outbox.get(result.id);
				if (entry && entry.status !== 'applied')
					await tx.outbox.put({ ...entry, status: 'applied' });
			}
		});
		return { rejected: 0 };
	}
	return store.transaction(async (tx) => {
		let rejected = 0;
		for (const result of results) {
			const entry = await tx.outbox.get(result.id);
			if (!entry) continue;
			if (result.outcome === 'applied') {
				if (entry.status !== 'applied') await tx.outbox.put({ ...entry, status: 'applied' });
			} else {
				await recordRejection(tx, entry, result);
				rejected++;
			}
		}
		// The server state did not change for a rejection: rebasing drops its optimistic effect now.
		if (rejected > 0) await rebase(tx, device);
		return { rejected };
	});
}

type OkPull = Extract<PullResponse, { status: 'ok' }>;

/**
 * Stores one pull page atomically with its cursor (SYNC.md 12). Rows under pending mutations update
 * their shadow instead; the last page acknowledges the outbox and rebases.
 */
export async function storePullPage(
	store: LocalStore,
	device: DeviceContext,
	page: OkPull,
	deviceNowMs: number = Date.now()
): Promise<void> {
	if (await changesNothing(store, page)) {
		// No row, rejection or answered edit: the visible state stays as it is, so neither the
		// synced tables nor a rebase (which rewrites every row under a pending edit, and wakes the
		// screen's live queries for them) are touched; only the bookkeeping moves. This is the page
		// of every heartbeat, and of the poke an edit's own push sends back to its device.
		await store.engine('write', (tx) => advance(tx, page, deviceNowMs));
		return;
	}
	await store.transaction(async (tx) => {
		// Shadows exist only for rows under pending mutations (a handful): one read per page, not
		// one lookup per pulled row. Without any, every row goes straight to its table.
		const shadows = new Map((await tx.shadows.toArray()).map((shadow) => [shadow.key, shadow]));
		const shadowed: Shadow[] = [];
		for (const [entity, rows] of Object.entries(page.rows) as Array<
			[EntityName, Array<EntityRows[EntityName]>]
		>) {
			const table = tx.entity(entity);
			const puts: Array<EntityRows[EntityName]> = [];
			const deletes: string[] = [];
			for (const row of rows) {
				const shadow = shadows.size ? shadows.get(shadowKey(entity, row.id)) : undefined;
				if (shadow) shadowed.push({ ...shadow, row: row.deletedAt ? null : row });
				else if (row.deletedAt) deletes.push(row.id);
				else puts.push(row);
			}
			if (puts.length) await table.bulkPut(puts);
			if (deletes.length) await table.bulkDelete(deletes);
		}
		if (shadowed.length) await tx.shadows.bulkPut(shadowed);
		await advance(tx, page, deviceNowMs);
		if (page.more) return;

		for (const result of page.rejected) {
			const entry = await tx.outbox.get(result.id);
			if (entry) await recordRejection(tx, entry, result);
		}
		const acknowledged = (await tx.outbox.toArray()).filter(
			(entry) => entry.id <= page.lastMutationId
		);
		await tx.outbox.bulkDelete(acknowledged.map((entry) => entry.id));
		await rebase(tx, device);
	});
}

/**
 * Whether storing `page` would leave every synced row as it is: no rows, no rejection, and (on the
 * last page) no outbox entry it answers. Entries are numbered upwards, so none the page answers
 * can be queued between this read and the write that follows.
 */
async function changesNothing(store: LocalStore, page: OkPull): Promise<boolean> {
	if (page.rejected.length > 0) return false;
	if (Object.values(page.rows).some((rows) => rows && rows.length > 0)) return false;
	if (page.more) return true;
	const entries = await store.engine('read', (tx) => tx.outbox.toArray());
	return !entries.some((entry) => entry.id <= page.lastMutationId);
}

/** The page's bookkeeping: the cursor (never backwards), the clock offset, the last full sync. */
async function advance(tx: EngineTx, page: OkPull, deviceNowMs: number): Promise<void> {
	const cursor = (await tx.getMeta('cursor')) ?? 0;
	await tx.setMeta('cursor', Math.max(cursor, page.cursor));
	await tx.setMeta('serverOffsetMs', Date.parse(page.serverNow) - deviceNowMs);
	if (!page.more) await tx.setMeta('lastSyncedAt', new Date(deviceNowMs).toISOString());
}

/**
 * The server purged tombstones our cursor had not reached (`cursor-too-old`): a row deleted there
 * may still be here, and a pull from 0 would never mention it. So every synced row is forgotten and
 * the pull starts over from 0, like a first sync; the outbox, rejections and identity stay, and the
 * pending edits are replayed now (on nothing) and again on top of the pulled rows at the end.
 */
export async function resetForRebootstrap(store: LocalStore, device: DeviceContext): Promise<void> {
	await store.transaction((tx) => forgetRows(tx, device));
}

/** Every synced row forgotten, the cursor back to 0, pending edits replayed on nothing. */
export async function forgetRows(tx: LocalTx, device: DeviceContext): Promise<void> {
	for (const entity of entityNames) await tx.entity(entity).clear();
	await tx.shadows.clear();
	await tx.setMeta('cursor', 0);
	await rebase(tx, device);
}

/** The person confirmed the edits held after a long offline period: they may be pushed. */
export async function confirmLongOfflineHold(store: LocalStore): Promise<void> {
	await store.engine('write', async (tx) => {
		const hold = await tx.getMeta('longOfflineHold');
		if (hold && !hold.confirmed) await tx.setMeta('longOfflineHold', { ...hold, confirmed: true });
	});
}

/**
 * The server's last mutation id is below our outbox (its database was restored from a backup):
 * mutations it never saw are renumbered to continue from it, then sent again.
 */
export async function renumberAfterGap(
	store: LocalStore,
	serverLastMutationId: number
): Promise<void> {
	await store.engine('write', async (tx) => {
		const entries = (await tx.outbox.toArray()).filter((entry) => entry.id > serverLastMutationId);
		await tx.outbox.bulkDelete(entries.map((entry) => entry.id));
		let next = serverLastMutationId + 1;
		for (const entry of entries) await tx.outbox.put({ ...entry, id: next++, status: 'pending' });
		await tx.setMeta('nextMutationId', next);
	});
}

/** The oldest mutation without a push answer (see PullRequest.pendingFrom). */
export async function oldestUnanswered(store: LocalStore): Promise<number | null> {
	return store.engine('read', async (tx) => {
		const entry = (await tx.outbox.toArray()).find((e) => e.status === 'pending');
		return entry?.id ?? null;
	});
}

export async function pendingEntries(store: LocalStore, limit: number): Promise<OutboxEntry[]> {
	return store.engine('read', async (tx) =>
		(await tx.outbox.toArray()).filter((e) => e.status === 'pending').slice(0, limit)
	);
}
