import { TRPCError } from '@trpc/server';
import { uuidv7 } from 'uuidv7';
import { hashPassword } from '../../src/lib/server/auth/password';
import { createSession, resolveSession } from '../../src/lib/server/auth/sessions';
import { now } from '../../src/lib/server/clock';
import type { Db } from '../../src/lib/server/db/client';
import { users } from '../../src/lib/server/db/schema';
import type { Context } from '../../src/lib/server/trpc/context';
import { createCallerFactory } from '../../src/lib/server/trpc/init';
import { appRouter } from '../../src/lib/server/trpc/router';
import type { Role } from '../../src/lib/shared/permissions';
import type { ErrorCode } from '../../src/lib/shared/errors';

export const testMeta = { ip: '203.0.113.7', userAgent: 'vitest', requestId: 'test-request-id' };

export interface TestContext extends Context {
	cookies: string[];
}

export function contextFor(db: Db, session: Context['session'], ip = testMeta.ip): TestContext {
	const cookies: string[] = [];
	return {
		db,
		session,
		meta: { ...testMeta, ip },
		cookies,
		setSessionCookie(token) {
			cookies.push(token ?? '');
		}
	};
}

export const callerFactory = createCallerFactory(appRouter);

export function callerFor(db: Db, session: Context['session'], ip?: string) {
	const ctx = contextFor(db, session, ip);
	return { caller: callerFactory(ctx), ctx };
}

/** Inserts a user straight into the database (fast path for tests that are not about user creation). */
export async function insertUser(
	db: Db,
	role: Role,
	overrides: { email?: string; password?: string; name?: string } = {}
): Promise<{ id: string; email: string; password: string; role: Role }> {
	const id = uuidv7();
	const email = overrides.email ?? `${role}-${id.slice(-8)}@example.test`;
	const password = overrides.password ?? 'correct horse battery';
	await db.insert(users).values({
		id,
		email,
		name: overrides.name ?? `${role} ${id.slice(-4)}`,
		role,
		passwordHash: await hashPassword(password),
		createdAt: now(),
		updatedAt: now()
	});
	return { id, email, password, role };
}

/** A live session for the user, resolved the way a request would resolve its cookie. */
export async function sessionFor(db: Db, userId: string): Promise<NonNullable<Context['session']>> {
	const { token } = await createSession(db, userId, testMeta);
	const session = await resolveSession(db, token);
	if (!session) throw new Error('session did not resolve');
	return session;
}

/** The application error code a tRPC call failed with, as the client would see it. */
export async function errorCodeOf(call: Promise<unknown>): Promise<ErrorCode | 'OK'> {
	try {
		await call;
		return 'OK';
	} catch (error) {
		if (!(error instanceof TRPCError)) throw error;
		const formatted = appRouter._def._config.errorFormatter({
			error,
			type: 'unknown',
			path: undefined,
			input: undefined,
			ctx: undefined,
			shape: {
				message: error.message,
				code: -32603,
				data: { code: error.code, httpStatus: 500 }
			}
		}) as { data: { appCode: ErrorCode } };
		return formatted.data.appCode;
	}
}
