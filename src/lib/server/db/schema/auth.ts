import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	jsonb,
	pgTable,
	text,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { roles } from '../../../shared/permissions';
import { oneOf, tz } from './columns';

/** Staff accounts. Customers are `clients`, never users. */
export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey(),
		email: text('email').notNull(),
		name: text('name').notNull(),
		role: text('role', { enum: roles }).notNull(),
		passwordHash: text('password_hash').notNull(),
		disabledAt: tz('disabled_at'),
		createdAt: tz('created_at').notNull(),
		updatedAt: tz('updated_at').notNull()
	},
	(t) => [
		uniqueIndex('users_email_lower_uq').on(sql`lower(${t.email})`),
		check('users_role_ck', oneOf(t.role, roles))
	]
);

/**
 * Login sessions. The cookie carries a random token; only its SHA-256 is stored, so a database
 * leak does not hand out live sessions. `id` is the public handle shown in "your sessions".
 */
export const sessions = pgTable(
	'sessions',
	{
		id: uuid('id').primaryKey(),
		tokenHash: text('token_hash').notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: tz('created_at').notNull(),
		lastSeenAt: tz('last_seen_at').notNull(),
		expiresAt: tz('expires_at').notNull(),
		revokedAt: tz('revoked_at'),
		userAgent: text('user_agent'),
		ip: text('ip')
	},
	(t) => [
		uniqueIndex('sessions_token_hash_uq').on(t.tokenHash),
		index('sessions_user_idx').on(t.userId)
	]
);

/** Login attempts, kept for rate limiting and the audit trail of failures. */
export const loginAttempts = pgTable(
	'login_attempts',
	{
		id: uuid('id').primaryKey(),
		email: text('email').notNull(),
		ip: text('ip').notNull(),
		success: boolean('success').notNull(),
		at: tz('at').notNull()
	},
	(t) => [index('login_attempts_lookup_idx').on(t.email, t.ip, t.at)]
);

export const auditLog = pgTable(
	'audit_log',
	{
		id: uuid('id').primaryKey(),
		actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
		actorLabel: text('actor_label').notNull(),
		action: text('action').notNull(),
		entity: text('entity').notNull(),
		entityId: text('entity_id'),
		before: jsonb('before'),
		after: jsonb('after'),
		requestId: text('request_id'),
		ip: text('ip'),
		at: tz('at').notNull()
	},
	(t) => [
		index('audit_log_at_idx').on(t.at),
		index('audit_log_entity_idx').on(t.entity, t.entityId)
	]
);
