/**
 * `npm run bench:load` — server load figures for sync push and pull with autocannon: requests per
 * second and latency percentiles of one server instance on the benchmark dataset (100,000 clients,
 * 20 indicators, 300,000 grants: 1.27 M synced rows). Figures, not assertions: it prints a JSON
 * report and a Markdown table for docs/benchmarks.md.
 *
 *   npm run bench:load -- [--database pglite|postgres] [--duration S] [--connections N]
 *                         [--clients N] [--indicators M] [--accesses K] [--seed-cache DIR]
 *
 * Scenarios, one after the other on the same server: a device's first sync walked through the API
 * (every page, 20,000 rows each, one device); pull of the first page (5,000 rows, the device default)
 * from cursor 0; the pull of an up-to-date device (cursor at the head: nothing new); push of one new
 * client per request and of ten per request, each connection a device numbering its mutations.
 *
 * The seeded dataset is cached (seeding takes minutes): PGlite as a folder under `--seed-cache`
 * (default $TMPDIR/pinegate-seed-cache, the layout of bench:sync's `--seed-cache`, so one cache serves
 * both), PostgreSQL as a template database `pinegate_seed_<clients>_<indicators>_<accesses>` on
 * TEST_DATABASE_URL, analyzed as autovacuum would have, that each run copies. PGlite runs no
 * autovacuum: its folder stays without statistics, as an embedded database in use does. The run's
 * own copy is removed at the end.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodePullResponse } from '../../src/lib/shared/sync/protocol';
import { login, pull } from '../upgrade/api';
import { pullLoad, pushLoad, run, type Options, type Result } from '../upgrade/load';
import { databaseKind, seededDataset } from './support';
import { ROOT, startServer, stopServer, type ServerProcess } from '../upgrade/servers';

const { values } = parseArgs({
	options: {
		database: { type: 'string', default: 'pglite' },
		duration: { type: 'string', default: '10' },
		connections: { type: 'string', default: '8' },
		clients: { type: 'string', default: '100000' },
		indicators: { type: 'string', default: '20' },
		accesses: { type: 'string', default: '300000' },
		'seed-cache': { type: 'string', default: path.join(os.tmpdir(), 'pinegate-seed-cache') }
	}
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const SIZE = `${values.clients}-${values.indicators}-${values.accesses}`;
/** The admin bench:sync seeds, so both benches share one cached dataset. */
const ADMIN = { email: 'bench@pinegate.test', password: 'bench password 1' };

const log = (line: string) => process.stderr.write(`bench:load: ${line}\n`);
const load = () => os.loadavg()[0]!.toFixed(1);

/** A fresh copy of the cached dataset (seeding the cache first when it has none). */
const dataset = () =>
	seededDataset(databaseKind(values.database), {
		clients: Number(values.clients),
		indicators: Number(values.indicators),
		accesses: Number(values.accesses),
		admin: ADMIN,
		log,
		cache: values['seed-cache']
	});

interface Row {
	scenario: string;
	connections: number;
	requests: number;
	rps: number;
	p50: number;
	p99: number;
	max: number;
	failed: number;
	load: string;
}

async function measure(scenario: string, options: Options): Promise<Row> {
	const before = load();
	// A short warm-up so the figures are not the first queries' plans and caches.
	await run({ ...options, duration: 2 });
	const result: Result = await run({ ...options, duration: DURATION });
	const row = {
		scenario,
		connections: options.connections,
		requests: result.requests.total,
		rps: Math.round(result.requests.average * 10) / 10,
		p50: result.latency.p50,
		p99: result.latency.p99,
		max: result.latency.max,
		failed: result.non2xx + result.errors + result.timeouts,
		load: `${before} → ${load()}`
	};
	log(JSON.stringify(row));
	return row;
}

async function main(): Promise<void> {
	const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-if-needed.js')], {
		cwd: ROOT,
		stdio: 'inherit'
	});
	if (built.status !== 0) throw new Error('build failed');
	const data = await dataset();
	let server: ServerProcess | undefined;
	try {
		server = await startServer({
			name: 'bench',
			env: {
				...data.env,
				// Nothing leaves the machine: no TradingView calls, an unreachable address if any.
				TRADINGVIEW_SYNC: 'off',
				// The scheduler's first expiry sweep would write ~18,000 rows into the copy (the seed's
				// grants expire after its fixed "now") while the figures are taken.
				JOBS: 'off',
				TRADINGVIEW_BASE_URL: 'http://127.0.0.1:9',
				SECRET_KEY: 'load bench key, at least 32 characters'
			},
			startTimeoutMs: 300_000
		});
		const cookie = await login(server.url, ADMIN);

		// One device's first sync, server side: every page at the largest page size.
		const device = crypto.randomUUID();
		let cursor = 0;
		let pages = 0;
		let rows = 0;
		const walkStarted = performance.now();
		for (;;) {
			const page = decodePullResponse(await pull(server.url, cookie, device, cursor, 20_000));
			if (page.status !== 'ok') throw new Error(`pull: ${page.status}`);
			pages++;
			rows += Object.values(page.rows).reduce((n, list) => n + (list?.length ?? 0), 0);
			cursor = page.cursor;
			if (!page.more) break;
		}
		const walkS = (performance.now() - walkStarted) / 1000;
		log(`first sync through the API: ${rows} rows in ${pages} pages, ${walkS.toFixed(1)} s`);

		const results: Row[] = [];
		results.push(
			await measure(
				'pull, first page from cursor 0 (5,000 rows)',
				pullLoad(server.url, cookie, 4, 0, 5000)
			)
		);
		results.push(
			await measure(
				'pull, up to date (cursor at the head)',
				pullLoad(server.url, cookie, CONNECTIONS, cursor, 5000)
			)
		);
		for (const batch of [1, 10]) {
			const pushes = pushLoad(server.url, cookie, CONNECTIONS, batch);
			const row = await measure(
				`push, ${batch} new client${batch > 1 ? 's' : ''} per request`,
				pushes.options
			);
			if (pushes.refusals.length > 0) throw new Error(`push refused: ${pushes.refusals[0]}`);
			results.push(row);
		}

		const report = {
			date: new Date().toISOString(),
			machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
			database: values.database,
			dataset: SIZE,
			durationS: DURATION,
			firstSync: { rows, pages, seconds: Math.round(walkS * 10) / 10 },
			results
		};
		process.stdout.write(`${JSON.stringify(report, null, 2)}\n\n`);
		process.stdout.write(
			'| scenario | connections | requests | req/s | p50 | p99 | max | failed | load (1 min) |\n'
		);
		process.stdout.write('| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n');
		for (const r of results) {
			process.stdout.write(
				`| ${r.scenario} | ${r.connections} | ${r.requests} | ${r.rps} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms | ${r.failed} | ${r.load} |\n`
			);
		}
	} finally {
		if (server) await stopServer(server, 30_000).catch((e: unknown) => log(String(e)));
		await data.remove();
	}
}

main().catch((error: unknown) => {
	log(error instanceof Error ? (error.stack ?? error.message) : String(error));
	process.exitCode = 1;
});
