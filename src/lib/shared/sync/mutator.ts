import type { z } from 'zod';
import { AppError, type ErrorCode, type ErrorParams } from '../errors';
import type { Permission, Role } from '../permissions';
import type { EntityName, EntityRows, NewRow, RowPatch } from './entities';

/**
 * What a mutator may do to storage. Implemented over Dexie on a device (optimistic) and over a
 * Postgres transaction on the server (authoritative); the mutator code is the same on both sides.
 */
export interface MutationTx {
	/** The live (not tombstoned) row, or undefined. */
	get<E extends EntityName>(entity: E, id: string): Promise<EntityRows[E] | undefined>;
	/** Whether a row with this id ever existed and is now tombstoned (server); devices may not know. */
	isDeleted(entity: EntityName, id: string): Promise<boolean>;
	insert<E extends EntityName>(entity: E, row: NewRow<E>): Promise<void>;
	/**
	 * A field patch — never a whole-record put. `base` is the row version the author saw; the server
	 * uses it to tell the author of an overwritten concurrent edit (DESIGN.md §4.8).
	 */
	update<E extends EntityName>(
		entity: E,
		id: string,
		patch: RowPatch<E>,
		options?: { base?: number | null }
	): Promise<void>;
	/** Tombstone. */
	delete(entity: EntityName, id: string): Promise<void>;
	/**
	 * Serializes this transaction with any other that takes the same key, until it ends (server:
	 * a transaction-scoped advisory lock; a device runs one mutation at a time anyway). Take it
	 * before reading what a decision depends on, e.g. the open grant of a (client, indicator) pair.
	 */
	lock(key: string): Promise<void>;
	/** Live rows whose `field` equals `value` (case-insensitively for strings when `ci`). */
	findBy<E extends EntityName, K extends keyof EntityRows[E] & string>(
		entity: E,
		field: K,
		value: EntityRows[E][K],
		options?: { ci?: boolean; limit?: number }
	): Promise<Array<EntityRows[E]>>;
}

export interface MutatorContext {
	/** The server's clock on the server; the device's estimate of it on a device. */
	now: Date;
	side: 'client' | 'server';
	actor: { userId: string; role: Role };
	clientId: string;
}

export interface Mutator<Args = unknown> {
	/** Append-only: changing the arguments means a new name. */
	name: string;
	args: z.ZodType<Args, unknown>;
	permission: Permission;
	/** The record a mutation concerns: rejections and pending badges are linked to it. */
	target(args: Args): { entity: EntityName; id: string };
	apply(tx: MutationTx, args: Args, ctx: MutatorContext): Promise<void>;
}

export function defineMutator<Schema extends z.ZodType>(definition: {
	name: string;
	args: Schema;
	permission: Permission;
	target(args: z.output<Schema>): { entity: EntityName; id: string };
	apply(tx: MutationTx, args: z.output<Schema>, ctx: MutatorContext): Promise<void>;
}): Mutator<z.output<Schema>> {
	return definition as unknown as Mutator<z.output<Schema>>;
}

/** A refusal is a result, not a crash: it carries an error code the UI translates. */
export class MutationRejected extends AppError {
	constructor(code: ErrorCode, params: ErrorParams = {}) {
		super(code, params);
	}
}

export function reject(code: ErrorCode, params: ErrorParams = {}): never {
	throw new MutationRejected(code, params);
}
