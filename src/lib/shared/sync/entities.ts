import type { ClientRow } from '../schemas/client';
import type { IndicatorRow } from '../schemas/indicator';
import type { AccessEventRow } from '../schemas/access-event';
import type { AccessRow } from '../schemas/access';
import type { IndicatorVersionRow } from '../schemas/indicator-version';
import type { NotificationReadRow, NotificationRow } from '../schemas/notification';
import type { RecordEditRow } from '../schemas/record-edit';
import type { TransactionRow } from '../schemas/transaction';

/** Every synced entity, by the name devices store it under (the server maps each to its table). */
export interface EntityRows {
	clients: ClientRow;
	indicators: IndicatorRow;
	indicatorVersions: IndicatorVersionRow;
	accesses: AccessRow;
	accessEvents: AccessEventRow;
	transactions: TransactionRow;
	notifications: NotificationRow;
	notificationReads: NotificationReadRow;
	/** Written by the server only (no mutator writes it); devices receive it by pull. */
	recordEdits: RecordEditRow;
}

export type EntityName = keyof EntityRows;
export type AnyRow = EntityRows[EntityName];

export const entityNames = [
	'clients',
	'indicators',
	'indicatorVersions',
	'accesses',
	'accessEvents',
	'transactions',
	'notifications',
	'notificationReads',
	'recordEdits'
] as const satisfies readonly EntityName[];

/**
 * The device schema version (`CLIENT_SCHEMA_VERSION`) that first stores each entity added after
 * version 1. A device on an older schema has no table for it, so pull leaves it out.
 */
const entitySince: Partial<Record<EntityName, number>> = { recordEdits: 2 };

/** The entities a device on `schemaVersion` stores (what pull sends it). */
export function entitiesForSchema(schemaVersion: number): readonly EntityName[] {
	return entityNames.filter((entity) => (entitySince[entity] ?? 1) <= schemaVersion);
}

/** A row as a mutator writes it: the server assigns `version`, deletion goes through `delete`. */
export type NewRow<E extends EntityName> = Omit<EntityRows[E], 'version' | 'deletedAt'>;
export type RowPatch<E extends EntityName> = Partial<Omit<EntityRows[E], 'id' | 'version'>>;

/** Server-only bookkeeping fields a field-level merge never compares. */
export const mergeExemptFields = new Set(['id', 'version', 'deletedAt', 'updatedAt', 'createdAt']);
