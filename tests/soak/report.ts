/**
 * The soak's figures: a summary printed at the end, and a section of docs/reliability.md (one for
 * the short run CI does, one for a long run) replaced by each run of that length.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckResult } from './checks';
import type { Counters } from './chaos';

export interface RunFigures {
	seed: number;
	minutes: number;
	startedAt: Date;
	wallSeconds: number;
	settleSeconds: number;
	devices: number;
	counters: Counters;
	tradingView: { calls: number; writes: number; faultsByKind: Record<string, number> };
	result: CheckResult;
	/** Server processes that exited without being told to (started again by the soak). */
	crashes: string[];
	failures: string[];
}

const table = (record: Record<string, number>) =>
	Object.entries(record)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([k, v]) => `| ${k} | ${v} |`)
		.join('\n');

const total = (record: Record<string, number | undefined>) =>
	Object.values(record).reduce<number>((a, b) => a + (b ?? 0), 0);

export function renderSection(f: RunFigures): string {
	const r = f.result;
	const queued = total(
		Object.fromEntries(
			Object.entries(f.counters.operations).filter(
				([k]) => k !== 'refused' && k !== 'nothing to edit'
			)
		)
	);
	const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()}`;
	return [
		`Run of ${f.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: \`npm run soak -- --minutes ${f.minutes} --seed ${f.seed}\`, ${f.devices} devices, 2 server instances, one private PostgreSQL. Machine: ${machine}. Wall time ${Math.round(f.wallSeconds)} s (settling after the faults stopped: ${f.settleSeconds.toFixed(1)} s). Verdict: **${f.failures.length === 0 ? 'passed' : `FAILED (${f.failures.length} findings)`}**.`,
		'',
		`Operations (${queued} mutations queued by devices; ${r.outcomes.applied} applied, ${r.outcomes.rejected} refused by the server and shown on the device):`,
		'',
		'| operation | count |',
		'| --- | --- |',
		table(f.counters.operations),
		'',
		'Refusals by code (expected: devices edit the same records while offline):',
		'',
		'| code | count |',
		'| --- | --- |',
		table(r.outcomes.rejectedByCode) || '| — | 0 |',
		'',
		`Faults injected (TradingView: ${f.tradingView.calls} calls, ${f.tradingView.writes} writes):`,
		'',
		'| fault | count |',
		'| --- | --- |',
		table(f.counters.faults),
		table(
			Object.fromEntries(
				Object.entries(f.tradingView.faultsByKind).map(([k, v]) => [`TradingView ${k}`, v])
			)
		),
		'',
		`Grants at the end by TradingView state: ${
			Object.entries(r.tvStates)
				.map(([k, v]) => `${k} ${v}`)
				.join(', ') || 'none'
		}.`,
		'',
		'| check | found |',
		'| --- | --- |',
		`| devices differing from the server (rows) | ${r.divergences.length} |`,
		`| accepted mutations lost | ${r.losses.length} |`,
		`| mutations applied twice / extra effects | ${r.duplicates.length} |`,
		`| refusals not visible on the device | ${r.rejectionsNotVisible.length} |`,
		`| queues stuck (outboxes, pending grants, TradingView jobs) | ${r.stuck.length} |`,
		`| TradingView differing from verified grants | ${r.tradingViewMismatches.length} |`,
		`| TradingView writes repeating a verified change | ${r.repeatedTradingViewWrites.length} |`,
		`| server processes that exited by themselves | ${f.crashes.length} |`
	].join('\n');
}

const FILE = path.resolve(import.meta.dirname, '../../docs/reliability.md');

/** Replaces the section between `<!-- soak:<slot> -->` and `<!-- /soak:<slot> -->`. */
export function recordRun(f: RunFigures): string {
	const slot = f.minutes >= 10 ? 'long' : 'short';
	const start = `<!-- soak:${slot} -->`;
	const end = `<!-- /soak:${slot} -->`;
	const text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
	const from = text.indexOf(start);
	const to = text.indexOf(end);
	if (from < 0 || to < from) throw new Error(`${FILE} lacks the ${start} … ${end} markers`);
	const next = `${text.slice(0, from + start.length)}\n\n${renderSection(f)}\n\n${text.slice(to)}`;
	writeFileSync(FILE, next);
	return FILE;
}
