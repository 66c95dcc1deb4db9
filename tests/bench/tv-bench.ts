/**
 * `npm run bench:tv` — the TradingView figures of issue 6, measured with the real server code
 * against the fake TradingView (tests/fake-tradingview) on loopback. Goals are goals, not
 * assertions: the script prints a JSON report per part and a Markdown table to paste into
 * docs/benchmarks.md.
 *
 *   npm run bench:tv -- [--only faults|reconcile] [--database pglite|postgres]
 *                       [--ops 1000] [--rates 0.01,0.05,0.2] [--fault-seed 42] [--limit-s 900]
 *                       [--grants 10000] [--indicators 20] [--drifts 25] [--rate-per-minute 600]
 *
 * faults: for each fault rate, `--ops` grant operations (half grants; then renewals of 60 % and
 * revokes of 40 % of them, as sync.pg.test.ts does) pushed through the real `push` while the real
 * sync worker (GrantSyncWorker on pg-boss) sends them to the fake, which answers every call with a
 * transient fault (503, 429 with Retry-After 0, a dropped connection, a dropped connection after
 * the change was made) at that rate. The pacing clock moves instead of sleeping and the backoff is
 * 5–40 ms, so the run measures the worker and the database, not the configured waits. Reported:
 * the share of grants verified without human action (and a fake that matches them), the adds per
 * (script, user) pair, the calls and faults, attempts, and the wall time.
 *
 * reconcile: `--grants` grants over `--indicators` indicators inserted in bulk (seed.ts's
 * insertRows), the fake filled to match except `--drifts` differences of each kind, then
 * `runReconciliation` (src/lib/server/tradingview/reconcile) with a real clock at
 * `--rate-per-minute`: calls per second achieved against the configured limit, wall time, drifts.
 *
 * PostgreSQL: `--database postgres` with TEST_DATABASE_URL (a throwaway database is created and
 * dropped). PGlite runs in memory.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { openDatabase, type Database, type Db } from '../../src/lib/server/db/client';
import { accesses, clients, indicators, users } from '../../src/lib/server/db/schema';
import { insertRows } from '../../src/lib/server/seed';
import { createTradingViewClient } from '../../src/lib/server/tradingview/client';
import { runReconciliation } from '../../src/lib/server/tradingview/reconcile';
import { push } from '../../src/lib/server/sync/push';
import type { Clock } from '../../src/lib/server/tradingview/sync/pacing';
import { queuedJobs } from '../../src/lib/server/tradingview/sync/queue';
import { GrantSyncWorker } from '../../src/lib/server/tradingview/sync/worker';
import type { SessionUser } from '../../src/lib/shared/schemas/user';
import { CLIENT_SCHEMA_VERSION } from '../../src/lib/shared/sync/protocol';
import { startFakeTradingView, type FakeTradingView } from '../fake-tradingview/server';
import { throwawayPostgres } from '../helpers/throwaway-postgres';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MIGRATIONS = path.join(ROOT, 'drizzle');
const { values } = parseArgs({
	options: {
		only: { type: 'string' },
		database: { type: 'string', default: 'pglite' },
		ops: { type: 'string', default: '1000' },
		rates: { type: 'string', default: '0.01,0.05,0.2' },
		'fault-seed': { type: 'string', default: '42' },
		'limit-s': { type: 'string', default: '900' },
		grants: { type: 'string', default: '10000' },
		indicators: { type: 'string', default: '20' },
		drifts: { type: 'string', default: '25' },
		'rate-per-minute': { type: 'string', default: '300' }
	}
});
const KIND = values.database === 'postgres' ? 'postgres' : 'pglite';
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const silent = { info: () => {}, warn: () => {}, error: () => {} };

interface BenchDatabase extends Database {
	dispose(): Promise<void>;
}

/** A fresh migrated database: PGlite in memory, or a throwaway PostgreSQL database. */
async function freshDatabase(): Promise<BenchDatabase> {
	if (KIND === 'pglite') {
		const database = await openDatabase({ migrationsDir: MIGRATIONS });
		return { ...database, dispose: () => database.close() };
	}
	const adminUrl = process.env.TEST_DATABASE_URL;
	if (!adminUrl) throw new Error('--database postgres needs TEST_DATABASE_URL');
	const throwaway = await throwawayPostgres(adminUrl, { prefix: 'pinegate_bench' });
	const database = await openDatabase({ databaseUrl: throwaway.url, migrationsDir: MIGRATIONS });
	return {
		...database,
		dispose: async () => {
			await database.close();
			await throwaway.drop();
		}
	};
}

async function benchAdmin(db: Db): Promise<SessionUser> {
	const at = new Date();
	const user = {
		id: uuidv7(),
		email: 'bench@pinegate.test',
		name: 'Bench',
		role: 'admin' as const
	};
	// Never logs in: the hash is not a valid one on purpose.
	await db.insert(users).values({ ...user, passwordHash: 'x', createdAt: at, updatedAt: at });
	return user;
}

/** The pacing clock: sleeping moves it, so the rate limit costs no real time. */
function movingClock(): Clock {
	let t = 0;
	return {
		now: () => t,
		sleep: (ms) => {
			t += ms;
			return Promise.resolve();
		}
	};
}

function machine(): string {
	return `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB · Node ${process.version}`;
}

const chunks = <T>(list: T[], n: number) =>
	Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));

// ---------------------------------------------------------------------------------------------
// Part 1: success after retries at several transient fault rates
// ---------------------------------------------------------------------------------------------

interface FaultRun {
	rate: number;
	operations: number;
	grants: number;
	verified: number;
	failed: number;
	pendingAtEnd: number;
	verifiedShare: number;
	fakeMismatches: number;
	pairsAdded: number;
	duplicateAdds: number;
	existsAnswers: number;
	calls: number;
	faultsInjected: number;
	maxAttempts: number;
	wallSeconds: number;
	timedOut: boolean;
}

async function faultRun(fake: FakeTradingView, rate: number): Promise<FaultRun> {
	const operations = Number(values.ops);
	const grants = Math.floor(operations / 2);
	const renewed = Math.round(grants * 0.6);
	const limitMs = Number(values['limit-s']) * 1000;
	fake.reset();
	const database = await freshDatabase();
	const { db } = database;
	let worker: GrantSyncWorker | undefined;
	try {
		const admin = await benchAdmin(db);
		const deviceId = uuidv7();
		let mutationId = 0;
		const send = async (mutations: Array<[string, unknown]>) => {
			const response = await push(db, admin, {
				clientId: deviceId,
				schemaVersion: CLIENT_SCHEMA_VERSION,
				mutations: mutations.map(([name, args]) => ({
					id: ++mutationId,
					name,
					args,
					createdAt: new Date().toISOString()
				}))
			});
			if (response.status !== 'ok') throw new Error(`push ${response.status}`);
			for (const result of response.results)
				if (result.outcome !== 'applied') throw new Error(JSON.stringify(result));
		};

		// Arrange (no faults yet): one script the vendor owns, `grants` clients known to TradingView.
		const pine = `PUB;${'b'.repeat(28)}0001`;
		fake.state.addScript({ pineId: pine, name: 'Bench Trend' });
		const indicatorId = uuidv7();
		const clientIds = Array.from({ length: grants }, () => uuidv7());
		const username = (i: number) => `bench_trader_${i}`;
		for (let i = 0; i < grants; i++) fake.state.addUser(username(i));
		await send([['indicator.create', { id: indicatorId, fields: { name: 'Trend', pubId: pine } }]]);
		for (const part of chunks(clientIds, 100))
			await send(
				part.map((id) => [
					'client.create',
					{
						id,
						fields: { tradingviewUsername: username(clientIds.indexOf(id)), fullName: 'Bench' }
					}
				])
			);

		fake.faults.random({
			probability: rate,
			seed: Number(values['fault-seed']),
			faults: [
				{ kind: 'server_error', status: 503 },
				{ kind: 'rate_limit', retryAfter: '0' },
				{ kind: 'drop' },
				{ kind: 'drop', applied: true }
			]
		});
		const requestsBefore = fake.requests.length;
		worker = new GrantSyncWorker({
			db,
			exec: (q) => database.exec(q),
			baseUrl: fake.url,
			session: () => Promise.resolve(fake.state.session),
			ratePerMinute: 600,
			clock: movingClock(),
			backoff: { baseMs: 5, capMs: 40 },
			pollMs: 10,
			timeoutMs: 2_000,
			log: silent
		});
		const started = performance.now();
		await worker.start();

		const accessIds = clientIds.map(() => uuidv7());
		for (const part of chunks(accessIds, 50))
			await send(
				part.map((accessId) => [
					'access.grant',
					{
						clientId: clientIds[accessIds.indexOf(accessId)],
						items: [{ indicatorId, accessId, eventId: uuidv7() }],
						duration: { kind: 'preset', preset: '30d' },
						accessType: 'paid',
						note: null
					}
				])
			);
		const ends = new Map(
			(await db.select({ id: accesses.id, endsAt: accesses.endsAt }).from(accesses)).map((r) => [
				r.id,
				r.endsAt
			])
		);
		for (const part of chunks(accessIds.slice(0, renewed), 50))
			await send(
				part.map((accessId) => [
					'access.renew',
					{
						accessId,
						eventId: uuidv7(),
						conflictEventId: uuidv7(),
						notificationId: uuidv7(),
						baseEndsAt: ends.get(accessId)!.toISOString(),
						duration: { kind: 'preset', preset: '7d' },
						note: null
					}
				])
			);
		for (const part of chunks(accessIds.slice(renewed), 50))
			await send(
				part.map((accessId) => ['access.revoke', { accessId, eventId: uuidv7(), reason: 'refund' }])
			);
		log(`rate ${rate}: ${operations} operations pushed; waiting for the worker`);

		const tally = async () => {
			const rows = await db
				.select({ s: accesses.tvState, n: sql<number>`count(*)::int` })
				.from(accesses)
				.groupBy(accesses.tvState);
			return Object.fromEntries(rows.map((r) => [r.s, Number(r.n)])) as Record<string, number>;
		};
		let counts = await tally();
		let timedOut = false;
		let lastLog = performance.now();
		for (;;) {
			counts = await tally();
			const settled = (counts.verified ?? 0) + (counts.failed ?? 0);
			if (settled === grants && (await queuedJobs(db)) === 0) break;
			if (performance.now() - started > limitMs) {
				timedOut = true;
				break;
			}
			if (performance.now() - lastLog > 15_000) {
				log(
					`rate ${rate}: ${JSON.stringify(counts)} after ${round((performance.now() - started) / 1000)} s`
				);
				lastLog = performance.now();
			}
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		const wallSeconds = (performance.now() - started) / 1000;
		await worker.stop();
		worker = undefined;

		// TradingView as the fake holds it: renewed grants with their end, revoked ones gone.
		const rows = await db
			.select({ id: accesses.id, endsAt: accesses.endsAt, revokedAt: accesses.revokedAt })
			.from(accesses);
		let fakeMismatches = 0;
		for (const r of rows) {
			const i = accessIds.indexOf(r.id);
			const onTv = fake.state.grantOf(pine, username(i));
			const second = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : null);
			const ok = r.revokedAt
				? onTv === undefined
				: onTv !== undefined && second(onTv.expiration) === second(r.endsAt);
			if (!ok) fakeMismatches++;
		}
		const requests = fake.requests.slice(requestsBefore);
		const addsPerUser = new Map<string, number>();
		let existsAnswers = 0;
		for (const r of requests.filter((q) => q.path === '/pine_perm/add/')) {
			if (r.status === 200) existsAnswers++;
			// A dropped connection after the change counts too: TradingView did add the user.
			if (r.status === 201 || (r.fault === 'drop' && r.faultApplied)) {
				const name = r.body.username_recip ?? '';
				addsPerUser.set(name, (addsPerUser.get(name) ?? 0) + 1);
			}
		}
		const [attempts] = await db
			.select({ max: sql<number>`max(${accesses.tvAttempts})::int` })
			.from(accesses);
		const verified = counts.verified ?? 0;
		return {
			rate,
			operations,
			grants,
			verified,
			failed: counts.failed ?? 0,
			pendingAtEnd: counts.pending ?? 0,
			verifiedShare: round((verified / grants) * 100, 2),
			fakeMismatches,
			pairsAdded: addsPerUser.size,
			duplicateAdds: [...addsPerUser.values()].filter((n) => n > 1).length,
			existsAnswers,
			calls: requests.length,
			faultsInjected: requests.filter((r) => r.fault).length,
			maxAttempts: Number(attempts?.max ?? 0),
			wallSeconds: round(wallSeconds),
			timedOut
		};
	} finally {
		await worker?.stop();
		fake.faults.reset();
		await database.dispose();
	}
}

async function faultsPart(): Promise<FaultRun[]> {
	const rates = values.rates.split(',').map(Number);
	const fake = await startFakeTradingView();
	const runs: FaultRun[] = [];
	try {
		for (const rate of rates) {
			log(`fault rate ${rate * 100} %: ${values.ops} operations on ${KIND}`);
			const run = await faultRun(fake, rate);
			log(JSON.stringify(run));
			runs.push(run);
		}
	} finally {
		await fake.close();
	}
	process.stdout.write(`${JSON.stringify({ part: 'faults', database: KIND, runs }, null, 1)}\n`);
	process.stdout.write(
		[
			'',
			`| fault rate | operations | verified without human action | failed | fake matches | duplicate add | calls (faults) | max attempts | wall time |`,
			`| ---------- | ---------- | ----------------------------- | ------ | ------------ | ------------- | -------------- | ------------ | --------- |`,
			...runs.map(
				(r) =>
					`| ${r.rate * 100} % | ${r.operations} | ${r.verified}/${r.grants} (${r.verifiedShare} %) | ${r.failed} | ${r.grants - r.fakeMismatches}/${r.grants} | ${r.duplicateAdds} | ${r.calls} (${r.faultsInjected}) | ${r.maxAttempts} | ${r.wallSeconds} s${r.timedOut ? ' (limit)' : ''} |`
			),
			''
		].join('\n')
	);
	return runs;
}

// ---------------------------------------------------------------------------------------------
// Part 2: reconciliation of many grants at a configured rate
// ---------------------------------------------------------------------------------------------

interface ReconcileFigures {
	database: string;
	grants: number;
	indicators: number;
	clients: number;
	entriesOnTradingView: number;
	driftsArranged: Record<string, number>;
	ratePerMinute: number;
	state: string;
	error?: string;
	drifts: Record<string, number>;
	calls: number;
	entriesScanned: number;
	grantsCompared: number;
	wallSeconds: number;
	seedSeconds: number;
	configuredCallsPerSecond: number;
	achievedCallsPerSecond: number;
	achievedShare: number;
	/** After the token bucket's initial burst (rate/6 calls): the rate the limit holds it to. */
	steadyCallsPerSecond: number;
	steadyShare: number;
	burst: number;
}

async function reconcilePart(): Promise<ReconcileFigures> {
	const grants = Number(values.grants);
	const indicatorCount = Number(values.indicators);
	const perDrift = Number(values.drifts);
	const ratePerMinute = Number(values['rate-per-minute']);
	const PER_CLIENT = 4;
	const clientCount = Math.ceil(grants / PER_CLIENT);
	const fake = await startFakeTradingView();
	const database = await freshDatabase();
	const { db } = database;
	try {
		const seedStarted = performance.now();
		const at = new Date();
		const day = 86_400_000;
		const pine = (i: number) => `PUB;${'r'.repeat(28)}${String(i).padStart(4, '0')}`;
		const username = (c: number) => `recon_trader_${c}`;
		const indicatorRows = Array.from({ length: indicatorCount }, (_, i) => ({
			id: uuidv7(),
			name: `Bench indicator ${i}`,
			pubId: pine(i),
			pubIdState: 'valid' as const,
			releaseVersion: '1.0.0',
			lastUpdatedAt: at,
			status: 'production' as const,
			description: null,
			createdAt: at,
			updatedAt: at,
			deletedAt: null
		}));
		const clientRows = Array.from({ length: clientCount }, (_, c) => ({
			id: uuidv7(),
			tradingviewUsername: username(c),
			tvUsernameState: 'valid' as const,
			email: null,
			fullName: `Trader ${c}`,
			registeredAt: at,
			status: 'active' as const,
			notes: null,
			createdAt: at,
			updatedAt: at,
			deletedAt: null
		}));
		// Client c holds indicators 4c … 4c+3 (mod the count): at most one grant per pair.
		const indicatorOf = (c: number, k: number) => (PER_CLIENT * c + k) % indicatorCount;
		const grantRows = Array.from({ length: grants }, (_, g) => {
			const c = Math.floor(g / PER_CLIENT);
			const endsAt = g % 10 === 0 ? null : new Date(at.getTime() + (1 + (g % 365)) * day);
			return {
				id: uuidv7(),
				clientId: clientRows[c]!.id,
				indicatorId: indicatorRows[indicatorOf(c, g % PER_CLIENT)]!.id,
				startsAt: new Date(at.getTime() - 10 * day),
				endsAt,
				revokedAt: null,
				revokeReason: null,
				accessType: 'paid' as const,
				tvState: 'verified' as const,
				tvError: null,
				tvAttempts: 1,
				tvVerifiedAt: at,
				createdAt: at,
				updatedAt: at,
				deletedAt: null
			};
		});
		for (const part of chunks(clientRows, 5_000)) await insertRows(db, clients, part);
		await insertRows(db, indicators, indicatorRows);
		for (const part of chunks(grantRows, 5_000)) await insertRows(db, accesses, part);

		// TradingView matches, except perDrift differences of each kind.
		for (const script of indicatorRows) fake.state.addScript({ pineId: script.pubId });
		for (const c of clientRows) fake.state.addUser(c.tradingviewUsername);
		const arranged = { missing: 0, expiry_mismatch: 0, leak: 0, unknown_user: 0 };
		grantRows.forEach((grant, g) => {
			const c = Math.floor(g / PER_CLIENT);
			const script = pine(indicatorOf(c, g % PER_CLIENT));
			if (g < perDrift) {
				arranged.missing++;
				return; // PineGate says verified; TradingView does not list it
			}
			let expiration = grant.endsAt;
			if (g < 2 * perDrift) {
				arranged.expiry_mismatch++;
				expiration = new Date((grant.endsAt ?? at).getTime() + 3 * day);
			}
			fake.state.grant(script, username(c), expiration, grant.startsAt);
		});
		for (let i = 0; i < perDrift; i++) {
			// A known client listed on a script PineGate never granted them.
			const c = 7 * i + 3;
			fake.state.grant(pine(indicatorOf(c, PER_CLIENT)), username(c), null);
			arranged.leak++;
			// A TradingView user PineGate does not know.
			fake.state.grant(pine(i % indicatorCount), `stranger_${i}`, null);
			arranged.unknown_user++;
		}
		let entriesOnTradingView = 0;
		for (const list of fake.state.grants.values()) entriesOnTradingView += list.size;
		const seedSeconds = (performance.now() - seedStarted) / 1000;
		log(
			`reconcile: ${grants} grants, ${clientCount} clients, ${indicatorCount} indicators seeded in ${round(seedSeconds)} s; ${entriesOnTradingView} entries on TradingView; ${ratePerMinute}/min`
		);

		const callTimes: number[] = [];
		const client = createTradingViewClient({
			baseUrl: fake.url,
			sessionid: fake.state.session.sessionid,
			sessionidSign: fake.state.session.sessionidSign,
			fetch: (input, init) => {
				callTimes.push(performance.now());
				return fetch(input, init);
			}
		});
		const started = performance.now();
		const summary = await runReconciliation(db, {
			actor: { id: null, label: 'bench' },
			client,
			ratePerMinute
		});
		const wallSeconds = (performance.now() - started) / 1000;
		const burst = Math.max(1, Math.ceil(ratePerMinute / 6));
		const last = callTimes.at(-1) ?? started;
		const steadyFrom = callTimes[burst - 1];
		const configured = ratePerMinute / 60;
		const achieved = summary.calls / wallSeconds;
		// Calls after the burst, over the time from the burst's last call to the last call.
		const steady =
			steadyFrom !== undefined && last > steadyFrom
				? (callTimes.length - burst) / ((last - steadyFrom) / 1000)
				: NaN;
		const figures: ReconcileFigures = {
			database: KIND,
			grants,
			indicators: indicatorCount,
			clients: clientCount,
			entriesOnTradingView,
			driftsArranged: arranged,
			ratePerMinute,
			state: summary.state,
			...(summary.error ? { error: summary.error } : {}),
			drifts: summary.drifts,
			calls: summary.calls,
			entriesScanned: summary.entriesScanned,
			grantsCompared: summary.grantsCompared,
			wallSeconds: round(wallSeconds),
			seedSeconds: round(seedSeconds),
			configuredCallsPerSecond: round(configured, 2),
			achievedCallsPerSecond: round(achieved, 2),
			achievedShare: round((achieved / configured) * 100),
			steadyCallsPerSecond: round(steady, 2),
			steadyShare: round((steady / configured) * 100),
			burst
		};
		process.stdout.write(`${JSON.stringify({ part: 'reconcile', ...figures }, null, 1)}\n`);
		process.stdout.write(
			[
				'',
				'| figure | value |',
				'| ------ | ----- |',
				`| grants / indicators / entries on TradingView | ${grants} / ${indicatorCount} / ${entriesOnTradingView} |`,
				`| list calls | ${summary.calls} |`,
				`| configured rate | ${ratePerMinute}/min = ${round(configured, 2)} calls/s |`,
				`| achieved, whole run | ${round(achieved, 2)} calls/s (${figures.achievedShare} %) |`,
				`| achieved after the first ${burst} calls (burst) | ${round(steady, 2)} calls/s (${figures.steadyShare} %) |`,
				`| wall time | ${round(wallSeconds)} s |`,
				`| drifts found (arranged) | ${Object.entries(summary.drifts)
					.map(([k, n]) => `${k} ${n} (${arranged[k as keyof typeof arranged]})`)
					.join(', ')} |`,
				''
			].join('\n')
		);
		return figures;
	} finally {
		await fake.close();
		await database.dispose();
	}
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	log(
		`machine: ${machine()} · load average ${os
			.loadavg()
			.map((n) => round(n))
			.join(' ')}`
	);
	if (values.only !== 'reconcile') await faultsPart();
	if (values.only !== 'faults') await reconcilePart();
	log(
		`done · load average ${os
			.loadavg()
			.map((n) => round(n))
			.join(' ')}`
	);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		process.exit(1);
	}
);
