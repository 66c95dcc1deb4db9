import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { clients } from '../db/schema';
import { log } from '../log';
import { now } from '../clock';
import { pokeHub } from '../sync/pokes';
import { createTradingViewClient } from './client';
import { TradingViewError } from './errors';

// The TradingView check of clients' usernames (issue 6 "Validation"): `username_hint` needs no
// session. A username TradingView knows becomes `valid` with TradingView's own spelling; one it does
// not know becomes `invalid` (which blocks granting). Checked right after a push that saved clients
// (so a username saved online is checked at once, and one edited offline when it is pushed), and
// every minute by the sync worker for whatever is still unverified (TradingView was unreachable).

/** Clients checked per run: a big import is worked through run after run, not in one burst. */
export const USERNAMES_PER_RUN = 20;

let running: Promise<number> | null = null;

/** Checks up to USERNAMES_PER_RUN unverified usernames; one run at a time per process. */
export function checkUsernames(db: Db, baseUrl: string): Promise<number> {
	running ??= run(db, baseUrl).finally(() => (running = null));
	return running;
}

async function run(db: Db, baseUrl: string): Promise<number> {
	const pending = await db
		.select({ id: clients.id, username: clients.tradingviewUsername })
		.from(clients)
		.where(and(eq(clients.tvUsernameState, 'unverified'), isNull(clients.deletedAt)))
		.orderBy(clients.updatedAt)
		.limit(USERNAMES_PER_RUN);
	if (pending.length === 0) return 0;
	const tv = createTradingViewClient({ baseUrl, timeoutMs: 10_000 });
	let checked = 0;
	for (const client of pending) {
		let canonical: string | null;
		try {
			canonical = await tv.canonicalUsername(client.username);
		} catch (error) {
			// Unreachable or refusing: leave the rest unverified for the next run.
			log.warn(
				{ kind: error instanceof TradingViewError ? error.kind : 'error' },
				'TradingView username check stopped'
			);
			break;
		}
		// Guarded by the username read: an edit made meanwhile is checked on its own.
		await db
			.update(clients)
			.set({
				tvUsernameState: canonical ? 'valid' : 'invalid',
				...(canonical ? { tradingviewUsername: canonical } : {}),
				updatedAt: now()
			})
			.where(
				and(
					eq(clients.id, client.id),
					eq(clients.tradingviewUsername, client.username),
					eq(clients.tvUsernameState, 'unverified')
				)
			);
		checked += 1;
	}
	if (checked > 0) pokeHub().poke();
	return checked;
}

/** Whether any username waits for a check (cheap; used to skip work when nothing is pending). */
export async function hasUncheckedUsernames(db: Db): Promise<boolean> {
	const [row] = await db
		.select({ one: sql<number>`1` })
		.from(clients)
		.where(and(eq(clients.tvUsernameState, 'unverified'), isNull(clients.deletedAt)))
		.limit(1);
	return row !== undefined;
}
