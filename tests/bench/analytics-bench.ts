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
const rows = generate();
const presets: RangePreset[] = ['12m', '90d', '30d'];
const timings: Record<string, number[]> = { termTable: [] };
for (const preset of presets) {
	timings[`${preset} cold`] = [];
	timings[`${preset} warm`] = [];
}
// A full collection before each timed run, so no run pays for the garbage of the one before (the
// dataset itself is 1.5 million live objects, which makes each major collection long).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const report = (events: TermEvent[], preset: RangePreset) =>
	analyticsReport(
		{ ...rows, events },
		{ ...rangeOf({ preset, fromDay: '', toDay: '' }, NOW), now: NOW }
	);
// One untimed run of each first, so the figures are of optimised code, as on a page in use.
for (const preset of presets) report([...rows.events], preset);
for (let i = 0; i < REPEAT; i++) {
	gc();
	let t = performance.now();
	termTable(rows.events);
	timings.termTable?.push(performance.now() - t);
	for (const preset of presets) {
		// Cold: a new events array, as after a sync changed the data (the terms are computed again).
		// Warm: the same array, as after a change of range or the minute tick (terms reused).
		const events = [...rows.events];
		gc();
		t = performance.now();
		report(events, preset);
		timings[`${preset} cold`]?.push(performance.now() - t);
		gc();
		t = performance.now();
		report(events, preset);
		timings[`${preset} warm`]?.push(performance.now() - t);
	}
}

const figures = Object.fromEntries(
	Object.entries(timings).map(([name, list]) => [
		name,
		{ p50: round(percentile(list, 50)), p95: round(percentile(list, 95)), n: list.length }
	])
);
const summary = {
	date: new Date().toISOString(),
	node: process.version,
	cpus: os.cpus().length,
	loadAverage: os.loadavg().map(round),
	rows: {
		clients: rows.clients.length,
		accesses: rows.accesses.length,
		events: rows.events.length
	},
	figures
};
console.log(JSON.stringify(summary, null, 2));
console.log(`
| figure | p50 | p95 | goal |
| ------ | --- | --- | ---- |
${Object.keys(timings)
	.filter((name) => name !== 'termTable')
	.map(
		(name) =>
			`| analyticsReport, ${name} (n ${REPEAT}) | ${figures[name]?.p50} ms | ${figures[name]?.p95} ms | ≤ 200 ms |`
	)
	.join('\n')}
| of which the terms (termTable) | ${figures.termTable?.p50} ms | ${figures.termTable?.p95} ms | — |`);
