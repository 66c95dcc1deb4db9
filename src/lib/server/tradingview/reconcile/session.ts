import type { DbOrTx } from '../../db/client';
import { env } from '../../env';
import { createTradingViewClient, type TradingViewClient } from '../client';
import { loadSession } from '../connection';
import { serverSecretBox } from '../service';

/**
 * A client on the vendor's session as the worker gets it (saved cookies, else the environment), or
 * null when there is none or the saved one cannot be opened.
 */
export async function sessionClient(db: DbOrTx): Promise<TradingViewClient | null> {
	const config = env();
	const { session } = await loadSession(db, serverSecretBox, {
		sessionid: config.TRADINGVIEW_SESSIONID,
		sessionidSign: config.TRADINGVIEW_SESSIONID_SIGN
	});
	if (!session) return null;
	return createTradingViewClient({
		baseUrl: config.TRADINGVIEW_BASE_URL,
		sessionid: session.sessionid,
		sessionidSign: session.sessionidSign,
		timeoutMs: 15_000
	});
}
