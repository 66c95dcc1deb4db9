/**
 * `npm run test:rolling` — zero-downtime restart, shown: two instances of the current build on one
 * PostgreSQL database behind a round-robin proxy (proxy.ts: the load balancer docs/operations.md
 * assumes), autocannon pushing and pulling through it, while instance A and then instance B are
 * stopped with SIGTERM and started again. Passes only with zero non-2xx answers, zero errors and
 * timeouts, every push answered `applied`, and the database holding exactly the pushed mutations.
 *
 * Needs PostgreSQL at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); the
 * database it creates is dropped at the end. Exit code 0 on success, 1 on any failure.
 * `--no-retry` turns the balancer's retry off, to show what it covers (the run then fails).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startFakeTradingView, type FakeTradingView } from '../fake-tradingview/server';
import { setupAdmin } from './api';
import { pullLoad, pushLoad, run, summary } from './load';
import { startProxy, type Proxy } from './proxy';
import {
	createDatabase,
	freePort,
	ROOT,
	startServer,
	stopServer,
	tail,
	type ServerProcess,
	type TempDatabase
} from './servers';

const PUSH_CONNECTIONS = 4;
const PULL_CONNECTIONS = 4;
/** Load before, between and after the restarts (seconds). */
const SETTLE_S = 3;

const log = (line: string) => process.stdout.write(`rolling: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<string[]> {
	const started = Date.now();
	const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-if-needed.js')], {
		cwd: ROOT,
		stdio: 'inherit'
	});
	if (built.status !== 0) throw new Error('build failed');

	const cleanup: Array<() => Promise<unknown>> = [];
	const servers: Record<'A' | 'B', ServerProcess | undefined> = { A: undefined, B: undefined };
	try {
		const db: TempDatabase = await createDatabase('pinegate_rolling');
		cleanup.push(() => db.drop());
		const fake: FakeTradingView = await startFakeTradingView();
		cleanup.push(() => fake.close());
		const env = {
			DATABASE_URL: db.url,
			// Instances on one database share the key of the secrets stored in it (README).
			SECRET_KEY: 'rolling restart test key, 32+ characters long',
			TRADINGVIEW_BASE_URL: fake.url,
			// Drain quickly; a request in flight still gets its answer (scripts/serve.js).
			SHUTDOWN_TIMEOUT: '10'
		};
		const ports = { A: await freePort(), B: await freePort() };
		const start = (name: 'A' | 'B') =>
			startServer({ name, port: ports[name], env }).then((s) => (servers[name] = s));
		// Together, as a deploy would: the migration lock lets one migrate while the other waits, and
		// the job queues are created once (a deadlock there once failed a start: queue-deadlock.pg.test).
		await Promise.all([start('A'), start('B')]);
		cleanup.push(async () => {
			for (const s of [servers.A, servers.B]) if (s) await stopServer(s).catch(() => {});
		});
		log(
			`instances A :${ports.A} and B :${ports.B} on ${db.name}, healthy at ${((Date.now() - started) / 1000).toFixed(1)} s`
		);

		const proxy: Proxy = await startProxy(
			[
				{ name: 'A', port: ports.A },
				{ name: 'B', port: ports.B }
			],
			{ retry: !process.argv.includes('--no-retry') }
		);
		cleanup.push(() => proxy.close());
		const cookie = await setupAdmin(proxy.url);

		const pushes = pushLoad(proxy.url, cookie, PUSH_CONNECTIONS);
		const pushRun = run({ ...pushes.options, duration: 600 });
		const pullRun = run({ ...pullLoad(proxy.url, cookie, PULL_CONNECTIONS, 0, 50), duration: 600 });

		const restarts: string[] = [];
		const exitCodes: Array<number | null> = [];
		await sleep(SETTLE_S * 1000);
		for (const name of ['A', 'B'] as const) {
			const t0 = Date.now();
			exitCodes.push(await stopServer(servers[name]!));
			const stopped = Date.now();
			servers[name] = undefined;
			await start(name);
			restarts.push(
				`${name}: stopped in ${((stopped - t0) / 1000).toFixed(1)} s, healthy again after ${((Date.now() - stopped) / 1000).toFixed(1)} s`
			);
			log(`restarted ${restarts[restarts.length - 1]}`);
			await sleep(SETTLE_S * 1000);
		}
		pushRun.stop();
		pullRun.stop();
		const [pushResult, pullResult] = await Promise.all([pushRun, pullRun]);
		// autocannon dropped its connections; the instances finish what they already received.
		for (let i = 0; i < 300 && proxy.inFlight() > 0; i++) await sleep(50);
		if (proxy.inFlight() > 0)
			throw new Error(`${proxy.inFlight()} requests still running 15 s after the load stopped`);
		log(`load stopped and drained at ${((Date.now() - started) / 1000).toFixed(1)} s`);

		log(`push: ${summary(pushResult)}`);
		log(`pull: ${summary(pullResult)}`);
		log(
			`proxy: ${proxy.stats.requests} requests (${JSON.stringify(proxy.stats.byUpstream)}), ${proxy.stats.retries} retried on the other instance ${JSON.stringify(proxy.stats.retriedOn)}, ${proxy.stats.failed} failed`
		);

		const failures: string[] = [];
		for (const [what, result] of [
			['push', pushResult],
			['pull', pullResult]
		] as const) {
			if (result.non2xx > 0)
				failures.push(
					`${what}: ${result.non2xx} non-2xx answers ${JSON.stringify(result.statusCodeStats)}`
				);
			if (result.errors > 0) failures.push(`${what}: ${result.errors} errors`);
			if (result.timeouts > 0) failures.push(`${what}: ${result.timeouts} timeouts`);
			if (result['2xx'] < 20) failures.push(`${what}: only ${result['2xx']} answers: no real load`);
		}
		if (proxy.stats.failed > 0)
			failures.push(
				`proxy: ${proxy.stats.failed} requests no instance took ${JSON.stringify(proxy.stats.failedOn)}`
			);
		if (exitCodes.some((code) => code !== 0))
			failures.push(`SIGTERM exit codes ${exitCodes.join(', ')}, expected 0`);
		if (pushes.refusals.length > 0)
			failures.push(
				`${pushes.refusals.length} push answers not applied, e.g. ${pushes.refusals[0]}`
			);
		failures.push(...(await checkDatabase(db, pushes)));

		log(
			`${failures.length === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`
		);
		return failures;
	} catch (error) {
		for (const s of [servers.A, servers.B]) if (s) log(`${s.name} logs:\n${tail(s)}`);
		throw error;
	} finally {
		for (const step of cleanup.reverse())
			await step().catch((e: unknown) => log(`cleanup: ${String(e)}`));
	}
}

/** Every answered mutation is in the database once; nothing else is, beyond one unanswered per device. */
async function checkDatabase(
	db: TempDatabase,
	pushes: ReturnType<typeof pushLoad>
): Promise<string[]> {
	const failures: string[] = [];
	// One statement, one snapshot: the devices' positions and the rows they created agree.
	const [snapshot] = await db.sql<
		Array<{ devices: Array<{ id: string; last: number }> | null; created: number; total: number }>
	>`
		select
			(select json_agg(json_build_object('id', client_id, 'last', last_mutation_id)) from sync_clients) as devices,
			(select count(*)::int from clients where id = any(${pushes.appliedClientIds}::uuid[])) as created,
			(select count(*)::int from clients) as total`;
	const last = new Map((snapshot?.devices ?? []).map((d) => [d.id, Number(d.last)]));
	const created = snapshot?.created ?? 0;
	const total = snapshot?.total ?? 0;
	let stored = 0;
	for (const [clientId, device] of pushes.devices) {
		const server = last.get(clientId) ?? 0;
		stored += server;
		// autocannon stops by dropping its connections: the last push of a device may have been
		// applied without its answer being read. Anything else is a lost or invented mutation.
		if (server < device.applied || server > device.sent || server - device.applied > 1) {
			failures.push(
				`device ${clientId}: ${device.applied} answered applied, ${device.sent} sent, server at ${server}`
			);
		}
	}
	if (created !== pushes.appliedClientIds.length)
		failures.push(
			`${pushes.appliedClientIds.length} clients answered applied, ${created} in the database`
		);
	if (total !== stored)
		failures.push(`${stored} mutations recorded, ${total} clients in the database`);
	log(
		`database: ${created} of ${pushes.appliedClientIds.length} answered clients stored, ${total} clients for ${stored} recorded mutations`
	);
	return failures;
}

main().then(
	(failures) => {
		for (const failure of failures) process.stderr.write(`rolling: FAIL ${failure}\n`);
		process.exitCode = failures.length === 0 ? 0 : 1;
	},
	(error: unknown) => {
		process.stderr.write(
			`rolling: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
		);
		process.exitCode = 1;
	}
);
