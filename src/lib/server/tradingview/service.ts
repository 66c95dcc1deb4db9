import { AppError } from '$lib/shared/errors';
import type {
	TradingViewScript,
	TradingViewSignInResult,
	TradingViewStatus
} from '$lib/shared/schemas/tradingview';
import type { Actor, RequestMeta } from '../audit';
import type { DbOrTx } from '../db/client';
import { env } from '../env';
import { loadSecretKey, secretBox, type SecretBox } from '../secrets';
import { createTradingViewClient, type TradingViewClient } from './client';
import { loadSession, saveSession, type TradingViewSession } from './connection';
import { TradingViewError } from './errors';
import { checkUsernames } from './usernames';
import { checkPubIds, importScripts, type ImportResult } from './scripts';
import { log } from '../log';
import { resumeAfterNewSession } from './sync/queue';
import { lastSessionCheck } from './session-health';
import type { Db } from '../db/client';

// What Settings → TradingView does, on the server: the connection's state, a test that lists the
// vendor's manageable scripts, and the optional password login that never retries by itself.

let box: SecretBox | undefined;

/** The server's secret box (SECRET_KEY, or the key file in DATA_DIR). */
export function serverSecretBox(): SecretBox {
	box ??= secretBox(loadSecretKey({ secretKey: env().SECRET_KEY, dataDir: env().DATA_DIR }));
	return box;
}

/** The session given by TRADINGVIEW_SESSIONID / _SIGN, used when none is saved in Settings. */
export function envSession() {
	return {
		sessionid: env().TRADINGVIEW_SESSIONID,
		sessionidSign: env().TRADINGVIEW_SESSIONID_SIGN
	};
}

export function clientFor(session: TradingViewSession | null): TradingViewClient {
	return createTradingViewClient({
		baseUrl: env().TRADINGVIEW_BASE_URL,
		sessionid: session?.sessionid,
		sessionidSign: session?.sessionidSign,
		timeoutMs: 15_000
	});
}

/** A TradingView failure as the app's error, in words the admin can act on. */
export function appErrorOf(error: unknown): AppError {
	if (error instanceof AppError) return error;
	if (!(error instanceof TradingViewError)) return new AppError('TV_UNREACHABLE');
	switch (error.kind) {
		case 'session':
			return new AppError('TV_SESSION_INVALID');
		case 'rate_limited':
			return new AppError('TV_RATE_LIMITED', {
				seconds: Math.ceil((error.retryAfterMs ?? 60_000) / 1000)
			});
		case 'transient':
			return new AppError('TV_UNREACHABLE');
		case 'captcha':
			return new AppError('TV_CAPTCHA');
		case 'invalid_credentials':
			return new AppError('TV_INVALID_CREDENTIALS');
		default:
			return new AppError('TV_UNEXPECTED', { detail: (error.detail ?? '').slice(0, 200) });
	}
}

export async function connectionStatus(db: DbOrTx): Promise<TradingViewStatus> {
	const { info } = await loadSession(db, serverSecretBox, envSession());
	return {
		...info,
		host: new URL(env().TRADINGVIEW_BASE_URL).host,
		lastCheck: await lastSessionCheck(db)
	};
}

/** Checks the session and lists the scripts it can manage, with their names and versions. */
export async function testConnection(db: DbOrTx): Promise<{ scripts: TradingViewScript[] }> {
	const { session, info } = await loadSession(db, serverSecretBox, envSession());
	if (!session) throw new AppError(info.unreadable ? 'TV_SESSION_UNREADABLE' : 'TV_NOT_CONNECTED');
	const client = clientFor(session);
	try {
		if (!(await client.checkSession())) throw new AppError('TV_SESSION_INVALID');
		const ids = await client.listScripts();
		const details = ids.length ? await client.scriptDetails(ids) : [];
		const byId = new Map(details.map((d) => [d.pineId, d]));
		return {
			scripts: ids.map((pineId) => ({
				pineId,
				name: byId.get(pineId)?.name ?? null,
				version: byId.get(pineId)?.version ?? null
			}))
		};
	} catch (error) {
		throw appErrorOf(error);
	}
}

/** One password login attempt; on 2FA the temporary login goes back sealed, for the code step. */
export async function signInWithPassword(
	db: Db,
	input: { username: string; password: string },
	actor: Actor,
	meta?: Partial<RequestMeta>
): Promise<TradingViewSignInResult> {
	try {
		const signed = await clientFor(null).signIn(input.username, input.password);
		await saveSession(db, serverSecretBox(), signed, actor, meta);
		// As when cookies are pasted: writes paused by the old session resume with the new one.
		await resumeAfterNewSession(db);
		return { status: 'connected', username: signed.user.username };
	} catch (error) {
		if (
			error instanceof TradingViewError &&
			error.kind === 'two_factor_required' &&
			error.tempCookies
		)
			return { status: 'two_factor', token: serverSecretBox().seal(error.tempCookies) };
		throw appErrorOf(error);
	}
}

export async function signInWithTwoFactor(
	db: Db,
	input: { code: string; token: string },
	actor: Actor,
	meta?: Partial<RequestMeta>
): Promise<TradingViewSignInResult> {
	let temp: string;
	try {
		temp = serverSecretBox().open(input.token);
	} catch {
		throw new AppError('TV_INVALID_CREDENTIALS');
	}
	try {
		const signed = await clientFor(null).signInTwoFactor(input.code, temp);
		await saveSession(db, serverSecretBox(), signed, actor, meta);
		// As when cookies are pasted: writes paused by the old session resume with the new one.
		await resumeAfterNewSession(db);
		return { status: 'connected', username: signed.user.username };
	} catch (error) {
		throw appErrorOf(error);
	}
}

/**
 * After a push that applied changes: check the usernames and PUB IDs still unverified, in the
 * background, when a TradingView connection is configured (an install without one never calls
 * TradingView).
 */
export function kickTradingViewChecks(db: Db): void {
	void (async () => {
		const { session } = await loadSession(db, serverSecretBox, envSession());
		if (!session) return;
		await checkUsernames(db, env().TRADINGVIEW_BASE_URL);
		await checkPubIds(db, clientFor(session));
	})().catch((error: unknown) => log.warn({ err: error }, 'TradingView checks stopped'));
}

/** "Import my scripts": an indicator for each manageable script the catalogue lacks. */
export async function importMyScripts(
	db: Db,
	actor: Actor,
	meta?: Partial<RequestMeta>
): Promise<ImportResult> {
	const { session, info } = await loadSession(db, serverSecretBox, envSession());
	if (!session) throw new AppError(info.unreadable ? 'TV_SESSION_UNREADABLE' : 'TV_NOT_CONNECTED');
	try {
		return await importScripts(db, clientFor(session), actor, meta);
	} catch (error) {
		throw appErrorOf(error);
	}
}
