/**
 * `npm run demo` — PineGate with demo data and a fake TradingView, so a newcomer can try everything
 * without an account (README "Try it", docs/tradingview.md "The demo").
 *
 *   npm run demo -- [--port 3000] [--data-dir ./data-demo] [--clients 200] [--indicators 6]
 *                   [--accesses 500] [--seed demo] [--tv-port 0]
 *
 * 1. Builds the app when `build/` is missing or older than the sources (as `npm start` does).
 * 2. Wipes the demo folder (default ./data-demo, never ./data: a folder that is not empty and has no
 *    `.pinegate-demo` marker is refused) and seeds it with the deterministic factories
 *    (src/lib/server/seed.ts) plus an admin, whose e-mail and password are printed.
 * 3. Starts the fake TradingView (tests/fake-tradingview) in this process on a free port, with the
 *    vendor's scripts = the demo indicators' PUB IDs, a TradingView user for every demo client but
 *    two, the open grants already on TradingView (so they start `verified`), and some differences
 *    for reconciliation to find: TradingView users with access who are not in PineGate, grants
 *    PineGate believes are on TradingView but are not, one end date that differs. A few grants start
 *    `pending`, so the sync is seen working at start (two of them for clients TradingView does not
 *    know: they fail with TradingView's reason).
 * 4. Runs the production server (scripts/serve.js) on http://localhost:PORT (127.0.0.1 only; HOST
 *    overrides) with TRADINGVIEW_BASE_URL at the fake and the session in TRADINGVIEW_SESSIONID /
 *    TRADINGVIEW_SESSIONID_SIGN, prints what to try, and on Ctrl-C / SIGTERM stops the server (which
 *    closes PGlite) and then the fake.
 *
 * Environment: PORT, HOST, LOG_LEVEL (default `warn` here), DEMO_DATA_DIR, TV_FAKE_PORT. DATABASE_URL
 * is ignored: the demo always uses its own PGlite folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { eq, inArray } from 'drizzle-orm';
import { buildDataset } from '../tests/factories';
import { startFakeTradingView, type FakeTradingView } from '../tests/fake-tradingview/server';
import type { FakeState } from '../tests/fake-tradingview/state';
import { buildIfNeeded } from './build-if-needed.js';
import { openDatabase } from '../src/lib/server/db/client';
import { accesses, clients, indicators } from '../src/lib/server/db/schema';
import { lockDataDir } from '../src/lib/server/runtime';
import { seed, startOfUtcDay } from '../src/lib/server/seed';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_MARKER = '.pinegate-demo';
export const DEMO_ADMIN = {
	email: 'demo@example.com',
	password: 'pinegate-demo',
	name: 'Demo Admin'
};
/** Fixed demo values (not secrets), as `npm run tv:fake` uses. */
const DEMO_SESSION = { sessionid: 'demo-sessionid', sessionidSign: 'v3:demo-sessionid-sign=' };
const DEMO_VENDOR = { username: 'demo_vendor', password: 'demo-password' };
/** TradingView users with access to the vendor's scripts whom PineGate does not know. */
const STRANGERS = ['shared_login_42', 'freeloader_fx', 'old_partner', 'trial_tester'];
/** A script of the vendor's that the catalogue lacks: "Import my scripts" finds it. */
const EXTRA_SCRIPT = {
	pineId: `PUB;${'LiquiditySweeps'.padEnd(32, '0')}`,
	name: 'Liquidity Sweeps'
};

const say = (line: string) => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`demo: ${line}\n`);

interface DemoOptions {
	port: number;
	host: string;
	dataDir: string;
	clients: number;
	indicators: number;
	accesses: number;
	seed: string;
	tvPort: number;
}

function parseOptions(): DemoOptions {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			'data-dir': { type: 'string' },
			clients: { type: 'string', default: '200' },
			indicators: { type: 'string', default: '6' },
			accesses: { type: 'string', default: '500' },
			seed: { type: 'string', default: 'demo' },
			'tv-port': { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	if (values.help) {
		say(
			'Usage: npm run demo -- [--port 3000] [--data-dir ./data-demo] [--clients 200] [--indicators 6] [--accesses 500] [--seed demo] [--tv-port 0]'
		);
		process.exit(0);
	}
	const whole = (name: string, text: string | undefined, fallback: number, min = 0) => {
		const value = text === undefined ? fallback : Number(text);
		if (!Number.isSafeInteger(value) || value < min)
			throw new Error(`--${name} must be a whole number of ${min} or more (got ${text})`);
		return value;
	};
	return {
		port: whole('port', values.port ?? process.env.PORT, 3000),
		host: process.env.HOST || '127.0.0.1',
		dataDir: path.resolve(values['data-dir'] ?? process.env.DEMO_DATA_DIR ?? 'data-demo'),
		clients: whole('clients', values.clients, 200, 10),
		indicators: whole('indicators', values.indicators, 6, 2),
		accesses: whole('accesses', values.accesses, 500, 10),
		seed: values.seed,
		tvPort: whole('tv-port', values['tv-port'] ?? process.env.TV_FAKE_PORT, 0)
	};
}

/** Empties the demo folder; refuses one that holds something else or a running server. */
function resetDataDir(dataDir: string): void {
	if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
		if (!existsSync(path.join(dataDir, DEMO_MARKER)))
			throw new Error(
				`${dataDir} is not empty and is not a demo folder (no ${DEMO_MARKER}): refusing to wipe it. ` +
					'Choose another --data-dir.'
			);
		// Throws when a demo server still runs on it.
		lockDataDir(dataDir)();
	}
	rmSync(dataDir, { recursive: true, force: true });
	lockDataDir(dataDir)(); // creates the folder
	writeFileSync(
		path.join(dataDir, DEMO_MARKER),
		'PineGate demo data: wiped and seeded again by every `npm run demo`.\n'
	);
}

interface DemoPlan {
	/** Pending at start: the sync is seen working. */
	pending: string[];
	/** Verified in PineGate, missing on TradingView (a drift). */
	missing: string[];
	/** On TradingView with another end date (a drift). */
	otherEnd: string[];
	/** Clients TradingView does not know. */
	unknownClients: string[];
	unknownUsernames: string[];
}

/**
 * Seeds the demo database and the fake TradingView's state from the same deterministic dataset.
 * `at` is the wall clock: grants open at `at` are on TradingView, closed ones are not.
 */
async function seedDemo(options: DemoOptions, state: FakeState, at: Date): Promise<DemoPlan> {
	const now = startOfUtcDay(at);
	const database = await openDatabase({
		dataDir: path.join(options.dataDir, 'pglite'),
		migrationsDir: path.join(ROOT, 'drizzle')
	});
	try {
		const counts = {
			clients: options.clients,
			indicators: options.indicators,
			accesses: options.accesses
		};
		await seed(database.db, { ...counts, seed: options.seed, now, admin: DEMO_ADMIN });
		const data = buildDataset({ ...counts, seed: options.seed, now });

		for (const indicator of data.indicators)
			state.addScript({
				pineId: indicator.pubId,
				name: indicator.name,
				version: indicator.releaseVersion ?? '1.0'
			});
		state.addScript({ ...EXTRA_SCRIPT, version: '1.0' });

		const isOpen = (a: (typeof data.accesses)[number]) =>
			a.revokedAt === null && a.deletedAt === null && (a.endsAt === null || a.endsAt > at);
		const open = data.accesses.filter(isOpen);
		const byId = new Map(data.clients.map((c) => [c.id, c]));
		// Two clients with an open grant whose usernames TradingView does not know.
		const unknownClients = [...new Set(open.map((a) => a.clientId))].slice(0, 2);
		const unknown = new Set(unknownClients);
		const rest = open.filter((a) => !unknown.has(a.clientId));
		const plan: DemoPlan = {
			pending: [
				...open.filter((a) => unknown.has(a.clientId)).map((a) => a.id),
				...rest.slice(0, 3).map((a) => a.id)
			],
			missing: rest.slice(3, 5).map((a) => a.id),
			otherEnd: rest
				.slice(5)
				.filter((a) => a.endsAt !== null)
				.slice(0, 1)
				.map((a) => a.id),
			unknownClients,
			unknownUsernames: unknownClients.map((id) => byId.get(id)?.tradingviewUsername ?? '')
		};

		for (const client of data.clients)
			if (!unknown.has(client.id)) state.addUser(client.tradingviewUsername);
		const skip = new Set([...plan.pending, ...plan.missing]);
		const otherEnd = new Set(plan.otherEnd);
		for (const a of open) {
			if (skip.has(a.id)) continue;
			const username = byId.get(a.clientId)?.tradingviewUsername ?? '';
			const pine = data.indicators.find((i) => i.id === a.indicatorId)?.pubId ?? '';
			const end =
				a.endsAt && otherEnd.has(a.id) ? new Date(a.endsAt.getTime() + 14 * 86_400_000) : a.endsAt;
			state.grant(pine, username, end, a.startsAt);
		}
		const day = 86_400_000;
		const scripts = data.indicators.map((i) => i.pubId);
		STRANGERS.forEach((name, i) => {
			state.addUser(name);
			const pine = scripts[i % scripts.length] ?? '';
			state.grant(pine, name, i % 2 ? null : new Date(at.getTime() + (20 + i) * day));
		});

		// PineGate's side: what a synced install would show (TradingView states, checked usernames
		// and PUB IDs), except what the plan leaves for the sync and the username check to do live.
		const { db } = database;
		await db.transaction(async (tx) => {
			await tx.update(indicators).set({ pubIdState: 'valid' });
			await tx.update(clients).set({ tvUsernameState: 'valid' });
			if (unknownClients.length)
				await tx
					.update(clients)
					.set({ tvUsernameState: 'unverified' })
					.where(inArray(clients.id, unknownClients));
			await tx
				.update(accesses)
				.set({ tvState: 'verified', tvVerifiedAt: at, tvAttempts: 1, tvError: null })
				.where(eq(accesses.tvState, 'pending'));
			if (plan.pending.length)
				await tx
					.update(accesses)
					.set({ tvState: 'pending', tvVerifiedAt: null, tvAttempts: 0 })
					.where(inArray(accesses.id, plan.pending));
		});
		return plan;
	} finally {
		await database.close();
	}
}

function spawnServer(options: DemoOptions, fake: FakeTradingView): ChildProcess {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		NODE_ENV: 'production',
		PORT: String(options.port),
		HOST: options.host,
		DATA_DIR: options.dataDir,
		LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
		TRADINGVIEW_BASE_URL: fake.url,
		TRADINGVIEW_SESSIONID: DEMO_SESSION.sessionid,
		TRADINGVIEW_SESSIONID_SIGN: DEMO_SESSION.sessionidSign,
		TRADINGVIEW_SYNC: 'on'
	};
	delete env.DATABASE_URL;
	return spawn(process.execPath, [path.join(ROOT, 'scripts', 'serve.js')], {
		cwd: ROOT,
		env,
		stdio: ['ignore', 'inherit', 'inherit']
	});
}

async function waitForHealthy(url: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) during start`);
		try {
			if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error('the server did not answer /healthz within 120 s');
}

function banner(options: DemoOptions, fake: FakeTradingView, plan: DemoPlan, url: string): string {
	const relative = path.relative(process.cwd(), options.dataDir);
	const rel = relative && !relative.startsWith('..') ? `./${relative}` : options.dataDir;
	return [
		'',
		`PineGate demo is running: ${url}`,
		'',
		`  log in:       ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`,
		`  data:         ${options.clients} clients, ${options.indicators} indicators, ${options.accesses} grants (seed "${options.seed}") in ${rel} — wiped and seeded again at every start`,
		`  TradingView:  a fake one at ${fake.url} (vendor ${DEMO_VENDOR.username} / ${DEMO_VENDOR.password}), connected through TRADINGVIEW_SESSIONID`,
		'',
		'Things to try:',
		'  - Accesses: grants active, expiring within 7 days, expired, revoked and lifetime; filter them.',
		'  - Accesses → Grant access: within seconds the grant shows "TradingView: verified" — the server',
		'    added the user to the script on the fake TradingView and read it back. Revoke it: removed there.',
		`  - Clients: ${plan.unknownUsernames.join(' and ')} — TradingView does not know these usernames:`,
		'    shown as invalid, their pending grants failed with TradingView’s reason, and new grants are refused.',
		'  - Settings → TradingView: connected; "Import my scripts" finds a script the catalogue lacks.',
		`  - Reconciliation: ${STRANGERS.length} TradingView users have access but are not in PineGate, ${plan.missing.length} grants`,
		`    are missing on TradingView and ${plan.otherEnd.length} has another end date there.`,
		'  - Calendar and Analytics: renewals and revenue from the seeded history.',
		'',
		'Ctrl-C stops the server and the fake TradingView.',
		''
	].join('\n');
}

async function main(): Promise<number> {
	const options = parseOptions();
	let stopping = false;
	let child: ChildProcess | undefined;
	let fake: FakeTradingView | undefined;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		note('stopping…');
		if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	try {
		buildIfNeeded({ log: note });
		if (stopping) return 0;
		resetDataDir(options.dataDir);
		const at = new Date();
		fake = await startFakeTradingView({
			port: options.tvPort,
			session: DEMO_SESSION,
			credentials: DEMO_VENDOR
		});
		note(`seeding ${options.dataDir} …`);
		const started = performance.now();
		const plan = await seedDemo(options, fake.state, at);
		note(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
		if (stopping) return 0;

		child = spawnServer(options, fake);
		const exited = new Promise<number>((resolve) =>
			child!.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
		);
		const host = ['127.0.0.1', '0.0.0.0', '::', '::1'].includes(options.host)
			? 'localhost'
			: options.host;
		const url = `http://${host}:${options.port}`;
		await Promise.race([
			waitForHealthy(`http://127.0.0.1:${options.port}`, child).catch((error: unknown) => {
				if (!stopping) throw error;
			}),
			exited
		]);
		if (!stopping && child.exitCode === null) say(banner(options, fake, plan, url));
		const code = await exited;
		if (!stopping) note(`the server stopped by itself (exit ${code})`);
		return stopping ? 0 : code || 1;
	} finally {
		if (child && child.exitCode === null && child.signalCode === null) {
			const gone = new Promise((resolve) => child!.once('exit', resolve));
			child.kill('SIGTERM');
			await gone;
		}
		await fake?.close();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		note(`failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
);
