import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { seedDataDir, startServer, waitForFirstSync } from './support';
const log = (l: string) => process.stderr.write(l + '\n');
const ADMIN = { email: 'bench@pinegate.test', password: 'bench password 1' };
const pages = (process.argv[2] ?? '/,/analytics').split(',');
const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pg-prof-')), 'data');
seedDataDir(dataDir, { clients: 2000, indicators: 12, accesses: 6000, admin: ADMIN, log });
const server = await startServer(dataDir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext();
const tab = await context.newPage();
await tab.goto(`${server.url}/login`);
await tab.getByLabel('Email').fill(ADMIN.email);
await tab.getByLabel('Password', { exact: true }).fill(ADMIN.password);
await tab.getByRole('button', { name: 'Log in' }).click();
await waitForFirstSync(tab);
await tab.goto('about:blank');
for (const url of pages) {
	await browser.startTracing(tab, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'toplevel', 'disabled-by-default-v8.cpu_profiler'] });
	await tab.goto(server.url + url);
	await tab.waitForTimeout(6000);
	const buf = await browser.stopTracing();
	const file = `/tmp/trace${url.replace(/\W/g, '_')}.json`;
	writeFileSync(file, buf);
	const { traceEvents } = JSON.parse(buf.toString()) as { traceEvents: any[] };
	// main thread of the renderer: find thread with most RunTask durations on CrRendererMain
	const names = traceEvents.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
	const mains = new Set(names.map((e) => `${e.pid}:${e.tid}`));
	const tasks = traceEvents.filter((e) => e.name === 'RunTask' && e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`) && e.dur > 20000);
	log(`==== ${url}: ${tasks.length} tasks > 20 ms`);
	for (const t of tasks) {
		const inside = traceEvents.filter((e) => e.ph === 'X' && e.pid === t.pid && e.tid === t.tid && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur && e !== t);
		const agg = new Map<string, number>();
		for (const e of inside) {
			const k = e.name + (e.args?.data?.url ? ' ' + String(e.args.data.url).replace(/.*\//, '') : '') + (e.args?.data?.functionName ? ' ' + e.args.data.functionName : '');
			agg.set(k, (agg.get(k) ?? 0) + e.dur);
		}
		const top = [...agg].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, d]) => `${k}=${(d / 1000).toFixed(0)}`);
		log(`${((t.ts) / 1000).toFixed(0)} dur ${(t.dur / 1000).toFixed(0)} ms: ${top.join(' | ')}`);
	}
}
await browser.close();
server.process.kill('SIGTERM');
