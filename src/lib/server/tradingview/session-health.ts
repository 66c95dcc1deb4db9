import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { settings } from '../db/schema';
import { log } from '../log';
import { pokeHub } from '../sync/pokes';
import type { TradingViewClient } from './client';
import { loadSession } from './connection';
import { clientFor, envSession, serverSecretBox } from './service';
import { isPaused, pauseWrites } from './sync/queue';

// The TradingView session check (DESIGN.md §5, docs/tradingview-sync.md): hourly as a scheduled
// job, and by the sync worker before it works a grant. A refused session pauses every write (one
// notification, however often it is checked); an unreachable TradingView pauses nothing, since
// nothing is known about the session. A session that passes again does NOT lift a pause: saving new
// cookies (or "Retry now" on a grant) does, so that an account refused on the access calls but not on
// this one (no Premium) cannot flip between paused and resumed every hour.

/** Where the last check's outcome is kept for Settings → TradingView. */
export const SESSION_CHECK_KEY = 'tradingview.session.checked';

export type SessionCheckState = 'ok' | 'expired' | 'unreachable';

export interface SessionCheckRecord {
	at: string;
	state: SessionCheckState;
}

export type SessionHealth =
	| { state: 'not_connected' }
	| { state: 'ok'; paused: boolean }
	| { state: 'expired'; pausedNow: boolean }
	| { state: 'unreachable'; error: string };

async function record(db: DbOrTx, at: Date, state: SessionCheckState): Promise<void> {
	const value: SessionCheckRecord = { at: at.toISOString(), state };
	await db
		.insert(settings)
		.values({ key: SESSION_CHECK_KEY, value, updatedAt: at })
		.onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at } });
}

export async function lastSessionCheck(db: DbOrTx): Promise<SessionCheckRecord | null> {
	const [row] = await db.select().from(settings).where(eq(settings.key, SESSION_CHECK_KEY));
	return (row?.value as SessionCheckRecord | undefined) ?? null;
}

/**
 * Checks the saved (else environment) session, or the given client's. Nothing configured: nothing
 * to check, nothing recorded.
 */
export async function checkSessionHealth(
	db: Db,
	at: Date,
	client?: TradingViewClient
): Promise<SessionHealth> {
	let tv = client;
	if (!tv) {
		const { session } = await loadSession(db, serverSecretBox, envSession());
		if (!session) return { state: 'not_connected' };
		tv = clientFor(session);
	}
	if (!tv.hasSession) return { state: 'not_connected' };
	let valid: boolean;
	try {
		valid = await tv.checkSession();
	} catch (error) {
		await record(db, at, 'unreachable');
		const message = error instanceof Error ? error.message : String(error);
		log.warn({ err: error }, 'TradingView session check: TradingView unreachable');
		return { state: 'unreachable', error: message.slice(0, 300) };
	}
	if (valid) {
		await record(db, at, 'ok');
		return { state: 'ok', paused: await isPaused(db) };
	}
	const pausedNow = await db.transaction(async (tx) => {
		await record(tx, at, 'expired');
		return pauseWrites(tx, at, 'TradingView refused the session (session check)');
	});
	if (pausedNow) {
		pokeHub().poke();
		log.warn('TradingView session expired: writes paused');
	}
	return { state: 'expired', pausedNow };
}
