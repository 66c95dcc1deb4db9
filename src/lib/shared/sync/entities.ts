import type { ClientRow } from '../schemas/client';
import type { IndicatorRow } from '../schemas/indicator';
import type { AccessEventRow } from '../schemas/access-event';
import type { AccessRow } from '../schemas/access';
import type { IndicatorVersionRow } from '../schemas/indicator-version';
import type { NotificationReadRow, NotificationRow } from '../schemas/notification';
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
	'notificationReads'
] as const satisfies readonly EntityName[];

/** A row as a mutator writes it: the server assigns `version`, deletion goes through `delete`. */
export type NewRow<E extends EntityName> = Omit<EntityRows[E], 'version' | 'deletedAt'>;
export type RowPatch<E extends EntityName> = Partial<Omit<EntityRows[E], 'id' | 'version'>>;

/** Server-only bookkeeping fields a field-level merge never compares. */
export const mergeExemptFields = new Set(['id', 'version', 'deletedAt', 'updatedAt', 'createdAt']);
