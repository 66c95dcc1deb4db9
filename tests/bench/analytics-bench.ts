/**
 * `npm run bench:analytics` — the analytics page's computation (`analyticsReport`, issue 7) on a
 * generated dataset (100,000 clients, 300,000 grants with their events by default), in Node: the
 * same pure function the page runs on the device's rows, measured without IndexedDB reads or
 * rendering. Goals are goals, not assertions: the script prints a JSON report and a Markdown table
 * for docs/benchmarks.md.
 *
 *   npm run bench:analytics -- [--clients N] [--indicators M] [--accesses K] [--repeat R]
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseArgs } from 'node:util';
import { analyticsReport } from '../../src/lib/shared/analytics';
import { rangeOf, type RangePreset } from '../../src/lib/shared/analytics-range';
import { termTable, type TermEvent } from '../../src/lib/shared/terms';
import { makeDataset } from '../factories';

const { values } = parseArgs({
	options: {
		clients: { type: 'string', default: '100000' },
		indicators: { type: 'string', default: '20' },
		accesses: { type: 'string', default: '300000' },
		repeat: { type: 'string', default: '15' },
		seed: { type: 'string', default: 'bench' }
	}
});
const REPEAT = Number(values.repeat);
const NOW = new Date('2026-11-28T00:00:00.000Z');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

const percentile = (list: number[], p: number) => {
	const sorted = [...list].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const round = (n: number) => Math.round(n * 10) / 10;
const iso = (date: Date | null) => date?.toISOString() ?? null;

// Rows as a device holds them: times as ISO text (the sync wire format), as the page reads them.
function generate() {
	const started = performance.now();
	const dataset = makeDataset({
		seed: values.seed,
		clients: Number(values.clients),
		indicators: Number(values.indicators),
		accesses: Number(values.accesses),
		now: NOW
	});
	const clients = dataset.clients.map((c) => ({
		id: c.id,
		status: c.status,
		registeredAt: c.registeredAt.toISOString(),
		deletedAt: iso(c.deletedAt)
	}));
	const accesses: Array<{
		indicatorId: string;
		endsAt: string | null;
		revokedAt: string | null;
		deletedAt: string | null;
	}> = [];
	const events: TermEvent[] = [];
	let transactions = 0;
	for (const grant of dataset.grants()) {
		const a = grant.access;
		accesses.push({
			indicatorId: a.indicatorId,
			endsAt: iso(a.endsAt),
			revokedAt: iso(a.revokedAt),
			deletedAt: iso(a.deletedAt)
		});
		for (const e of grant.events)
			events.push({
				id: e.id,
				accessId: e.accessId,
				clientId: e.clientId,
				indicatorId: e.indicatorId,
				kind: e.kind,
				at: e.at.toISOString(),
				previousEndsAt: iso(e.previousEndsAt),
				newEndsAt: iso(e.newEndsAt),
				deletedAt: iso(e.deletedAt)
			});
		transactions += grant.transactions.length;
	}
	log(
		`generated ${clients.length} clients, ${accesses.length} grants, ${events.length} events ` +
			`(${transactions} payments, not read by the analytics) in ${round((performance.now() - started) / 1000)} s`
	);

	// Structured clones, as IndexedDB returns them: flat strings. The factories build ids by
	// concatenation, and V8's concatenated strings are slow to read character by character.
	return structuredClone({ clients, accesses, events });
}
const loadBefore = os.loadavg().map(round);
const rows = generate();
const presets: RangePreset[] = ['12m', '90d', '30d'];
// Wall time, and the process's CPU time (user + system, all threads): on a shared machine the
// wall time mostly measures the other processes; the CPU time is what the computation costs.
const timings: Record<string, { wall: number[]; cpu: number[] }> = {};
// A full collection before each timed run, so no run pays for the garbage of the one before (the
// dataset itself is 1.5 million live objects, which makes each major collection long).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function time(name: string, run: () => void) {
	gc();
	const cpu = process.cpuUsage();
	const t = performance.now();
	run();
	const wall = performance.now() - t;
	const { user, system } = process.cpuUsage(cpu);
	const entry = (timings[name] ??= { wall: [], cpu: [] });
	entry.wall.push(wall);
	entry.cpu.push((user + system) / 1000);
}
// Cold: new arrays of all three tables, as when the page opens or a sync changed everything
// (nothing derived from the rows is reused). Warm: the same arrays, as after a change of range or
// the minute tick (analytics-basis.ts reuses what depends on the rows only).
const fresh = () => ({
	clients: [...rows.clients],
	accesses: [...rows.accesses],
	events: [...rows.events]
});
const report = (data: typeof rows, preset: RangePreset) =>
	analyticsReport(data, { ...rangeOf({ preset, fromDay: '', toDay: '' }, NOW), now: NOW });
// One untimed run of each first, so the figures are of optimised code, as on a page in use.
for (const preset of presets) report(fresh(), preset);
for (let i = 0; i < REPEAT; i++) {
	time('termTable', () => termTable(rows.events));
	for (const preset of presets) {
		const data = fresh();
		time(`${preset} cold`, () => report(data, preset));
		time(`${preset} warm`, () => report(data, preset));
	}
}

const figures = Object.fromEntries(
	Object.entries(timings).map(([name, { wall, cpu }]) => [
		name,
		{
			p50: round(percentile(wall, 50)),
			p95: round(percentile(wall, 95)),
			cpuP50: round(percentile(cpu, 50)),
			cpuP95: round(percentile(cpu, 95)),
			n: wall.length
		}
	])
);
const summary = {
	date: new Date().toISOString(),
	node: process.version,
	cpus: os.cpus().length,
	loadAverage: { before: loadBefore, after: os.loadavg().map(round) },
	rows: {
		clients: rows.clients.length,
		accesses: rows.accesses.length,
		events: rows.events.length
	},
	figures
};
console.log(JSON.stringify(summary, null, 2));
console.log(`
| figure | p50 | p95 | CPU p50 | CPU p95 | goal |
| ------ | --- | --- | ------- | ------- | ---- |
${Object.keys(timings)
	.map((name) => {
		const f = figures[name];
		const label =
			name === 'termTable' ? 'of which the terms (termTable)' : `analyticsReport, ${name}`;
		const goal = name === 'termTable' ? '—' : '≤ 200 ms';
		return `| ${label} (n ${REPEAT}) | ${f?.p50} ms | ${f?.p95} ms | ${f?.cpuP50} ms | ${f?.cpuP95} ms | ${goal} |`;
	})
	.join('\n')}`);
