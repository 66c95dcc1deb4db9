/**
 * `npm run bench:all [-- --out DIR --seed-cache DIR --skip a,b]` — issue 8's scale figures: every
 * benchmark of the earlier issues run together, one after the other on the same machine, at
 * 100,000 clients and 300,000 grants where the benchmark takes a dataset (sync, crm, analytics,
 * load), plus the server load test and Lighthouse. Each benchmark's own JSON report is saved to
 * `<out>/<name>.json` and its progress streams to stderr; the run ends with a table of what ran,
 * for how long and at which load average, to copy into docs/benchmarks.md with the figures.
 *
 * Run it on a quiet machine: the figures of a loaded one say more about the load than the app.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './support';

const { values } = parseArgs({
	options: {
		out: { type: 'string', default: path.join(os.tmpdir(), `pinegate-bench-${Date.now()}`) },
		'seed-cache': { type: 'string', default: path.join(os.tmpdir(), 'pinegate-seed-cache') },
		skip: { type: 'string', default: '' }
	}
});
const cache = values['seed-cache'];
const skip = new Set(values.skip.split(',').filter(Boolean));

/** Every benchmark, as an npm script and its arguments. `sync` includes the crm figures. */
const BENCHES: Array<{ name: string; script: string; args: string[] }> = [
	{ name: 'sync', script: 'bench:sync', args: ['--seed-cache', cache] },
	{ name: 'analytics', script: 'bench:analytics', args: ['--repeat', '11'] },
	{ name: 'tv-pglite', script: 'bench:tv', args: [] },
	{ name: 'tv-postgres', script: 'bench:tv', args: ['--database', 'postgres'] },
	{ name: 'load', script: 'bench:load', args: ['--seed-cache', cache] },
	{ name: 'lighthouse', script: 'bench:lighthouse', args: [] }
];

function run(script: string, args: string[]): Promise<{ code: number; stdout: string }> {
	return new Promise((resolve) => {
		const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'inherit'],
			env: process.env
		});
		let stdout = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.on('exit', (code) => resolve({ code: code ?? 1, stdout }));
	});
}

async function main() {
	mkdirSync(values.out, { recursive: true });
	const rows: string[] = [];
	for (const bench of BENCHES) {
		if (skip.has(bench.name)) continue;
		const load = os.loadavg()[0]?.toFixed(1);
		process.stderr.write(`bench:all: ${bench.name} (load ${load})\n`);
		const started = Date.now();
		const { code, stdout } = await run(bench.script, bench.args);
		const seconds = Math.round((Date.now() - started) / 1000);
		writeFileSync(path.join(values.out, `${bench.name}.json`), stdout);
		rows.push(
			`| ${bench.name} | npm run ${bench.script} -- ${bench.args.join(' ')} | ${code === 0 ? 'ok' : `exit ${code}`} | ${seconds} s | ${load} → ${os.loadavg()[0]?.toFixed(1)} |`
		);
	}
	const summary = [
		`bench:all ${new Date().toISOString()} · ${os.cpus().length} cores · ${Math.round(os.totalmem() / 2 ** 30)} GiB · Node ${process.version}`,
		`reports in ${values.out}`,
		'',
		'| bench | command | outcome | wall time | load (1 min) |',
		'| ----- | ------- | ------- | --------- | ------------ |',
		...rows
	].join('\n');
	writeFileSync(path.join(values.out, 'summary.md'), `${summary}\n`);
	process.stdout.write(`${summary}\n`);
	if (rows.some((row) => !row.includes('| ok |'))) process.exitCode = 1;
}

await main();
