import { getTableColumns, type Column } from 'drizzle-orm';
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
	notificationReads
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

/** A row as returned by `to_jsonb(t)` (snake_case keys, Postgres timestamp text) → the device row. */
export function fromJsonbRow(entity: EntityName, json: Record<string, unknown>): AnyRow {
	const out: Record<string, unknown> = {};
	for (const { key, sqlName, timestamp } of columnsOf(entity)) {
		const value = json[sqlName];
		out[key] =
			timestamp && typeof value === 'string' ? new Date(value).toISOString() : (value ?? null);
	}
	return out as unknown as AnyRow;
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
