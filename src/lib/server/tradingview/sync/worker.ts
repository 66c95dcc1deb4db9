import { and, eq, gt, isNull, ne, or, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { uuidv7 } from 'uuidv7';
import { now as serverNow } from '../../clock';
import type { Db } from '../../db/client';
import { accessEvents, accesses, clients, indicators, notifications } from '../../db/schema';
import { bossDb, createBoss } from '../../jobs/boss';
import { log as rootLog } from '../../log';
import { pokeHub } from '../../sync/pokes';
import { createTradingViewClient, type AccessEntry, type TradingViewClient } from '../client';
import type { TradingViewSession } from '../connection';
import { TradingViewError } from '../errors';
import { checkUsernames } from '../usernames';
import { checkPubIds } from '../scripts';
import { checkSessionHealth } from '../session-health';
import {
	defaultBackoff,
	realClock,
	retryDelayMs,
	TokenBucket,
	type BackoffOptions,
	type Clock
} from './pacing';
import {
	enqueueExpired,
	enqueueGrantSync,
	isPaused,
	onEnqueued,
	pauseWrites,
	releaseStaleJobs,
	SYNC_QUEUE,
	touchActiveJob,
	type SyncJob
} from './queue';

// The TradingView sync worker (docs/tradingview-sync.md). One per install, one job at a time (the
// queue's `singleton` policy keeps it so across server instances), every call paced by a token
// bucket. A job makes TradingView match the grant's current row, then reads it back: only an exact
// match makes the grant `verified`.

/** A read-back that still differs after a write this many times fails the grant. */
export const MAX_MISMATCHES = 5;

/** Pending grants without a job re-queued per recovery (at start, then every tick). */
const RECOVER_PER_RUN = 1000;

/** How often the worker says it is still working its job (the job's `started_on` moves). */
export const JOB_HEARTBEAT_MS = 5_000;
/** An active job nobody said that of for this long is released (`releaseStaleJobs`). */
export const STALE_JOB_MS = 20_000;

export interface GrantSyncOptions {
	db: Db;
	/** Parameterless SQL on a connection (pg-boss's own schema upgrades). */
	exec: (sqlText: string) => Promise<void>;
	baseUrl: string;
	/** The vendor's session now (saved cookies, else env), or null: jobs then wait. */
	session: (db: Db) => Promise<TradingViewSession | null>;
	ratePerMinute: number;
	/** Pacing clock (token bucket); tests pass one that moves instead of sleeping. */
	clock?: Clock;
	/** Server clock: whether a grant has ended. */
	now?: () => Date;
	backoff?: BackoffOptions;
	/** How often to look for jobs when idle (new jobs in this process wake it at once). */
	pollMs?: number;
	/** The expiry check (`enqueueExpired`). */
	tickMs?: number;
	timeoutMs?: number;
	/**
	 * Check the session before working a job, at most this often (ms): an expired session then
	 * pauses writes before a grant spends an attempt on it. Unset: no check here (the hourly job's).
	 */
	sessionCheckMs?: number;
	/** Heartbeat of the job in hand, and the silence after which another's active job is released. */
	heartbeatMs?: number;
	staleJobMs?: number;
	log?: Pick<typeof rootLog, 'info' | 'warn' | 'error'>;
}

interface GrantRow {
	id: string;
	version: number;
	endsAt: Date | null;
	revokedAt: Date | null;
	deletedAt: Date | null;
	tvState: string;
	tvAttempts: number;
	clientId: string;
	indicatorId: string;
	username: string;
	pineId: string;
}

interface Wanted {
	member: boolean;
	expiration: Date | null;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** An exact match: member or not, and the same expiration to the second (null = lifetime). */
export function matches(entry: AccessEntry | null, wanted: Wanted): boolean {
	if (!wanted.member) return entry === null;
	if (!entry) return false;
	if (wanted.expiration === null || entry.expiration === null)
		return wanted.expiration === entry.expiration;
	return seconds(wanted.expiration) === seconds(entry.expiration);
}

export class GrantSyncWorker {
	private readonly boss: PgBoss;
	private readonly bucket: TokenBucket;
	private readonly now: () => Date;
	private readonly log: NonNullable<GrantSyncOptions['log']>;
	private stopping = false;
	private loop: Promise<void> | undefined;
	private wakeUp: (() => void) | undefined;
	private tick: NodeJS.Timeout | undefined;
	private periodic: Promise<void> | undefined;
	private unlisten: (() => void) | undefined;
	private client: { key: string; client: TradingViewClient } | undefined;
	private lastSessionCheck = -Infinity;
	private lastStaleCheck = -Infinity;

	constructor(private readonly options: GrantSyncOptions) {
		this.boss = createBoss(bossDb(options.db, options.exec));
		this.boss.on('error', (error) => this.log.error({ err: error }, 'job queue error'));
		this.bucket = new TokenBucket(options.ratePerMinute, options.clock ?? realClock);
		this.now = options.now ?? serverNow;
		this.log = options.log ?? rootLog;
	}

	async start(): Promise<void> {
		await this.boss.start();
		this.unlisten = onEnqueued(() => this.wakeUp?.());
		this.loop = this.run();
		// Recovery and the expiry check can take long on a big database (an upgrade with many pending
		// grants): they run beside the loop, so the server answers from its first second.
		this.periodic = this.checkExpired();
		this.tick = setInterval(() => void this.checkExpired(), this.options.tickMs ?? 60_000);
		this.tick.unref();
	}

	/** Finishes the job in hand, then stops; waiting jobs stay in the database for the next start. */
	async stop(): Promise<void> {
		this.stopping = true;
		if (this.tick) clearInterval(this.tick);
		this.unlisten?.();
		this.wakeUp?.();
		await this.periodic;
		await this.loop;
		await this.boss.stop({ graceful: true, close: false, wait: true, timeout: 1000 });
	}

	/** Pending grants without a waiting job (a crash between commit and pg-boss, a purge): one each. */
	private async recover(): Promise<void> {
		try {
			await this.recoverPending();
		} catch (error) {
			this.log.error({ err: error }, 'TradingView sync: recovery failed');
		}
	}

	private async recoverPending(): Promise<void> {
		// Nothing can reach TradingView without a session; the grants wait, and are recovered once
		// one is saved (resumeAfterNewSession) or at a later start.
		if (!(await this.options.session(this.options.db))) return;
		const rows = await this.options.db.execute<{ id: string }>(sql`
			select a.id from accesses a
			where a.tv_state = 'pending' and a.deleted_at is null
			and not exists (
				select 1 from pgboss.job j
				where j.name = ${SYNC_QUEUE} and j.state < 'completed' and j.data->>'accessId' = a.id::text
			)
			limit ${RECOVER_PER_RUN}`);
		const ids = (Array.isArray(rows) ? rows : (rows as { rows: { id: string }[] }).rows) as {
			id: string;
		}[];
		for (const { id } of ids) await enqueueGrantSync(this.options.db, id);
		if (ids.length)
			this.log.info({ grants: ids.length }, 'TradingView sync: re-queued pending grants');
	}

	private async checkExpired(): Promise<void> {
		await this.recover();
		try {
			await enqueueExpired(this.options.db, this.now());
			// Usernames left unverified (TradingView was unreachable when they were pushed).
			const session = await this.options.session(this.options.db);
			if (session) {
				await checkUsernames(this.options.db, this.options.baseUrl);
				await checkPubIds(this.options.db, this.clientFor(session));
			}
		} catch (error) {
			this.log.error({ err: error }, 'TradingView sync: periodic check failed');
		}
	}

	private idle(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(done, ms);
			function done() {
				clearTimeout(timer);
				resolve();
			}
			this.wakeUp = done;
		});
	}

	private async run(): Promise<void> {
		while (!this.stopping) {
			let worked = false;
			try {
				await this.releaseStale();
				worked = await this.step();
			} catch (error) {
				this.log.error({ err: error }, 'TradingView sync: step failed');
			}
			if (!worked && !this.stopping) await this.idle(this.options.pollMs ?? 1000);
		}
	}

	/** Jobs whose worker went silent go back to the queue (checked every heartbeat period). */
	private async releaseStale(): Promise<void> {
		const every = this.options.heartbeatMs ?? JOB_HEARTBEAT_MS;
		if (Date.now() - this.lastStaleCheck < every) return;
		this.lastStaleCheck = Date.now();
		const released = await releaseStaleJobs(
			this.options.db,
			this.options.staleJobMs ?? STALE_JOB_MS
		);
		if (released > 0)
			this.log.warn({ jobs: released }, 'TradingView sync: released jobs left by a stopped worker');
	}

	/** One job, if there is one to work on. */
	async step(): Promise<boolean> {
		const { db } = this.options;
		const session = await this.options.session(db);
		if (!session) return false; // not connected: jobs wait, grants stay pending
		const [job] = await this.boss.fetch<SyncJob>(SYNC_QUEUE, { batchSize: 1 });
		if (!job) return false;
		// Read after the fetch: new cookies lift the pause and queue the paused grants in one
		// transaction, so a job queued by that sees the pause gone (read before, it was paused again).
		let paused = await isPaused(db);
		// Other instances see this job is being worked (and not left by a dead process).
		const heartbeat = setInterval(
			() => void touchActiveJob(db, job.id).catch(() => {}),
			this.options.heartbeatMs ?? JOB_HEARTBEAT_MS
		);
		try {
			if (!paused) paused = await this.sessionExpired(session);
			await this.handle(job.data.accessId, session, paused);
			await this.boss.complete(SYNC_QUEUE, job.id);
		} catch (error) {
			// Not a TradingView answer (the database, a bug): pg-boss retries it later. If the database
			// is gone this fails too and the job stays active: its silence then releases it.
			this.log.error({ err: error, accessId: job.data.accessId }, 'TradingView sync job failed');
			await this.boss.fail(SYNC_QUEUE, job.id, { message: String(error) });
		} finally {
			clearInterval(heartbeat);
		}
		return true;
	}

	/** The session check before a job (cached for `sessionCheckMs`); true when it paused writes. */
	private async sessionExpired(session: TradingViewSession): Promise<boolean> {
		const every = this.options.sessionCheckMs;
		if (every === undefined || Date.now() - this.lastSessionCheck < every) return false;
		this.lastSessionCheck = Date.now();
		try {
			await this.bucket.take();
			const health = await checkSessionHealth(this.options.db, this.now(), this.clientFor(session));
			return health.state === 'expired';
		} catch (error) {
			this.log.error({ err: error }, 'TradingView sync: session check failed');
			return false;
		}
	}

	private clientFor(session: TradingViewSession): TradingViewClient {
		const key = `${session.sessionid}\n${session.sessionidSign}`;
		if (this.client?.key !== key) {
			this.client = {
				key,
				client: createTradingViewClient({
					baseUrl: this.options.baseUrl,
					sessionid: session.sessionid,
					sessionidSign: session.sessionidSign,
					timeoutMs: this.options.timeoutMs ?? 15_000
				})
			};
		}
		return this.client.client;
	}

	private async grant(accessId: string): Promise<GrantRow | undefined> {
		const [row] = await this.options.db
			.select({
				id: accesses.id,
				version: accesses.version,
				endsAt: accesses.endsAt,
				revokedAt: accesses.revokedAt,
				deletedAt: accesses.deletedAt,
				tvState: accesses.tvState,
				tvAttempts: accesses.tvAttempts,
				clientId: accesses.clientId,
				indicatorId: accesses.indicatorId,
				username: clients.tradingviewUsername,
				pineId: indicators.pubId
			})
			.from(accesses)
			.innerJoin(clients, eq(clients.id, accesses.clientId))
			.innerJoin(indicators, eq(indicators.id, accesses.indicatorId))
			.where(eq(accesses.id, accessId));
		return row ? { ...row, version: Number(row.version) } : undefined;
	}

	/**
	 * What TradingView should show for the grant's (client, indicator) pair, which has one member
	 * entry whatever grants it has had. A grant that no longer gives access wants the member gone
	 * only while no other grant of the pair gives access: a revoked grant's removal retried after a
	 * fault could otherwise remove the member that a newer grant of the pair had added and verified
	 * (found by the fault soak, 2026-12-07).
	 */
	private async wantedFor(row: GrantRow, at: Date): Promise<Wanted> {
		if (row.revokedAt === null && row.deletedAt === null && (!row.endsAt || row.endsAt > at))
			return { member: true, expiration: row.endsAt };
		const [open] = await this.options.db
			.select({ endsAt: accesses.endsAt })
			.from(accesses)
			.where(
				and(
					eq(accesses.clientId, row.clientId),
					eq(accesses.indicatorId, row.indicatorId),
					ne(accesses.id, row.id),
					isNull(accesses.revokedAt),
					isNull(accesses.deletedAt),
					or(isNull(accesses.endsAt), gt(accesses.endsAt, at))
				)
			)
			.limit(1);
		return open
			? { member: true, expiration: open.endsAt }
			: { member: false, expiration: row.endsAt };
	}

	private async handle(accessId: string, session: TradingViewSession, paused: boolean) {
		const row = await this.grant(accessId);
		// Only pending grants have work: verified ones already match, failed/paused ones wait for a person.
		if (!row || row.tvState !== 'pending') return;
		const attempt = row.tvAttempts + 1;
		if (paused) {
			await this.settle(row, {
				tvState: 'paused',
				tvError: 'TradingView session expired: writes are paused until new cookies are saved'
			});
			return;
		}
		const wanted = await this.wantedFor(row, this.now());
		try {
			const client = this.clientFor(session);
			if (await this.reconcile(client, row, wanted)) {
				await this.settle(
					row,
					{ tvState: 'verified', tvError: null, tvAttempts: attempt },
					'tv_verified'
				);
			} else if (attempt >= MAX_MISMATCHES) {
				await this.settle(
					row,
					{
						tvState: 'failed',
						tvError: 'TradingView did not keep the change',
						tvAttempts: attempt
					},
					'tv_failed'
				);
			} else {
				await this.retry(row, attempt, 'TradingView did not show the change yet', undefined);
			}
		} catch (error) {
			if (!(error instanceof TradingViewError)) throw error;
			if (error.kind === 'session') {
				const reason = error.detail ?? error.message;
				await this.options.db.transaction(async (tx) => {
					if (await pauseWrites(tx, this.now(), reason)) pokeHub().poke();
				});
				await this.settle(row, {
					tvState: 'paused',
					tvError: 'TradingView session expired: writes are paused until new cookies are saved',
					tvAttempts: attempt
				});
				this.log.warn({ accessId }, 'TradingView session expired: sync paused');
			} else if (error.retryable) {
				await this.retry(row, attempt, error.message, error.retryAfterMs);
			} else {
				const reason = (error.detail ?? error.message).slice(0, 500);
				await this.settle(
					row,
					{ tvState: 'failed', tvError: reason, tvAttempts: attempt },
					'tv_failed'
				);
			}
		}
	}

	/** Makes TradingView match `wanted`; true when the read-back matches. Never adds twice. */
	private async reconcile(client: TradingViewClient, row: GrantRow, wanted: Wanted) {
		const call = async <T>(fn: () => Promise<T>): Promise<T> => {
			await this.bucket.take();
			return fn();
		};
		const before = await call(() => client.findAccess(row.pineId, row.username));
		if (matches(before, wanted)) return true; // already so (an earlier try that timed out, say)
		if (!wanted.member) {
			await call(() => client.remove(row.pineId, row.username));
		} else if (before) {
			await call(() => client.modifyExpiration(row.pineId, row.username, wanted.expiration));
		} else {
			const added = await call(() => client.add(row.pineId, row.username, wanted.expiration));
			if (added.status === 'exists')
				await call(() => client.modifyExpiration(row.pineId, row.username, wanted.expiration));
		}
		const after = await call(() => client.findAccess(row.pineId, row.username));
		return matches(after, wanted);
	}

	/**
	 * Records the outcome unless the grant changed while TradingView was called (its change queued
	 * its own job, which will see the new row).
	 */
	private async settle(
		row: GrantRow,
		patch: Partial<typeof accesses.$inferInsert>,
		event?: 'tv_verified' | 'tv_failed'
	): Promise<void> {
		const at = this.now();
		const changed = await this.options.db.transaction(async (tx) => {
			const updated = await tx
				.update(accesses)
				.set({ ...patch, ...(patch.tvState === 'verified' ? { tvVerifiedAt: at } : {}) })
				.where(and(eq(accesses.id, row.id), eq(accesses.version, row.version)))
				.returning({ id: accesses.id });
			if (updated.length === 0) return false;
			if (event)
				await tx.insert(accessEvents).values({
					id: uuidv7(),
					accessId: row.id,
					clientId: row.clientId,
					indicatorId: row.indicatorId,
					kind: event,
					at,
					actor: 'system',
					newEndsAt: row.endsAt,
					note: event === 'tv_failed' ? (patch.tvError ?? null) : null
				});
			// A refusal needs a person (a wrong username, a script the account cannot manage).
			if (event === 'tv_failed')
				await tx.insert(notifications).values({
					id: uuidv7(),
					kind: 'tradingview_sync_failed',
					entity: 'accesses',
					entityId: row.id,
					data: {
						clientId: row.clientId,
						indicatorId: row.indicatorId,
						username: row.username,
						reason: patch.tvError ?? null
					},
					at,
					userId: null
				});
			return true;
		});
		if (changed) pokeHub().poke();
	}

	private async retry(row: GrantRow, attempt: number, message: string, retryAfterMs?: number) {
		const delay = retryDelayMs(attempt, retryAfterMs, this.options.backoff ?? defaultBackoff);
		const changed = await this.options.db.transaction(async (tx) => {
			const updated = await tx
				.update(accesses)
				.set({ tvAttempts: attempt, tvError: message.slice(0, 500) })
				.where(and(eq(accesses.id, row.id), eq(accesses.version, row.version)))
				.returning({ id: accesses.id });
			if (updated.length === 0) return false;
			await enqueueGrantSync(tx, row.id, { startAfter: new Date(Date.now() + delay) });
			return true;
		});
		if (changed) pokeHub().poke();
	}
}

let current: GrantSyncWorker | undefined;

export async function startGrantSync(options: GrantSyncOptions): Promise<GrantSyncWorker> {
	const worker = new GrantSyncWorker(options);
	await worker.start();
	current = worker;
	return worker;
}

export async function stopGrantSync(): Promise<void> {
	const worker = current;
	current = undefined;
	await worker?.stop();
}
