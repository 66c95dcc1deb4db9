import { and, eq } from 'drizzle-orm';
import type { ZodError } from 'zod';
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
import type { Db } from '../db/client';
import {
	PG_CHECK_VIOLATION,
	PG_FOREIGN_KEY_VIOLATION,
	PG_NOT_NULL_VIOLATION,
	PG_RESTRICT_VIOLATION,
	PG_UNIQUE_VIOLATION,
	hasNul,
	isBadInputError,
	pgErrorInfo,
	retryAborted
} from '../db/errors';
import { mutationResults, syncClients } from '../db/schema';
import { log } from '../log';
import { serverMutationTx } from './store';

/** Unique indexes whose violation is a person's mistake, not a bug: answered as a visible rejection. */
const uniqueConstraintCodes: Record<string, ErrorCode> = {
	clients_tv_username_lower_uq: 'USERNAME_TAKEN',
	clients_email_lower_uq: 'CLIENT_EMAIL_TAKEN',
	indicators_pub_id_uq: 'PUB_ID_TAKEN',
	indicator_versions_release_uq: 'VERSION_EXISTS',
	// The pair lock in access.grant makes this unreachable; kept so a miss is a rejection, not a 500.
	accesses_open_pair_uq: 'ALREADY_EXISTS',
	clients_pkey: 'ALREADY_EXISTS',
	indicators_pkey: 'ALREADY_EXISTS'
};

function rejectionFromDbError(error: unknown): { code: ErrorCode; params: ErrorParams } | null {
	const info = pgErrorInfo(error);
	if (!info) return null;
	if (isBadInputError(error)) return { code: 'VALIDATION', params: { sqlstate: info.code } };
	switch (info.code) {
		case PG_UNIQUE_VIOLATION:
			return {
				code: (info.constraint && uniqueConstraintCodes[info.constraint]) || 'ALREADY_EXISTS',
				params: {}
			};
		case PG_FOREIGN_KEY_VIOLATION:
		case PG_RESTRICT_VIOLATION:
			return { code: 'NOT_FOUND', params: {} };
		case PG_CHECK_VIOLATION:
		case PG_NOT_NULL_VIOLATION:
			return { code: 'VALIDATION', params: { constraint: info.constraint ?? '' } };
		default:
			return null;
	}
}

function validationParams(error: ZodError): ErrorParams {
	const issue = error.issues[0];
	return { field: issue?.path.join('.') ?? '', message: issue?.message ?? 'validation.invalid' };
}

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
 * A deadlock or serialization failure aborts the whole transaction (nothing of the mutation, nor
 * its result, committed), so running it again is safe and keeps exactly-once: the device never
 * sees an error for a conflict between two healthy transactions.
 */
async function applyOne(
	db: Db,
	user: SessionUser,
	clientId: string,
	envelope: MutationEnvelope
): Promise<Outcome> {
	return retryAborted(
		() => applyOnce(db, user, clientId, envelope),
		(code, attempt) =>
			log.warn(
				{ clientId, mutation: envelope.id, code, attempt },
				'mutation retried after a deadlock'
			)
	);
}

async function applyOnce(
	db: Db,
	user: SessionUser,
	clientId: string,
	envelope: MutationEnvelope
): Promise<Outcome> {
	return db.transaction(async (tx) => {
		// The row lock serializes concurrent pushes from one device: a replay waits, then sees itself applied.
		const [device] = await tx
			.select()
			.from(syncClients)
			.where(eq(syncClients.clientId, clientId))
			.for('update');
		if (!device) throw new Error('device row vanished');
		if (envelope.id <= device.lastMutationId) {
			const [stored] = await tx
				.select()
				.from(mutationResults)
				.where(
					and(eq(mutationResults.clientId, clientId), eq(mutationResults.mutationId, envelope.id))
				);
			const result: MutationResult = stored
				? stored.outcome === 'applied'
					? { id: envelope.id, outcome: 'applied' }
					: {
							id: envelope.id,
							outcome: 'rejected',
							code: (stored.code ?? 'INTERNAL') as ErrorCode,
							params: (stored.params ?? {}) as ErrorParams
						}
				: // Results older than the retention period are pruned; the mutation was processed all the same.
					{ id: envelope.id, outcome: 'applied' };
			return { result, fresh: false };
		}
		if (envelope.id !== device.lastMutationId + 1) return 'gap';

		const at = now();
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

		await tx
			.update(syncClients)
			.set({ lastMutationId: envelope.id, lastSeenAt: at })
			.where(eq(syncClients.clientId, clientId));
		await tx.insert(mutationResults).values({
			clientId,
			mutationId: envelope.id,
			name: envelope.name.slice(0, 100),
			outcome: rejection ? 'rejected' : 'applied',
			code: rejection?.code ?? null,
			params: rejection?.params ?? null,
			entity: target?.entity ?? null,
			entityId: target?.id ?? null,
			processedAt: at
		});
		if (rejection)
			log.info(
				{ clientId, mutation: envelope.id, name: envelope.name, code: rejection.code },
				'mutation rejected'
			);
		const result: MutationResult = rejection
			? { id: envelope.id, outcome: 'rejected', code: rejection.code, params: rejection.params }
			: { id: envelope.id, outcome: 'applied' };
		return { result, fresh: !rejection };
	});
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
		for (const envelope of request.mutations) {
			const outcome = await applyOne(db, user, request.clientId, envelope);
			if (outcome === 'gap') {
				const again = await ensureDevice(db, user, request.clientId, request.schemaVersion);
				return { status: 'gap', lastMutationId: again.ok ? again.lastMutationId : 0 };
			}
			results.push(outcome.result);
			anyApplied ||= outcome.fresh;
		}
	} finally {
		if (anyApplied) onApplied();
	}
	return { status: 'ok', lastMutationId: ids[ids.length - 1] ?? device.lastMutationId, results };
}
