import type { Db } from '../db/client';
import type { RequestMeta } from '../audit';
import { resolveSession, type AuthSession } from '../auth/sessions';
import { SESSION_COOKIE } from '../auth/tokens';

export interface Context {
	db: Db;
	session: AuthSession | null;
	meta: RequestMeta;
	/** Set the session cookie on the answer (login, setup) or clear it (logout). */
	setSessionCookie(token: string | null, expiresAt?: Date): void;
}

export function readCookie(header: string | null, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
	}
	return null;
}

export function sessionCookie(
	token: string | null,
	options: { secure: boolean; expiresAt?: Date | undefined }
): string {
	const parts = [
		`${SESSION_COOKIE}=${token ?? ''}`,
		'Path=/',
		'HttpOnly',
		'SameSite=Lax',
		token && options.expiresAt ? `Expires=${options.expiresAt.toUTCString()}` : 'Max-Age=0'
	];
	// Secure only behind HTTPS: over plain http://localhost the browser would drop the cookie.
	if (options.secure) parts.push('Secure');
	return parts.join('; ');
}

export async function createContext(opts: {
	db: Db;
	req: Request;
	resHeaders: Headers;
	meta: RequestMeta;
}): Promise<Context> {
	const token = readCookie(opts.req.headers.get('cookie'), SESSION_COOKIE);
	const session = token ? await resolveSession(opts.db, token) : null;
	const secure = new URL(opts.req.url).protocol === 'https:';
	return {
		db: opts.db,
		session,
		meta: opts.meta,
		setSessionCookie(value, expiresAt) {
			opts.resHeaders.append('set-cookie', sessionCookie(value, { secure, expiresAt }));
		}
	};
}
