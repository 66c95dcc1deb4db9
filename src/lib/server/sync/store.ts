import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { mergeExemptFields, type EntityName, type EntityRows } from '$lib/shared/sync/entities';
import type { MutationTx, MutatorContext } from '$lib/shared/sync/mutator';
import type { Tx } from '../db/client';
import { fieldWrites, notifications, recordEdits, VERSION_WRITE_LOCK } from '../db/schema';
import { enqueueGrantSync } from '../tradingview/sync/queue';
import { columnsOf, entityTables, toDbValues, toWireRow } from './tables';

function column(entity: EntityName, key: string): PgColumn {
	const info = columnsOf(entity).find((c) => c.key === key);
	if (!info) throw new Error(`unknown column ${entity}.${key}`);
	return info.column as PgColumn;
}

function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The entities whose edits are logged in `record_edits`, and the fields the log leaves out. */
const editLogged = new Set<EntityName>(['clients', 'indicators']);
const unloggedFields = new Set([
	...mergeExemptFields,
	// Derived by the server (verification states, the release date), not edited by a person.
	'tvUsernameState',
	'pubIdState',
	'lastUpdatedAt'
]);

/** The authoritative MutationTx: a Postgres transaction, the server's clock, conflict bookkeeping. */
export function serverMutationTx(tx: Tx, ctx: MutatorContext): MutationTx {
	const table = (entity: EntityName) => entityTables[entity];
	const idOf = (entity: EntityName) => column(entity, 'id');
	const deletedOf = (entity: EntityName) => column(entity, 'deletedAt');

	async function recordWrites(
		entity: EntityName,
		id: string,
		values: Record<string, unknown>,
		version: number
	) {
		const at = ctx.now;
		for (const [field, value] of Object.entries(values)) {
			if (mergeExemptFields.has(field)) continue;
			const row = {
				entity,
				entityId: id,
				field,
				version,
				clientId: ctx.clientId,
				userId: ctx.actor.userId,
				value: value ?? null,
				at
			};
			await tx
				.insert(fieldWrites)
				.values(row)
				.onConflictDoUpdate({
					target: [fieldWrites.entity, fieldWrites.entityId, fieldWrites.field],
					set: { version, clientId: ctx.clientId, userId: ctx.actor.userId, value: row.value, at }
				});
		}
	}

	/**
	 * Last writer by server order wins each field; when the winner had not seen the value it replaces
	 * (its base is older than that write), the overwritten author gets a notice on the record.
	 */
	async function tellOverwrittenAuthors(
		entity: EntityName,
		id: string,
		patch: Record<string, unknown>,
		base: number
	) {
		const fields = Object.keys(patch).filter((field) => !mergeExemptFields.has(field));
		if (fields.length === 0) return;
		const earlier = await tx
			.select()
			.from(fieldWrites)
			.where(
				and(
					eq(fieldWrites.entity, entity),
					eq(fieldWrites.entityId, id),
					inArray(fieldWrites.field, fields)
				)
			);
		for (const write of earlier) {
			if (write.version <= base || write.clientId === ctx.clientId) continue;
			if (sameValue(write.value, patch[write.field])) continue;
			await tx.insert(notifications).values({
				id: uuidv7(),
				kind: 'edit_overwritten',
				entity,
				entityId: id,
				data: {
					field: write.field,
					lostValue: write.value,
					wonValue: patch[write.field] ?? null,
					byUserId: ctx.actor.userId,
					lostClientId: write.clientId
				},
				at: ctx.now,
				userId: write.userId
			});
		}
	}

	/**
	 * The edit log: the current values of the patched fields, read under the version lock (which
	 * every synced write takes until it commits, so no other write is in flight), then, after the
	 * update, one `record_edits` row with the fields whose value changed, if any.
	 */
	async function valuesBefore(entity: EntityName, id: string, patch: Record<string, unknown>) {
		const fields = Object.keys(patch).filter((field) => !unloggedFields.has(field));
		if (!editLogged.has(entity) || fields.length === 0) return null;
		await tx.execute(sql`select pg_advisory_xact_lock(${VERSION_WRITE_LOCK})`);
		const [row] = await tx
			.select(Object.fromEntries(fields.map((field) => [field, column(entity, field)])))
			.from(table(entity))
			.where(eq(idOf(entity), id))
			.limit(1);
		return row ? { fields, row: row as Record<string, unknown> } : null;
	}

	async function logEdit(
		entity: EntityName,
		id: string,
		patch: Record<string, unknown>,
		before: { fields: string[]; row: Record<string, unknown> }
	) {
		const wire = (field: string, value: unknown) =>
			value != null && columnsOf(entity).find((c) => c.key === field)?.timestamp
				? new Date(value as string | Date).toISOString()
				: (value ?? null);
		const changes: Record<string, { before: unknown; after: unknown }> = {};
		for (const field of before.fields) {
			const change = { before: wire(field, before.row[field]), after: wire(field, patch[field]) };
			if (!sameValue(change.before, change.after)) changes[field] = change;
		}
		if (Object.keys(changes).length === 0) return;
		await tx.insert(recordEdits).values({
			id: uuidv7(),
			entity: entity as 'clients' | 'indicators',
			entityId: id,
			actor: ctx.actor.userId,
			at: ctx.now,
			changes
		});
	}

	return {
		async get<E extends EntityName>(entity: E, id: string) {
			const rows = await tx
				.select()
				.from(table(entity))
				.where(and(eq(idOf(entity), id), isNull(deletedOf(entity))))
				.limit(1);
			const row = rows[0];
			return row ? (toWireRow(entity, row) as EntityRows[E]) : undefined;
		},

		async isDeleted(entity, id) {
			const rows = await tx
				.select({ id: idOf(entity) })
				.from(table(entity))
				.where(and(eq(idOf(entity), id), isNotNull(deletedOf(entity))))
				.limit(1);
			return rows.length > 0;
		},

		async insert(entity, row) {
			const values = toDbValues(entity, row);
			const [inserted] = await tx
				.insert(table(entity))
				.values(values as never)
				.returning({ version: column(entity, 'version') });
			await recordWrites(entity, row.id, row, Number(inserted?.version ?? 0));
			// A grant reaches TradingView through a job committed with it (docs/tradingview-sync.md).
			if (entity === 'accesses') await enqueueGrantSync(tx, row.id);
		},

		async update(entity, id, patch, options) {
			const values = patch as Record<string, unknown>;
			if (options?.base != null) await tellOverwrittenAuthors(entity, id, values, options.base);
			const before = await valuesBefore(entity, id, values);
			const [updated] = await tx
				.update(table(entity))
				.set(toDbValues(entity, values) as never)
				.where(eq(idOf(entity), id))
				.returning({ version: column(entity, 'version') });
			if (!updated) throw new Error(`update of missing ${entity} ${id}`);
			await recordWrites(entity, id, values, Number(updated.version));
			if (before) await logEdit(entity, id, values, before);
			if (entity === 'accesses' && ('endsAt' in values || 'revokedAt' in values))
				await enqueueGrantSync(tx, id);
		},

		async delete(entity, id) {
			await tx
				.update(table(entity))
				.set({ deletedAt: ctx.now })
				.where(and(eq(idOf(entity), id), isNull(deletedOf(entity))));
		},

		async lock(key) {
			await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
		},

		async findBy<E extends EntityName, K extends keyof EntityRows[E] & string>(
			entity: E,
			field: K,
			value: EntityRows[E][K],
			options?: { ci?: boolean; limit?: number }
		) {
			const col = column(entity, field);
			const match =
				options?.ci && typeof value === 'string'
					? sql`lower(${col}) = lower(${value})`
					: eq(col, value);
			const query = tx
				.select()
				.from(table(entity))
				.where(and(match, isNull(deletedOf(entity))));
			const rows = options?.limit ? await query.limit(options.limit) : await query;
			return rows.map((row) => toWireRow(entity, row) as EntityRows[E]);
		}
	};
}
