import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { AnyRow, EntityName } from '$lib/shared/sync/entities';
import {
	accessEvents,
	accesses,
	clients,
	indicatorVersions,
	indicators,
	notificationReads,
	notifications,
	recordEdits,
	transactions
} from '../db/schema';

/** Device entity name → server table. */
export const entityTables = {
	clients,
	indicators,
	indicatorVersions,
	accesses,
	accessEvents,
	transactions,
	notifications,
	notificationReads,
	recordEdits
} as const satisfies Record<EntityName, PgTable>;

interface ColumnInfo {
	key: string;
	sqlName: string;
	timestamp: boolean;
	column: Column;
}

const columnCache = new Map<EntityName, ColumnInfo[]>();

export function columnsOf(entity: EntityName): ColumnInfo[] {
	let cached = columnCache.get(entity);
	if (!cached) {
		const columns: Record<string, Column> = getTableColumns(entityTables[entity] as PgTable);
		cached = Object.entries(columns).map(([key, column]) => ({
			key,
			sqlName: column.name,
			timestamp: column.columnType === 'PgTimestamp',
			column
		}));
		columnCache.set(entity, cached);
	}
	return cached;
}

/** A drizzle row (Dates) → the row devices store (ISO strings). */
export function toWireRow(entity: EntityName, dbRow: Record<string, unknown>): AnyRow {
	const out: Record<string, unknown> = {};
	for (const { key, timestamp } of columnsOf(entity)) {
		const value = dbRow[key];
		out[key] = timestamp && value instanceof Date ? value.toISOString() : (value ?? null);
	}
	return out as unknown as AnyRow;
}

const wireJsonCache = new Map<EntityName, { keys: string; row: SQL }>();

/**
 * How the database writes an entity's rows for a pull page (see `PullWireResponse`): `keys`, the
 * JSON array of the device's field names, and `row`, the SQL expression (over the table aliased
 * `t`) for one row as a JSON array of values in that order — timestamps as ISO 8601 UTC with
 * milliseconds (the text `toWireRow` gives: `Date#toISOString` also drops the microseconds),
 * bigints as numbers.
 */
export function wireColumnsOf(entity: EntityName): { keys: string; row: SQL } {
	let cached = wireJsonCache.get(entity);
	if (!cached) {
		const columns = columnsOf(entity);
		// json_build_array takes at most 100 arguments.
		if (columns.length > 100) throw new Error(`${entity} has more than 100 columns`);
		const values = columns.map(({ sqlName, timestamp }) => {
			const column = sql`t.${sql.identifier(sqlName)}`;
			return timestamp
				? sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
				: column;
		});
		cached = {
			keys: JSON.stringify(columns.map(({ key }) => key)),
			row: sql`json_build_array(${sql.join(values, sql`, `)})`
		};
		wireJsonCache.set(entity, cached);
	}
	return cached;
}

/** Device values (ISO strings) → drizzle values (Dates) for the given keys. */
export function toDbValues(
	entity: EntityName,
	values: Record<string, unknown>
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const byKey = new Map(columnsOf(entity).map((info) => [info.key, info]));
	for (const [key, value] of Object.entries(values)) {
		const info = byKey.get(key);
		if (!info) throw new Error(`unknown column ${entity}.${key}`);
		out[key] = info.timestamp && typeof value === 'string' ? new Date(value) : value;
	}
	return out;
}
