/**
 * `npm run soak -- --minutes N [--seed S] [--no-record]` — the fault soak (issue 8, docs/reliability.md).
 *
 * Five simulated devices (the app's real sync engine, over HTTP) edit clients, scripts and grants
 * against two real server instances (`node scripts/serve.js` of the build) on one private
 * PostgreSQL, while: devices go offline at random, an instance is SIGKILLed in the middle of a push
 * and started again (every ~20 s), PostgreSQL is restarted (at 40 % of the run, then every 8
 * minutes), and the fake TradingView answers 4 % of its calls with a transient fault. Then the
 * faults stop, everything settles (bounded), and the checks run (checks.ts). The summary is printed,
 * the figures replace this length's section of docs/reliability.md, and the exit code is 1 on any
 * finding.
 *
 * The seed fixes every random choice (edits, offline periods, which instance, fault picks) and is
 * printed first; the timing of a run on a busy machine still varies, so a replay is close, not exact.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { prng } from '../helpers/devices';
import { chaosLoop, deviceLoop, type Counters } from './chaos';
import { failures, runChecks } from './checks';
import type { Device } from './device';
import { startPgCluster, type PgCluster } from './pg-cluster';
import { recordRun, renderSection } from './report';
import { freePort, Instance, ROOT } from './servers';
import { createDevices, observerOf } from './setup';
import { lastVersion, settle, syncAll } from './settle';
import { startSoakTradingView, type SoakTradingView } from './tradingview';

const { values } = parseArgs({
	options: {
		minutes: { type: 'string', default: '2' },
		seed: { type: 'string' },
		'no-record': { type: 'boolean', default: false },
		'settle-s': { type: 'string' },
		'tv-fault-rate': { type: 'string', default: '0.04' }
	}
});
const minutes = Number(values.minutes);
const seed = values.seed !== undefined ? Number(values.seed) : randomInt(1, 2 ** 31 - 1);
if (!(minutes > 0) || !Number.isInteger(seed)) {
	process.stderr.write('usage: npm run soak -- --minutes N [--seed INTEGER] [--no-record]\n');
	process.exit(2);
}
const log = (line: string) => process.stderr.write(`soak: ${line}\n`);
log(`seed ${seed}, ${minutes} min (replay: npm run soak -- --minutes ${minutes} --seed ${seed})`);

const workDir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-soak-'));
let cluster: PgCluster | undefined;
let tv: SoakTradingView | undefined;
const instances: Instance[] = [];
let cleaned = false;

async function cleanup(): Promise<void> {
	if (cleaned) return;
	cleaned = true;
	await Promise.all(instances.map((i) => i.kill().catch(() => {})));
	for (const instance of instances) instance.closeLog();
	await tv?.close().catch(() => {});
	cluster?.destroy();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
	process.once(signal, () => {
		log(`${signal}: stopping servers, removing the private PostgreSQL`);
		void cleanup().finally(() => {
			rmSync(workDir, { recursive: true, force: true });
			process.exit(130);
		});
	});

async function main(): Promise<number> {
	const startedAt = new Date();
	const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-if-needed.js')], {
		stdio: 'inherit'
	});
	if (build.status !== 0) throw new Error('the build failed');

	cluster = startPgCluster(await freePort());
	log(`private PostgreSQL on port ${cluster.port} (${cluster.dir})`);
	tv = await startSoakTradingView(seed);
	const env = {
		NODE_ENV: 'production',
		DATABASE_URL: cluster.url,
		SECRET_KEY: `soak-secret-key-${seed}-0123456789abcdef`,
		TRADINGVIEW_BASE_URL: tv.fake.url,
		TRADINGVIEW_SESSIONID: tv.fake.state.session.sessionid,
		TRADINGVIEW_SESSIONID_SIGN: tv.fake.state.session.sessionidSign,
		TRADINGVIEW_RATE_PER_MINUTE: '600',
		LOG_LEVEL: 'warn',
		SHUTDOWN_TIMEOUT: '5'
	};
	for (const name of ['A', 'B'])
		instances.push(
			new Instance(
				`instance ${name}`,
				await freePort(),
				env,
				path.join(workDir, `server-${name}.log`)
			)
		);
	// One at a time: the first start migrates the empty database.
	for (const instance of instances) await instance.start();
	log(`servers up at ${instances.map((i) => i.baseURL).join(', ')}; logs in ${workDir}`);

	const random = prng(seed);
	const devices = await createDevices(instances, random, (i) => prng(seed + 1_000 * (i + 1)));
	const counters: Counters = { operations: {}, faults: {} };
	const runMs = minutes * 60_000;
	const runStarted = Date.now();
	const stopped = () => Date.now() - runStarted >= runMs;
	tv.setFaultRate(Number(values['tv-fault-rate']), seed);
	log(`running ${devices.length} devices for ${minutes} min with faults`);
	const progress = setInterval(() => {
		const ops = Object.values(counters.operations).reduce((a, b) => a + (b ?? 0), 0);
		log(
			`${Math.round((Date.now() - runStarted) / 1000)} s: ${ops} operations, faults ${JSON.stringify(counters.faults)}`
		);
	}, 30_000);
	await Promise.all([
		...devices.map((device) => deviceLoop(device, tv!.catalogue, counters, stopped)),
		chaosLoop({
			instances,
			cluster,
			random,
			counters,
			runMs,
			killEveryMs: 20_000,
			pgRestartEveryMs: 8 * 60_000,
			stopped
		})
	]);
	clearInterval(progress);

	log('faults stopped; settling');
	tv.setFaultRate(0, seed);
	const sql = postgres(cluster.url, { max: 2, onnotice: () => {} });
	let database: Database | undefined;
	try {
		const boundMs = values['settle-s'] ? Number(values['settle-s']) * 1000 : 90_000;
		const settled = await settle(sql, devices, boundMs);
		log(
			`settled in ${(settled.ms / 1000).toFixed(1)} s${settled.left.length ? `; still pending: ${settled.left.join('; ')}` : ''}`
		);
		const observers: Device[] = devices.map((d) => observerOf(d, instances));
		database = await openDatabase({
			databaseUrl: cluster.url,
			migrationsDir: path.join(ROOT, 'drizzle')
		});
		// The worker's minute tick may still write (a username check) while the checks read: when
		// the database moved during a check that found differences, sync and check again. A real
		// divergence survives that; a late write does not.
		let result = await checkOnce(database.db, sql, devices, observers, tv);
		for (let again = 0; again < 3 && result.moved && failures(result.result).length > 0; again++)
			result = await checkOnce(database.db, sql, devices, observers, tv);
		for (const device of [...devices, ...observers]) device.engine.stop();
		// A server that exits by itself was started again (as a process manager would) so the run
		// could go on; it is still a finding.
		const crashes = instances.flatMap((i) => i.unexpectedExits);
		const found = [...failures(result.result), ...crashes.map((c) => `server crash: ${c}`)];
		const audit = tv.audit();
		const figures = {
			seed,
			minutes,
			startedAt,
			wallSeconds: (Date.now() - startedAt.getTime()) / 1000,
			settleSeconds: settled.ms / 1000,
			devices: devices.length,
			counters,
			tradingView: { calls: audit.calls, writes: audit.writes, faultsByKind: audit.faultsByKind },
			result: result.result,
			crashes,
			failures: found
		};
		process.stdout.write(`\n${renderSection(figures)}\n\n`);
		if (!values['no-record']) log(`figures written to ${recordRun(figures)}`);
		for (const crash of crashes) log(`server exited by itself: ${crash} (logs in ${workDir})`);
		if (found.length > 0) {
			process.stdout.write(`FAILED: ${found.length} findings (seed ${seed}):\n`);
			for (const line of found.slice(0, 50)) process.stdout.write(`  - ${line}\n`);
			process.stdout.write(`server logs: ${workDir}\n`);
			return 1;
		}
		process.stdout.write(`soak passed (seed ${seed})\n`);
		if (crashes.length === 0) rmSync(workDir, { recursive: true, force: true });
		return 0;
	} finally {
		await database?.close();
		await sql.end({ timeout: 5 });
	}
}

async function checkOnce(
	db: Database['db'],
	sql: postgres.Sql,
	devices: Device[],
	observers: Device[],
	tv: SoakTradingView
) {
	const before = await lastVersion(sql);
	await syncAll(devices);
	await syncAll(observers);
	const result = await runChecks(db, sql, devices, observers, tv);
	return { result, moved: (await lastVersion(sql)) !== before };
}

let code = 1;
try {
	code = await main();
} catch (error) {
	process.stderr.write(
		`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
	);
	process.stderr.write(`soak: server logs in ${workDir}\n`);
} finally {
	await cleanup();
}
process.exit(code);
