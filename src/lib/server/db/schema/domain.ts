import { sql } from 'drizzle-orm';
import {
	bigint,
	char,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { oneOf, tz } from './columns';
import { syncColumns } from './sync';

/*
 * The domain tables of DESIGN.md §3. Conventions:
 * - ids are UUIDv7 strings generated where the record is created (usually the client, offline);
 *   the database never generates them.
 * - times are `timestamptz`, written from the server clock; `created_at`/`updated_at` are set by
 *   the application (no `now()` defaults) so tests can drive the clock.
 * - money is integer minor units (`bigint`) + an ISO 4217 code (`char(3)`, upper case).
 * - every synced table has `version` + `deleted_at` (see `./sync.ts`): a trigger bumps `version`
 *   on every insert and update. Deleting is tombstoning; uniqueness rules apply to live
 *   (non-deleted) rows only, so a deleted client's username or email can be used again.
 * - the sync version column is called `version` on every synced table, so the pull code is
 *   generic. DESIGN.md also calls an indicator's release "version"; that field is
 *   `release_version` here (in `indicators` and `indicator_versions`) to avoid the clash.
 * - enumerations are `text` + a check constraint (easier to extend by migration than a pg enum).
 */

export const VERIFICATION_STATES = ['unverified', 'valid', 'invalid'] as const;
export const CLIENT_STATUSES = ['active', 'inactive'] as const;
export const INDICATOR_STATUSES = ['development', 'production', 'retired'] as const;
export const ACCESS_TYPES = ['trial', 'paid', 'complimentary'] as const;
export const TV_STATES = ['pending', 'verified', 'failed', 'paused', 'not_applicable'] as const;
export const ACCESS_EVENT_KINDS = [
	'granted',
	'renewed',
	'revoked',
	'expired',
	'restored',
	'tv_verified',
	'tv_failed',
	'conflict_flagged',
	'conflict_resolved'
] as const;
export const RECORD_EDIT_ENTITIES = ['clients', 'indicators'] as const;
export const TRANSACTION_STATUSES = ['pending', 'paid', 'failed', 'refunded'] as const;
export const TRANSACTION_SOURCES = ['manual', 'stripe'] as const;

/** `PUB;` + 32 letters/digits, as TradingView prints script ids. */
export const PUB_ID_PATTERN = '^PUB;[A-Za-z0-9]{32}$';

export const clients = pgTable(
	'clients',
	{
		id: uuid('id').primaryKey(),
		/** Stored in TradingView's canonical case once verified; compared case-insensitively. */
		tradingviewUsername: text('tradingview_username').notNull(),
		tvUsernameState: text('tv_username_state', { enum: VERIFICATION_STATES })
			.notNull()
			.default('unverified'),
		/** Optional; store null, never an empty string. */
		email: text('email'),
		fullName: text('full_name'),
		registeredAt: tz('registered_at').notNull(),
		status: text('status', { enum: CLIENT_STATUSES }).notNull().default('active'),
		notes: text('notes'),
		createdAt: tz('created_at').notNull(),
		updatedAt: tz('updated_at').notNull(),
		...syncColumns()
	},
	(t) => [
		// Unique among live clients only: once a client is tombstoned its username may be reused.
		uniqueIndex('clients_tv_username_lower_uq')
			.on(sql`lower(${t.tradingviewUsername})`)
			.where(sql`${t.deletedAt} is null`),
		// Several clients may have no email; a present email is unique among live clients.
		uniqueIndex('clients_email_lower_uq')
			.on(sql`lower(${t.email})`)
			.where(sql`${t.email} is not null and ${t.deletedAt} is null`),
		index('clients_version_idx').on(t.version),
		check(
			'clients_tv_username_ck',
			sql`length(${t.tradingviewUsername}) > 0 and ${t.tradingviewUsername} = btrim(${t.tradingviewUsername})`
		),
		check('clients_email_ck', sql`length(btrim(${t.email})) > 0`),
		check('clients_tv_username_state_ck', oneOf(t.tvUsernameState, VERIFICATION_STATES)),
		check('clients_status_ck', oneOf(t.status, CLIENT_STATUSES))
	]
);

export const indicators = pgTable(
	'indicators',
	{
		id: uuid('id').primaryKey(),
		name: text('name').notNull(),
		/** TradingView script id, case-sensitive. */
		pubId: text('pub_id').notNull(),
		pubIdState: text('pub_id_state', { enum: VERIFICATION_STATES }).notNull().default('unverified'),
		/**
		 * The current release version (DESIGN.md's "version (current)"); null before the first
		 * release. Named `release_version` because `version` is the sync version of every synced
		 * table (see the file comment).
		 */
		releaseVersion: text('release_version'),
		lastUpdatedAt: tz('last_updated_at'),
		status: text('status', { enum: INDICATOR_STATUSES }).notNull().default('development'),
		description: text('description'),
		createdAt: tz('created_at').notNull(),
		updatedAt: tz('updated_at').notNull(),
		...syncColumns()
	},
	(t) => [
		uniqueIndex('indicators_pub_id_uq')
			.on(t.pubId)
			.where(sql`${t.deletedAt} is null`),
		index('indicators_version_idx').on(t.version),
		// drizzle-kit 0.31 splits check constraints on ';' (it squashes them as `name;value`), which
		// truncates the SQL; the regex escape \x3B is the same ';' without the character.
		check(
			'indicators_pub_id_ck',
			sql`${t.pubId} ~ '${sql.raw(PUB_ID_PATTERN.replace(';', '\\x3B'))}'`
		),
		check('indicators_name_ck', sql`length(btrim(${t.name})) > 0`),
		check('indicators_pub_id_state_ck', oneOf(t.pubIdState, VERIFICATION_STATES)),
		check('indicators_status_ck', oneOf(t.status, INDICATOR_STATUSES))
	]
);

/** Releases: releasing a version appends here and updates `indicators.release_version`. */
export const indicatorVersions = pgTable(
	'indicator_versions',
	{
		id: uuid('id').primaryKey(),
		indicatorId: uuid('indicator_id')
			.notNull()
			.references(() => indicators.id, { onDelete: 'cascade' }),
		/** The release's version string (e.g. `2.1.0`); see `indicators.release_version`. */
		releaseVersion: text('release_version').notNull(),
		releasedAt: tz('released_at').notNull(),
		notes: text('notes'),
		...syncColumns()
	},
	(t) => [
		uniqueIndex('indicator_versions_release_uq')
			.on(t.indicatorId, t.releaseVersion)
			.where(sql`${t.deletedAt} is null`),
		index('indicator_versions_version_idx').on(t.version),
		check('indicator_versions_release_version_ck', sql`length(btrim(${t.releaseVersion})) > 0`)
	]
);

/**
 * Grants. A grant is *open* when it is neither revoked nor deleted. Expiry is derived from the
 * server clock (`ends_at <= now`), so it cannot appear in an index predicate: an expired but
 * unrevoked grant is still the open grant of its pair, and granting that pair again extends it
 * (renewal from max(now, ends_at)) instead of creating a second row — exactly TradingView's model
 * of one expiration per (user, script). The partial unique index enforces at most one open grant
 * per (client, indicator); a revoked (or tombstoned) grant leaves room for a new one.
 */
export const accesses = pgTable(
	'accesses',
	{
		id: uuid('id').primaryKey(),
		clientId: uuid('client_id')
			.notNull()
			.references(() => clients.id, { onDelete: 'restrict' }),
		indicatorId: uuid('indicator_id')
			.notNull()
			.references(() => indicators.id, { onDelete: 'restrict' }),
		startsAt: tz('starts_at').notNull(),
		/** null = lifetime. */
		endsAt: tz('ends_at'),
		revokedAt: tz('revoked_at'),
		revokeReason: text('revoke_reason'),
		accessType: text('access_type', { enum: ACCESS_TYPES }).notNull(),
		tvState: text('tv_state', { enum: TV_STATES }).notNull().default('pending'),
		tvError: text('tv_error'),
		tvAttempts: integer('tv_attempts').notNull().default(0),
		tvVerifiedAt: tz('tv_verified_at'),
		createdAt: tz('created_at').notNull(),
		updatedAt: tz('updated_at').notNull(),
		...syncColumns()
	},
	(t) => [
		uniqueIndex('accesses_open_pair_uq')
			.on(t.clientId, t.indicatorId)
			.where(sql`${t.revokedAt} is null and ${t.deletedAt} is null`),
		index('accesses_client_idx').on(t.clientId),
		index('accesses_indicator_idx').on(t.indicatorId),
		// Expiry sweep and reminders: open grants by end date.
		index('accesses_open_ends_at_idx')
			.on(t.endsAt)
			.where(sql`${t.revokedAt} is null and ${t.deletedAt} is null and ${t.endsAt} is not null`),
		index('accesses_version_idx').on(t.version),
		check('accesses_ends_after_starts_ck', sql`${t.endsAt} > ${t.startsAt}`),
		check('accesses_access_type_ck', oneOf(t.accessType, ACCESS_TYPES)),
		check('accesses_tv_state_ck', oneOf(t.tvState, TV_STATES)),
		check('accesses_tv_attempts_ck', sql`${t.tvAttempts} >= 0`)
	]
);

/**
 * The history of grants, append-only in practice. `client_id` and `indicator_id` are copied from
 * the grant so history and metrics query without a join. `actor` is a staff user id or `system`
 * (jobs, reconciliation); it is text, not a foreign key, so history survives a user's removal.
 */
export const accessEvents = pgTable(
	'access_events',
	{
		id: uuid('id').primaryKey(),
		accessId: uuid('access_id')
			.notNull()
			.references(() => accesses.id, { onDelete: 'cascade' }),
		clientId: uuid('client_id')
			.notNull()
			.references(() => clients.id, { onDelete: 'restrict' }),
		indicatorId: uuid('indicator_id')
			.notNull()
			.references(() => indicators.id, { onDelete: 'restrict' }),
		kind: text('kind', { enum: ACCESS_EVENT_KINDS }).notNull(),
		at: tz('at').notNull(),
		actor: text('actor').notNull(),
		previousEndsAt: tz('previous_ends_at'),
		newEndsAt: tz('new_ends_at'),
		/** Duration preset of a grant/renewal (7d, 30d, 90d, 365d, lifetime, custom). */
		preset: text('preset'),
		note: text('note'),
		/** A conflict_flagged event's renewal, or the conflict a conflict_resolved event settles. */
		relatedEventId: uuid('related_event_id'),
		...syncColumns()
	},
	(t) => [
		index('access_events_access_idx').on(t.accessId, t.at),
		index('access_events_client_idx').on(t.clientId, t.at),
		index('access_events_indicator_at_idx').on(t.indicatorId, t.at),
		index('access_events_version_idx').on(t.version),
		check('access_events_kind_ck', oneOf(t.kind, ACCESS_EVENT_KINDS)),
		check(
			'access_events_actor_ck',
			sql`${t.actor} = 'system' or ${t.actor} ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`
		)
	]
);

/**
 * The edit history of clients and indicators, append-only: one row per applied update that changed
 * something, written by the server in the update's transaction (`sync/store.ts`), never by a
 * device. `changes` is `{ field: { before, after } }` over the device field names, with only the
 * fields whose value changed. `actor` is a staff user id or `system`, as in `access_events`;
 * `entity_id` is not a foreign key, so the log outlives a record's deletion.
 */
export const recordEdits = pgTable(
	'record_edits',
	{
		id: uuid('id').primaryKey(),
		entity: text('entity', { enum: RECORD_EDIT_ENTITIES }).notNull(),
		entityId: uuid('entity_id').notNull(),
		actor: text('actor').notNull(),
		at: tz('at').notNull(),
		changes: jsonb('changes').notNull(),
		...syncColumns()
	},
	(t) => [
		index('record_edits_entity_at_idx').on(t.entityId, t.at),
		index('record_edits_version_idx').on(t.version),
		check('record_edits_entity_ck', oneOf(t.entity, RECORD_EDIT_ENTITIES)),
		check(
			'record_edits_actor_ck',
			sql`${t.actor} = 'system' or ${t.actor} ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`
		)
	]
);

/** Payments. `amount` is in minor units of `currency` (e.g. cents of USD); refunds are a status. */
export const transactions = pgTable(
	'transactions',
	{
		id: uuid('id').primaryKey(),
		clientId: uuid('client_id')
			.notNull()
			.references(() => clients.id, { onDelete: 'restrict' }),
		amount: bigint('amount', { mode: 'number' }).notNull(),
		currency: char('currency', { length: 3 }).notNull(),
		occurredAt: tz('occurred_at').notNull(),
		status: text('status', { enum: TRANSACTION_STATUSES }).notNull(),
		paymentReference: text('payment_reference'),
		source: text('source', { enum: TRANSACTION_SOURCES }).notNull().default('manual'),
		createdAt: tz('created_at').notNull(),
		updatedAt: tz('updated_at').notNull(),
		...syncColumns()
	},
	(t) => [
		index('transactions_client_idx').on(t.clientId, t.occurredAt),
		index('transactions_occurred_at_idx').on(t.occurredAt),
		// A Stripe payment is recorded once, even if its webhook is delivered twice (tombstoned rows
		// included, so a replayed webhook does not resurrect a deleted payment).
		uniqueIndex('transactions_stripe_reference_uq')
			.on(t.paymentReference)
			.where(sql`${t.source} = 'stripe' and ${t.paymentReference} is not null`),
		index('transactions_version_idx').on(t.version),
		check('transactions_currency_ck', sql`${t.currency} ~ '^[A-Z]{3}$'`),
		check('transactions_amount_ck', sql`${t.amount} >= 0`),
		check('transactions_status_ck', oneOf(t.status, TRANSACTION_STATUSES)),
		check('transactions_source_ck', oneOf(t.source, TRANSACTION_SOURCES))
	]
);

/**
 * In-app notifications. `user_id` null = for every staff member; otherwise for that user only.
 * The text is rendered on the client from `kind` + `data` in the user's language.
 *
 * Read state is per user, in `notification_reads` (one row per user who has read a notification),
 * because a broadcast notification is read by each person separately: a single `read_at` on the
 * notification would mark it read for everyone. Reads are synced like the rest (so reading on the
 * phone clears the badge on the desktop); "mark unread" tombstones the read row.
 */
export const notifications = pgTable(
	'notifications',
	{
		id: uuid('id').primaryKey(),
		kind: text('kind').notNull(),
		/** The kind of record it is about (`access`, `client`, `tradingview_session`, ...). */
		entity: text('entity').notNull(),
		entityId: text('entity_id'),
		data: jsonb('data'),
		at: tz('at').notNull(),
		userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
		...syncColumns()
	},
	(t) => [
		index('notifications_user_at_idx').on(t.userId, t.at),
		index('notifications_entity_idx').on(t.entity, t.entityId),
		index('notifications_version_idx').on(t.version)
	]
);

/**
 * One row per (notification, user) who has read it. Keyed by `id` like every synced row (the
 * device mirror and the pull code key rows by id); `(notification_id, user_id)` is unique over all
 * rows, tombstoned included, so two devices marking the same notification read upsert one row
 * (`on conflict (notification_id, user_id)`), and "mark unread" / "read again" toggle `deleted_at`
 * on that row.
 */
export const notificationReads = pgTable(
	'notification_reads',
	{
		id: uuid('id').primaryKey(),
		notificationId: uuid('notification_id')
			.notNull()
			.references(() => notifications.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		readAt: tz('read_at').notNull(),
		...syncColumns()
	},
	(t) => [
		uniqueIndex('notification_reads_notification_user_uq').on(t.notificationId, t.userId),
		index('notification_reads_user_idx').on(t.userId),
		index('notification_reads_version_idx').on(t.version)
	]
);

/**
 * Key/value settings (business timezone, reminder thresholds, TradingView connection, ...). Not a
 * synced table: settings are read and written through admin tRPC procedures. Secrets (TradingView
 * session cookies, password) are stored encrypted by the application (never plain text in
 * `value`), and are never sent to clients.
 */
export const settings = pgTable('settings', {
	key: text('key').primaryKey(),
	value: jsonb('value').notNull(),
	updatedAt: tz('updated_at').notNull()
});
