import { and, eq } from 'drizzle-orm';
import { AppError, type ErrorCode, type ErrorParams } from '$lib/shared/errors';
import { mutators } from '$lib/shared/mutators';
import { can } from '$lib/shared/permissions';
import type { SessionUser } from '$lib/shared/schemas/user';
import type { EntityName } from '$lib/shared/sync/entities';
import type { MutatorContext } from '$lib/shared/sync/mutator';
import {
	SUPPORTED_CLIENT_SCHEMAS,
	type MutationEnvelope,
	type MutationResult,
	type PushRequest,
	type PushResponse
} from '$lib/shared/sync/protocol';
import { audit } from '../audit';
import { now } from '../clock';
import type { Db, Tx } from '../db/client';
import { hasNul, retryAborted } from '../db/errors';
import { mutationResults, syncClients } from '../db/schema';
import { log } from '../log';
import { rejectionFromDbError, validationParams } from './push-rejections';
import { serverMutationTx } from './store';

/**
 * Mutations the audit log records (issue 7: grants, renewals, revokes, deletes), with their action
 * name. `before` is the target record as it was; `after` is what was asked (the arguments).
 */
const AUDITED_MUTATIONS: Record<string, string> = {
	'access.grant': 'access.grant',
	'access.renew': 'access.renew',
	'access.revoke': 'access.revoke',
	'access.resolveConflict': 'access.resolve_conflict',
	'client.delete': 'client.delete'
};

type Outcome = { result: MutationResult; fresh: boolean } | 'gap';

/**
 * Mutations of one push applied in one transaction, each in its own savepoint (docs/decisions.md
 * §24g): a commit per mutation was most of a push's cost. Few enough that the version lock, which
 * every synced write of every device waits for, is not held long.
 */
export const MUTATIONS_PER_TRANSACTION = 25;

/**
 * A deadlock or serialization failure aborts the whole transaction (nothing of its mutations, nor
 * their results, committed), so running it again is safe and keeps exactly-once: the device never
 * sees an error for a conflict between two healthy transactions. A gap ends the group: what came
 * before it commits.
 */
async function applyGroup(
	db: Db,
	user: SessionUser,
	clientId: string,
	group: readonly MutationEnvelope[]
): Promise<Outcome[]> {
	return retryAborted(
		() =>
			db.transaction(async (tx) => {
				// The row lock serializes concurrent pushes from one device: a replay waits, then sees
				// itself applied.
				const [device] = await tx
					.select()
					.from(syncClients)
					.where(eq(syncClients.clientId, clientId))
					.for('update');
				if (!device) throw new Error('device row vanished');
				let last = device.lastMutationId;
				const outcomes: Outcome[] = [];
				const processed: Array<typeof mutationResults.$inferInsert> = [];
				for (const envelope of group) {
					if (envelope.id <= last) {
						outcomes.push({ result: await storedResult(tx, clientId, envelope.id), fresh: false });
						continue;
					}
					if (envelope.id !== last + 1) {
						outcomes.push('gap');
						break;
					}
					const at = now();
					const { result, target } = await applyOne(tx, user, clientId, envelope, at);
					outcomes.push({ result, fresh: result.outcome === 'applied' });
					processed.push({
						clientId,
						mutationId: envelope.id,
						name: envelope.name.slice(0, 100),
						outcome: result.outcome,
						code: result.outcome === 'rejected' ? result.code : null,
						params: result.outcome === 'rejected' ? result.params : null,
						entity: target?.entity ?? null,
						entityId: target?.id ?? null,
						processedAt: at
					});
					last = envelope.id;
				}
				const lastProcessed = processed.at(-1);
				if (lastProcessed) {
					await tx
						.update(syncClients)
						.set({ lastMutationId: last, lastSeenAt: lastProcessed.processedAt })
						.where(eq(syncClients.clientId, clientId));
					await tx.insert(mutationResults).values(processed);
				}
				return outcomes;
			}),
		(code, attempt) =>
			log.warn(
				{ clientId, mutations: group.map((m) => m.id), code, attempt },
				'mutations retried after a deadlock'
			)
	);
}

/** A mutation processed before answers as it did then. */
async function storedResult(tx: Tx, clientId: string, mutationId: number): Promise<MutationResult> {
	const [stored] = await tx
		.select()
		.from(mutationResults)
		.where(and(eq(mutationResults.clientId, clientId), eq(mutationResults.mutationId, mutationId)));
	if (!stored || stored.outcome === 'applied')
		// Results older than the retention period are pruned; the mutation was processed all the same.
		return { id: mutationId, outcome: 'applied' };
	return {
		id: mutationId,
		outcome: 'rejected',
		code: (stored.code ?? 'INTERNAL') as ErrorCode,
		params: (stored.params ?? {}) as ErrorParams
	};
}

/** One new mutation, in a savepoint of its group's transaction: applied, or refused with a code. */
async function applyOne(
	tx: Tx,
	user: SessionUser,
	clientId: string,
	envelope: MutationEnvelope,
	at: Date
): Promise<{ result: MutationResult; target: { entity: string; id: string } | null }> {
	const mutator = mutators[envelope.name];
	let rejection: { code: ErrorCode; params: ErrorParams } | null = null;
	let target: { entity: string; id: string } | null = null;
	if (!mutator) {
		rejection = { code: 'UNKNOWN_MUTATOR', params: { name: envelope.name } };
	} else if (!can(user.role, mutator.permission)) {
		rejection = { code: 'FORBIDDEN', params: {} };
	} else {
		const parsed = mutator.args.safeParse(envelope.args);
		if (hasNul(envelope.args)) {
			rejection = { code: 'VALIDATION', params: { field: '', message: 'validation.invalid' } };
		} else if (!parsed.success) {
			rejection = { code: 'VALIDATION', params: validationParams(parsed.error) };
		} else {
			target = mutator.target(parsed.data);
			const ctx: MutatorContext = {
				now: at,
				side: 'server',
				actor: { userId: user.id, role: user.role },
				clientId
			};
			try {
				const audited = AUDITED_MUTATIONS[envelope.name];
				const { entity, id } = target;
				// A savepoint around all of the mutation's work, its audit entry included: a refused
				// mutation leaves no trace but its recorded result, and a value PostgreSQL refuses in
				// any of its writes (a lone surrogate in the audit's JSON, say) cannot leave the
				// push's transaction aborted for the bookkeeping after it.
				await tx.transaction(async (savepoint) => {
					const mutationTx = serverMutationTx(savepoint, ctx);
					const before = audited
						? ((await mutationTx.get(entity as EntityName, id)) ?? null)
						: null;
					await mutator.apply(mutationTx, parsed.data, ctx);
					if (audited)
						await audit(savepoint, {
							actor: { id: user.id, label: user.email },
							action: audited,
							entity,
							entityId: id,
							before,
							after: parsed.data
						});
				});
			} catch (error) {
				if (error instanceof AppError) rejection = { code: error.code, params: error.params };
				else rejection = rejectionFromDbError(error);
				if (!rejection) throw error;
			}
		}
	}

	if (rejection)
		log.info(
			{ clientId, mutation: envelope.id, name: envelope.name, code: rejection.code },
			'mutation rejected'
		);
	const result: MutationResult = rejection
		? { id: envelope.id, outcome: 'rejected', code: rejection.code, params: rejection.params }
		: { id: envelope.id, outcome: 'applied' };
	return { result, target };
}

/** Registers the device for this user, or reports that the id belongs to someone else. */
export async function ensureDevice(
	db: Db,
	user: SessionUser,
	clientId: string,
	schemaVersion: number
): Promise<{ ok: true; lastMutationId: number } | { ok: false }> {
	const find = async () =>
		(await db.select().from(syncClients).where(eq(syncClients.clientId, clientId)))[0];
	// A read first: every pull page and snapshot piece comes here, and only a device's first
	// request has a row to write (on PGlite, a write transaction flushes its log to disk).
	let device = await find();
	if (!device) {
		const at = now();
		await db
			.insert(syncClients)
			.values({
				clientId,
				userId: user.id,
				lastMutationId: 0,
				schemaVersion,
				lastSeenAt: at,
				createdAt: at
			})
			.onConflictDoNothing();
		device = await find();
	}
	if (!device || device.userId !== user.id) return { ok: false };
	return { ok: true, lastMutationId: device.lastMutationId };
}

export function schemaSupported(version: number): boolean {
	return version >= SUPPORTED_CLIENT_SCHEMAS.min && version <= SUPPORTED_CLIENT_SCHEMAS.max;
}

/**
 * Applies a device's batch in order, each mutation in its own transaction together with the
 * device's last mutation id and its result, so any replay answers the same and applies nothing twice.
 */
export async function push(
	db: Db,
	user: SessionUser,
	request: PushRequest,
	onApplied: () => void = () => {}
): Promise<PushResponse> {
	if (!schemaSupported(request.schemaVersion))
		return { status: 'unsupported-schema', ...SUPPORTED_CLIENT_SCHEMAS };
	const device = await ensureDevice(db, user, request.clientId, request.schemaVersion);
	if (!device.ok) return { status: 'reset', reason: 'device-user-mismatch' };

	const ids = request.mutations.map((m) => m.id);
	const contiguous = ids.every((id, i) => i === 0 || id === (ids[i - 1] ?? 0) + 1);
	if (!contiguous || (ids[0] ?? 0) > device.lastMutationId + 1) {
		return { status: 'gap', lastMutationId: device.lastMutationId };
	}

	const results: MutationResult[] = [];
	let anyApplied = false;
	try {
		for (let start = 0; start < request.mutations.length; start += MUTATIONS_PER_TRANSACTION) {
			const group = request.mutations.slice(start, start + MUTATIONS_PER_TRANSACTION);
			const outcomes = await applyGroup(db, user, request.clientId, group);
			for (const outcome of outcomes) {
				if (outcome === 'gap') {
					const again = await ensureDevice(db, user, request.clientId, request.schemaVersion);
					return { status: 'gap', lastMutationId: again.ok ? again.lastMutationId : 0 };
				}
				results.push(outcome.result);
				anyApplied ||= outcome.fresh;
			}
		}
	} finally {
		if (anyApplied) onApplied();
	}
	return { status: 'ok', lastMutationId: ids[ids.length - 1] ?? device.lastMutationId, results };
}
