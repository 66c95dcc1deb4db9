/**
 * `npm run bench:idb` — how fast this machine's Chromium stores rows in IndexedDB at all, with no
 * app, Dexie or server: the floor under the initial sync (issue 3). A bare page writes grant-shaped
 * rows (the sync wire format: ids, ISO times, enums) with the raw IndexedDB API, in transactions of
 * one pull page (20,000 rows), in these layouts:
 *
 * - one record per row, keyed by id, with the two indexes the grants table has (clientId,
 *   indicatorId), on the main thread and in a Worker, and without indexes;
 * - packed: one record holding many rows as one JSON text (100, 1,000, 10,000 rows a record).
 *
 * It prints rows/s and records/s per layout, and what a first sync of `--sync-rows` rows (the
 * bench:sync dataset by default) would take at that rate. Goals are not asserted here.
 *
 *   npm run bench:idb -- [--rows N] [--repeat R] [--sync-rows N]
 */
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { freePort, median, round } from './support';

const { values } = parseArgs({
	options: {
		rows: { type: 'string', default: '100000' },
		repeat: { type: 'string', default: '3' },
		'sync-rows': { type: 'string', default: '1275315' }
	}
});
const ROWS = Number(values.rows);
const REPEAT = Number(values.repeat);
const SYNC_ROWS = Number(values['sync-rows']);
const PAGE_ROWS = 20_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

// Plain JavaScript, served as is to the page and to its Worker (no bundler in between).
const experiment = String.raw`
const uuid = (i, kind) => '0190' + kind + '000-0000-7000-8000-' + String(i).padStart(12, '0');
const iso = (ms) => new Date(ms).toISOString();
function grants(start, n) {
	const rows = new Array(n);
	for (let k = 0; k < n; k++) {
		const i = start + k;
		rows[k] = {
			id: uuid(i, 1), clientId: uuid(i % 100000, 2), indicatorId: uuid(i % 20, 3),
			startsAt: iso(1.7e12 + i * 1000), endsAt: iso(1.72e12 + i * 1000), revokedAt: null,
			revokeReason: null, accessType: 'paid', tvState: 'verified', tvError: null, tvAttempts: 1,
			tvVerifiedAt: iso(1.71e12 + i), createdAt: iso(1.7e12 + i), updatedAt: iso(1.7e12 + i),
			version: i, deletedAt: null
		};
	}
	return rows;
}
function open(name, indexes) {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(name, 1);
		request.onupgradeneeded = () => {
			const rows = request.result.createObjectStore('rows', { keyPath: 'id' });
			for (const index of indexes) rows.createIndex(index, index);
			request.result.createObjectStore('packs', { keyPath: 'key' });
		};
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}
function write(db, store, fill, durability) {
	return new Promise((resolve, reject) => {
		const tx = db.transaction(store, 'readwrite', { durability: durability ?? 'default' });
		fill(tx.objectStore(store));
		tx.oncomplete = () => resolve();
		tx.onerror = tx.onabort = () => reject(tx.error);
	});
}
async function run({ rows, pageRows, indexes, pack, durability }) {
	const name = 'idb-bench-' + Math.random().toString(36).slice(2);
	const db = await open(name, indexes);
	let storing = 0;
	let records = 0;
	for (let start = 0; start < rows; start += pageRows) {
		// As a pull page arrives: parsed from JSON text, not objects the page made itself.
		const page = JSON.parse(JSON.stringify(grants(start, Math.min(pageRows, rows - start))));
		const began = performance.now();
		await write(db, pack ? 'packs' : 'rows', (store) => {
			if (!pack) for (const row of page) store.put(row);
			else
				for (let at = 0; at < page.length; at += pack)
					store.put({ key: start + at, rows: JSON.stringify(page.slice(at, at + pack)) });
		}, durability);
		storing += performance.now() - began;
		records += pack ? Math.ceil(page.length / pack) : page.length;
	}
	db.close();
	await new Promise((resolve) => { const r = indexedDB.deleteDatabase(name); r.onsuccess = r.onerror = resolve; });
	return { storingMs: storing, records };
}
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope)
	self.onmessage = async (event) => self.postMessage(await run(event.data));
else
	globalThis.inWorker = (options) => new Promise((resolve) => {
		const worker = new Worker('/experiment.js');
		worker.onmessage = (event) => { worker.terminate(); resolve(event.data); };
		worker.postMessage(options);
	});
`;

interface Layout {
	name: string;
	where: 'page' | 'worker';
	indexes: string[];
	pack: number;
	durability?: 'default' | 'relaxed' | 'strict';
}
const layouts: Layout[] = [
	{
		name: 'a record per row, 2 indexes',
		where: 'page',
		indexes: ['clientId', 'indicatorId'],
		pack: 0
	},
	{
		name: 'a record per row, 2 indexes, relaxed',
		where: 'page',
		indexes: ['clientId', 'indicatorId'],
		pack: 0,
		durability: 'relaxed'
	},
	{
		name: 'a record per row, 2 indexes, strict',
		where: 'page',
		indexes: ['clientId', 'indicatorId'],
		pack: 0,
		durability: 'strict'
	},
	{
		name: 'a record per row, 2 indexes',
		where: 'worker',
		indexes: ['clientId', 'indicatorId'],
		pack: 0
	},
	{ name: 'a record per row, no index', where: 'page', indexes: [], pack: 0 },
	{ name: 'packed, 100 rows a record', where: 'page', indexes: [], pack: 100 },
	{ name: 'packed, 1,000 rows a record', where: 'page', indexes: [], pack: 1_000 },
	{ name: 'packed, 10,000 rows a record', where: 'page', indexes: [], pack: 10_000 }
];

async function main() {
	const port = await freePort();
	const server = http
		.createServer((request, response) => {
			const script = request.url === '/experiment.js';
			response.setHeader('content-type', script ? 'text/javascript' : 'text/html');
			response.end(script ? experiment : '<!doctype html><script src="/experiment.js"></script>');
		})
		.listen(port, '127.0.0.1');
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
	const version = browser.version();
	const loadBefore = os.loadavg().map(round);
	const results: Array<Layout & { rowsPerSecond: number; recordsPerSecond: number }> = [];
	try {
		const page = await browser.newPage();
		await page.goto(`http://127.0.0.1:${port}/`);
		for (const layout of layouts) {
			const rates: Array<{ rows: number; records: number }> = [];
			for (let i = 0; i < REPEAT; i++) {
				const options = {
					rows: ROWS,
					pageRows: PAGE_ROWS,
					indexes: layout.indexes,
					pack: layout.pack,
					durability: layout.durability
				};
				const { storingMs, records } = await page.evaluate(
					({ where, options }) =>
						where === 'page'
							? (
									globalThis as unknown as {
										run: (o: unknown) => Promise<{ storingMs: number; records: number }>;
									}
								).run(options)
							: (
									globalThis as unknown as {
										inWorker: (o: unknown) => Promise<{ storingMs: number; records: number }>;
									}
								).inWorker(options),
					{ where: layout.where, options }
				);
				rates.push({ rows: ROWS / (storingMs / 1000), records: records / (storingMs / 1000) });
			}
			const result = {
				...layout,
				rowsPerSecond: Math.round(median(rates.map((r) => r.rows))),
				recordsPerSecond: Math.round(median(rates.map((r) => r.records)))
			};
			results.push(result);
			log(`${layout.name} (${layout.where}): ${result.rowsPerSecond} rows/s`);
		}
	} finally {
		await browser.close();
		server.close();
	}
	const summary = {
		date: new Date().toISOString(),
		chromium: version,
		cpus: os.cpus().length,
		loadAverage: { before: loadBefore, after: os.loadavg().map(round) },
		rows: ROWS,
		repeat: REPEAT,
		results
	};
	console.log(JSON.stringify(summary, null, 2));
	console.log(`
| layout | where | rows/s | records/s | storing ${SYNC_ROWS.toLocaleString('en')} rows |
| ------ | ----- | ------ | --------- | ------------------------ |
${results
	.map(
		(r) =>
			`| ${r.name} | ${r.where} | ${r.rowsPerSecond.toLocaleString('en')} | ${r.recordsPerSecond.toLocaleString('en')} | ${round(SYNC_ROWS / r.rowsPerSecond)} s |`
	)
	.join('\n')}`);
}

await main();
