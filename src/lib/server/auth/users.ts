import { and, asc, count, eq, isNull, ne, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { AppError } from '$lib/shared/errors';
import type { Role } from '$lib/shared/permissions';
import type { CreateUserInput, User } from '$lib/shared/schemas/user';
import { audit, type Actor, type RequestMeta } from '../audit';
import { now } from '../clock';
import type { Db, DbOrTx } from '../db/client';
import { users } from '../db/schema';
import { hashPassword } from './password';
import { revokeAllSessions } from './sessions';

const publicColumns = {
	id: users.id,
	email: users.email,
	name: users.name,
	role: users.role,
	disabledAt: users.disabledAt,
	createdAt: users.createdAt
};

export async function listUsers(db: DbOrTx): Promise<User[]> {
	return db.select(publicColumns).from(users).orderBy(asc(users.createdAt));
}

/**
 * Every staff member's id and name, disabled ones included: devices show who did what in a grant's
 * history (events keep the actor's id, and old events outlive an account being disabled).
 */
export async function staffDirectory(db: DbOrTx): Promise<Array<{ id: string; name: string }>> {
	return db.select({ id: users.id, name: users.name }).from(users).orderBy(asc(users.createdAt));
}

async function getUser(db: DbOrTx, id: string): Promise<User> {
	const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id)).limit(1);
	if (!row) throw new AppError('NOT_FOUND');
	return row;
}

export async function createUser(
	db: Db,
	input: CreateUserInput,
	actor: Actor,
	meta: RequestMeta
): Promise<User> {
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		const [taken] = await tx
			.select({ id: users.id })
			.from(users)
			.where(sql`lower(${users.email}) = ${input.email.toLowerCase()}`)
			.limit(1);
		if (taken) throw new AppError('EMAIL_TAKEN', { email: input.email });
		const at = now();
		const id = uuidv7();
		await tx.insert(users).values({
			id,
			email: input.email,
			name: input.name,
			role: input.role,
			passwordHash,
			createdAt: at,
			updatedAt: at
		});
		const created = await getUser(tx, id);
		await audit(tx, {
			actor,
			action: 'user.create',
			entity: 'user',
			entityId: id,
			after: created,
			meta
		});
		return created;
	});
}

/** The business must never lock itself out: the last enabled admin keeps the role and stays enabled. */
async function assertNotLastAdmin(db: DbOrTx, id: string): Promise<void> {
	const [row] = await db
		.select({ n: count() })
		.from(users)
		.where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, id)));
	if ((row?.n ?? 0) === 0) throw new AppError('LAST_ADMIN');
}

export async function setUserRole(
	db: Db,
	id: string,
	role: Role,
	actor: Actor,
	meta: RequestMeta
): Promise<User> {
	if (id === actor.id) throw new AppError('SELF_CHANGE');
	return db.transaction(async (tx) => {
		const before = await getUser(tx, id);
		if (before.role === 'admin' && role !== 'admin') await assertNotLastAdmin(tx, id);
		await tx.update(users).set({ role, updatedAt: now() }).where(eq(users.id, id));
		const after = await getUser(tx, id);
		await audit(tx, {
			actor,
			action: 'user.set_role',
			entity: 'user',
			entityId: id,
			before,
			after,
			meta
		});
		return after;
	});
}

export async function setUserDisabled(
	db: Db,
	id: string,
	disabled: boolean,
	actor: Actor,
	meta: RequestMeta
): Promise<User> {
	if (id === actor.id) throw new AppError('SELF_CHANGE');
	return db.transaction(async (tx) => {
		const before = await getUser(tx, id);
		if (disabled && before.role === 'admin') await assertNotLastAdmin(tx, id);
		await tx
			.update(users)
			.set({ disabledAt: disabled ? now() : null, updatedAt: now() })
			.where(eq(users.id, id));
		// Disabling ends every session at once, not at their natural expiry.
		if (disabled) await revokeAllSessions(tx, id);
		const after = await getUser(tx, id);
		await audit(tx, {
			actor,
			action: disabled ? 'user.disable' : 'user.enable',
			entity: 'user',
			entityId: id,
			before,
			after,
			meta
		});
		return after;
	});
}
