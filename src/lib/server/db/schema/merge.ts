import { bigint, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tz } from './columns';

/**
 * Server-only: who last wrote each field of each synced record, at which row version. It lets the
 * server see that an edit was made without knowledge of a newer write to the same field (its
 * `base` version is older), so the author of the overwritten value can be told (DESIGN.md §4.8).
 * Not synced; a missing row just means "no concurrent edit known".
 */
export const fieldWrites = pgTable(
	'field_writes',
	{
		entity: text('entity').notNull(),
		entityId: uuid('entity_id').notNull(),
		field: text('field').notNull(),
		/** The row version that write produced. */
		version: bigint('version', { mode: 'number' }).notNull(),
		clientId: uuid('client_id').notNull(),
		userId: uuid('user_id').notNull(),
		value: jsonb('value'),
		at: tz('at').notNull()
	},
	(t) => [primaryKey({ name: 'field_writes_pk', columns: [t.entity, t.entityId, t.field] })]
);
