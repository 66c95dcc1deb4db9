import { and, count, eq, gte, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { AppError } from '$lib/shared/errors';
import type { LoginInput, SessionUser, SetupInput } from '$lib/shared/schemas/user';
import { audit, type RequestMeta } from '../audit';
import { now } from '../clock';
import type { Db } from '../db/client';
import { loginAttempts, users } from '../db/schema';
import { env } from '../env';
import { hashPassword, verifyPassword } from './password';
import { createSession } from './sessions';

export interface LoginResult {
	user: SessionUser;
	session: { id: string; token: string; expiresAt: Date };
}

const SETUP_LOCK = 727_274_003;

export async function needsSetup(db: Db): Promise<boolean> {
	const [row] = await db.select({ n: count() }).from(users);
	return (row?.n ?? 0) === 0;
}

/** Creates the first admin and signs them in. Refused for good once any user exists. */
export async function setupFirstAdmin(
	db: Db,
	input: SetupInput,
	meta: RequestMeta
): Promise<LoginResult> {
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		// Two browsers submitting setup at once must not both become "the first admin".
		await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
		const [existing] = await tx.select({ n: count() }).from(users);
		if ((existing?.n ?? 0) > 0) throw new AppError('SETUP_ALREADY_DONE');
		const at = now();
		const user = { id: uuidv7(), email: input.email, name: input.name, role: 'admin' as const };
		await tx.insert(users).values({ ...user, passwordHash, createdAt: at, updatedAt: at });
		const session = await createSession(tx, user.id, meta);
		await audit(tx, {
			actor: { id: user.id, label: user.email },
			action: 'user.setup',
			entity: 'user',
			entityId: user.id,
			after: user,
			meta
		});
		return { user, session };
	});
}

function normaliseKey(email: string): string {
	return email.trim().toLowerCase();
}

/** Failures for this account from this address inside the window; at the limit, login is refused. */
async function recentFailures(
	db: Db,
	email: string,
	ip: string
): Promise<{ failures: number; retryAfterMinutes: number }> {
	const windowMs = env().LOGIN_WINDOW_MINUTES * 60_000;
	const since = new Date(now().getTime() - windowMs);
	const rows = await db
		.select({ at: loginAttempts.at })
		.from(loginAttempts)
		.where(
			and(
				eq(loginAttempts.email, email),
				eq(loginAttempts.ip, ip),
				eq(loginAttempts.success, false),
				gte(loginAttempts.at, since)
			)
		)
		.orderBy(loginAttempts.at);
	const oldest = rows[Math.max(0, rows.length - env().LOGIN_MAX_FAILURES)]?.at;
	const retryAfterMs = oldest ? oldest.getTime() + windowMs - now().getTime() : 0;
	return {
		failures: rows.length,
		retryAfterMinutes: Math.max(1, Math.ceil(retryAfterMs / 60_000))
	};
}

export async function login(db: Db, input: LoginInput, meta: RequestMeta): Promise<LoginResult> {
	const email = normaliseKey(input.email);
	const limit = await recentFailures(db, email, meta.ip);
	if (limit.failures >= env().LOGIN_MAX_FAILURES) {
		await audit(db, {
			actor: { id: null, label: email },
			action: 'auth.login_rate_limited',
			entity: 'user',
			meta
		});
		throw new AppError('RATE_LIMITED', { minutes: limit.retryAfterMinutes });
	}

	const [user] = await db
		.select()
		.from(users)
		.where(sql`lower(${users.email}) = ${email}`)
		.limit(1);
	const valid = await verifyPassword(user?.passwordHash ?? null, input.password);

	if (!user || !valid) {
		await db.transaction(async (tx) => {
			await tx
				.insert(loginAttempts)
				.values({ id: uuidv7(), email, ip: meta.ip, success: false, at: now() });
			await audit(tx, {
				actor: { id: user?.id ?? null, label: email },
				action: 'auth.login_failed',
				entity: 'user',
				entityId: user?.id ?? null,
				meta
			});
		});
		throw new AppError('INVALID_CREDENTIALS');
	}
	if (user.disabledAt) {
		await audit(db, {
			actor: { id: user.id, label: email },
			action: 'auth.login_disabled',
			entity: 'user',
			entityId: user.id,
			meta
		});
		throw new AppError('ACCOUNT_DISABLED');
	}

	return db.transaction(async (tx) => {
		await tx
			.insert(loginAttempts)
			.values({ id: uuidv7(), email, ip: meta.ip, success: true, at: now() });
		const session = await createSession(tx, user.id, meta);
		await audit(tx, {
			actor: { id: user.id, label: user.email },
			action: 'auth.login',
			entity: 'session',
			entityId: session.id,
			meta
		});
		return { user: { id: user.id, email: user.email, name: user.name, role: user.role }, session };
	});
}
