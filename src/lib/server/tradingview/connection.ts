import { eq } from 'drizzle-orm';
import { audit, type Actor, type RequestMeta } from '../audit';
import { now } from '../clock';
import type { DbOrTx } from '../db/client';
import { settings } from '../db/schema';
import type { SecretBox } from '../secrets';

// The vendor's TradingView session (DESIGN.md §5): the two cookies, sealed in `settings`. Cookies
// saved in Settings win over TRADINGVIEW_SESSIONID / _SIGN, which only bootstrap an install that
// has none saved. Cookie values never leave the server and never reach a log or the audit trail.

export const CONNECTION_KEY = 'tradingview.connection';

export interface TradingViewSession {
	sessionid: string;
	sessionidSign: string;
}

interface StoredConnection {
	sessionid: string;
	sessionidSign: string;
	savedAt: string;
	savedBy: string | null;
}

export interface ConnectionInfo {
	source: 'settings' | 'env' | 'none';
	savedAt: string | null;
	/** The stored cookies cannot be opened (SECRET_KEY changed): the admin must paste them again. */
	unreadable: boolean;
}

/** Trims what people paste: surrounding quotes, spaces and a leading `name=`. */
export function cleanCookie(value: string, name: string): string {
	let v = value.trim().replace(/^["']|["']$/g, '');
	if (v.toLowerCase().startsWith(`${name.toLowerCase()}=`)) v = v.slice(name.length + 1);
	return v.replace(/;+$/, '').trim();
}

async function stored(db: DbOrTx): Promise<StoredConnection | null> {
	const [row] = await db.select().from(settings).where(eq(settings.key, CONNECTION_KEY));
	return (row?.value as StoredConnection | undefined) ?? null;
}

export async function saveSession(
	db: DbOrTx,
	box: SecretBox,
	session: TradingViewSession,
	actor: Actor,
	meta?: Partial<RequestMeta>
): Promise<void> {
	const at = now();
	const value: StoredConnection = {
		sessionid: box.seal(session.sessionid),
		sessionidSign: box.seal(session.sessionidSign),
		savedAt: at.toISOString(),
		savedBy: actor.id
	};
	await db
		.insert(settings)
		.values({ key: CONNECTION_KEY, value, updatedAt: at })
		.onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at } });
	await audit(db, {
		actor,
		action: 'tradingview.session.save',
		entity: 'settings',
		entityId: CONNECTION_KEY,
		after: { savedAt: value.savedAt },
		meta
	});
}

export async function clearSession(
	db: DbOrTx,
	actor: Actor,
	meta?: Partial<RequestMeta>
): Promise<void> {
	await db.delete(settings).where(eq(settings.key, CONNECTION_KEY));
	await audit(db, {
		actor,
		action: 'tradingview.session.clear',
		entity: 'settings',
		entityId: CONNECTION_KEY,
		meta
	});
}

/** The session to call TradingView with: saved cookies first, then the environment, else null. */
export async function loadSession(
	db: DbOrTx,
	/** The box, or how to get it: only needed (and a key file only created) when cookies are saved. */
	box: SecretBox | (() => SecretBox),
	fromEnv: { sessionid?: string | undefined; sessionidSign?: string | undefined }
): Promise<{ session: TradingViewSession | null; info: ConnectionInfo }> {
	const saved = await stored(db);
	if (saved) {
		const opener = typeof box === 'function' ? box() : box;
		try {
			return {
				session: {
					sessionid: opener.open(saved.sessionid),
					sessionidSign: opener.open(saved.sessionidSign)
				},
				info: { source: 'settings', savedAt: saved.savedAt, unreadable: false }
			};
		} catch {
			return {
				session: null,
				info: { source: 'settings', savedAt: saved.savedAt, unreadable: true }
			};
		}
	}
	if (fromEnv.sessionid && fromEnv.sessionidSign)
		return {
			session: { sessionid: fromEnv.sessionid, sessionidSign: fromEnv.sessionidSign },
			info: { source: 'env', savedAt: null, unreadable: false }
		};
	return { session: null, info: { source: 'none', savedAt: null, unreadable: false } };
}
