import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { SessionUser } from '$lib/shared/schemas/user';
import { AppError } from '$lib/shared/errors';
import { now } from '../clock';
import type { DbOrTx } from '../db/client';
import { sessions, users } from '../db/schema';
import { env } from '../env';
import type { RequestMeta } from '../audit';
import { hashToken, newSessionToken } from './tokens';

export interface AuthSession {
	id: string;
	user: SessionUser;
	expiresAt: Date;
}

/** A new session with a fresh random token: a login never reuses a token it was handed (no fixation). */
export async function createSession(
	db: DbOrTx,
	userId: string,
	meta: RequestMeta
): Promise<{ id: string; token: string; expiresAt: Date }> {
	const token = newSessionToken();
	const at = now();
	const expiresAt = new Date(at.getTime() + env().SESSION_DAYS * 24 * 3600 * 1000);
	const id = uuidv7();
	await db.insert(sessions).values({
		id,
		tokenHash: hashToken(token),
		userId,
		createdAt: at,
		lastSeenAt: at,
		expiresAt,
		userAgent: meta.userAgent?.slice(0, 300) ?? null,
		ip: meta.ip
	});
	return { id, token, expiresAt };
}

const TOUCH_EVERY_MS = 60_000;

/** The live session behind a cookie token, or null: revoked, expired and disabled users all end here. */
export async function resolveSession(db: DbOrTx, token: string): Promise<AuthSession | null> {
	const at = now();
	const rows = await db
		.select({
			id: sessions.id,
			expiresAt: sessions.expiresAt,
			lastSeenAt: sessions.lastSeenAt,
			user: { id: users.id, email: users.email, name: users.name, role: users.role }
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(
			and(
				eq(sessions.tokenHash, hashToken(token)),
				isNull(sessions.revokedAt),
				gt(sessions.expiresAt, at),
				isNull(users.disabledAt)
			)
		)
		.limit(1);
	const row = rows[0];
	if (!row) return null;
	if (at.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
		await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, row.id));
	}
	return { id: row.id, user: row.user, expiresAt: row.expiresAt };
}

export async function revokeSessionById(db: DbOrTx, id: string): Promise<void> {
	await db
		.update(sessions)
		.set({ revokedAt: now() })
		.where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

export async function revokeAllSessions(db: DbOrTx, userId: string): Promise<void> {
	await db
		.update(sessions)
		.set({ revokedAt: now() })
		.where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

export interface SessionInfo {
	id: string;
	createdAt: Date;
	lastSeenAt: Date;
	expiresAt: Date;
	userAgent: string | null;
	ip: string | null;
	current: boolean;
}

export async function listOwnSessions(
	db: DbOrTx,
	userId: string,
	currentId: string
): Promise<SessionInfo[]> {
	const rows = await db
		.select({
			id: sessions.id,
			createdAt: sessions.createdAt,
			lastSeenAt: sessions.lastSeenAt,
			expiresAt: sessions.expiresAt,
			userAgent: sessions.userAgent,
			ip: sessions.ip
		})
		.from(sessions)
		.where(
			and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now()))
		)
		.orderBy(desc(sessions.lastSeenAt));
	return rows.map((row) => ({ ...row, current: row.id === currentId }));
}

export async function revokeOwnSession(db: DbOrTx, userId: string, id: string): Promise<void> {
	const rows = await db
		.select({ id: sessions.id })
		.from(sessions)
		.where(and(eq(sessions.id, id), eq(sessions.userId, userId)))
		.limit(1);
	if (!rows[0]) throw new AppError('NOT_FOUND');
	await revokeSessionById(db, id);
}
