/**
 * `npm run bench:sync` — the sync issue's figures, measured in headless Chromium against a real
 * server on a generated dataset (100,000 clients, 300,000 grants by default). Goals are goals, not
 * assertions: the script prints a JSON report and a Markdown table to paste into docs/benchmarks.md.
 *
 *   npm run bench:sync -- [--clients N] [--accesses K] [--edits E] [--repeat R]
 *                         [--seed-cache DIR] [--only sync|rows|crm|edits|converge] [--database pglite|postgres]
 *
 * `--database postgres` runs the server on TEST_DATABASE_URL's PostgreSQL, on a copy of a seeded
 * template database it keeps (see `seededDataset`); the default is the embedded PGlite.
 * `--seed-cache DIR` seeds into DIR once and copies it for each later run of the same size (for
 * quick iterations; the reported figures do not include seeding either way). `--only sync` stops
 * after device A's initial sync; `--only rows` after the first client rows; `--only crm` after the clients list's figures (render and search
 * at 100,000 clients: `npm run bench:crm`); `--only edits` after the in-page edit figure; `--only converge` syncs device B
 * and measures the two devices' offline edits alone. `--profile FILE` writes a CPU profile of device A's page during the
 * initial sync (open it in Chromium's DevTools, Performance panel).
 *
 * With `--only edits`, for working on the in-page edit figure: `EDIT_OFFLINE=1` makes the edits
 * offline (no sync run after each), `EDIT_PROFILE=FILE` writes a CPU profile of them, and
 * `EDIT_ROUNDS=online,offline,spaced,trace,…` measures more rounds of 30 on the same synced device
 * (`spaced`: online, a second between edits, as a person saves them; `trace` writes a Chromium
 * trace to /tmp/edit-trace.json, where each edit is a `performance.measure` named after its time).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
	buildIfNeeded,
	countRows,
	cpuSecondsSince,
	cpuTicks,
	databaseKind,
	hostProbeMs,
	lastSyncedAt,
	percentile,
	round,
	runJobsNow,
	seededDataset,
	settled,
	startServer
} from './support';

const { values } = parseArgs({
	options: {
		clients: { type: 'string', default: '100000' },
		indicators: { type: 'string', default: '20' },
		accesses: { type: 'string', default: '300000' },
		edits: { type: 'string', default: '200' },
		repeat: { type: 'string', default: '7' },
		'seed-cache': { type: 'string' },
		profile: { type: 'string' },
		only: { type: 'string' },
		database: { type: 'string', default: 'pglite' }
	}
});
const DATABASE = databaseKind(values.database);
const CLIENTS = Number(values.clients);
const ACCESSES = Number(values.accesses);
const EDITS = Number(values.edits);
const REPEAT = Number(values.repeat);
const ADMIN = { email: 'bench@pinegate.test', password: 'bench password 1' };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function login(page: Page, url: string): Promise<number> {
	await page.goto(`${url}/login`);
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
	const started = Date.now();
	await page.getByRole('button', { name: 'Log in' }).click();
	// Initial sync: until the device has stored the last page (`lastSyncedAt`) and every client and
	// grant is on it. Counting rows walks whole object stores, so it runs only once the last page is
	// in and every 10 s for the progress line, not in the polling loop where it would compete with
	// the sync for the same cores.
	let logged = started;
	for (;;) {
		if (await lastSyncedAt(page)) {
			const elapsed = Date.now() - started;
			const [clients, accesses] = [
				await countRows(page, 'clients'),
				await countRows(page, 'accesses')
			];
			if (clients >= CLIENTS && accesses >= ACCESSES) return elapsed;
		}
		if (Date.now() - started > 15 * 60_000) throw new Error('initial sync did not finish');
		if (Date.now() - logged >= 10_000) {
			logged = Date.now();
			const [clients, accesses] = [
				await countRows(page, 'clients'),
				await countRows(page, 'accesses')
			];
			log(`  ${Math.round((logged - started) / 1000)} s: ${clients} clients, ${accesses} grants`);
		}
		await page.waitForTimeout(100);
	}
}

/**
 * Navigation → first client rows, twice: inside the page, from the click event to the next frame
 * after the first row is in the DOM (the figure), and as Playwright sees it, which adds its click's
 * actionability checks and its polling (about 60–100 ms here). `ROWS_TRACE=PREFIX` writes a
 * Chromium trace of each navigation to PREFIX-<n>.json.
 */
async function firstRows(page: Page, url: string): Promise<{ inPage: number[]; wall: number[] }> {
	const times = { inPage: [] as number[], wall: [] as number[] };
	for (let i = 0; i < REPEAT; i++) {
		await page.goto(`${url}/settings`);
		await page.getByRole('heading', { level: 1 }).waitFor();
		await page.evaluate(() => {
			const timing = new Promise<number>((resolve) => {
				document.addEventListener(
					'click',
					() => {
						const started = performance.now();
						const observer = new MutationObserver(() => {
							if (!document.querySelector('[data-client-row]')) return;
							observer.disconnect();
							requestAnimationFrame(() => resolve(performance.now() - started));
						});
						observer.observe(document.body, { childList: true, subtree: true });
					},
					{ capture: true, once: true }
				);
			});
			(globalThis as unknown as { __firstRows: Promise<number> }).__firstRows = timing;
		});
		const trace = process.env.ROWS_TRACE;
		if (trace)
			await page
				.context()
				.browser()!
				.startTracing(page, {
					path: `${trace}-${i}.json`,
					categories: ['devtools.timeline', 'v8', 'IndexedDB', 'blink.user_timing']
				});
		const started = Date.now();
		await page.getByRole('link', { name: 'Clients' }).first().click();
		await page.locator('[data-client-row]').first().waitFor();
		times.wall.push(Date.now() - started);
		times.inPage.push(
			await page.evaluate(
				() => (globalThis as unknown as { __firstRows: Promise<number> }).__firstRows
			)
		);
		if (trace) await page.context().browser()!.stopTracing();
	}
	return times;
}

/** The in-page figure, with Playwright's for comparison with the runs before 2026-12-07. */
function rowFigures(rows: { inPage: number[]; wall: number[] }) {
	return {
		p50: round(percentile(rows.inPage, 50)),
		samples: rows.inPage.map(round),
		playwright: { p50: round(percentile(rows.wall, 50)), samples: rows.wall }
	};
}

const queries = ['mar', 'garc', 'jos', 'lu', 'an'];

/** Keystroke → list updated, timed inside the page (input event to the next frame after the DOM changed). */
async function searchKeystrokes(page: Page): Promise<number[]> {
	const input = page
		.getByRole('searchbox', { name: 'Search' })
		.or(page.getByRole('textbox', { name: 'Search' }));
	await input.first().waitFor();
	const handle = await input.first().elementHandle();
	if (!handle) throw new Error('no search input');
	// The figure is of filtering: typed while the list still loads every client into memory, a
	// keystroke waits for that load, and the one it ends in pays for building the index (360 ms
	// and more here at 100,000 clients).
	const loading = Date.now();
	await page.locator('#clients-loading').waitFor({ state: 'detached', timeout: 120_000 });
	log(`search: waited ${Date.now() - loading} ms for the list's full load`);
	const times: number[] = [];
	for (const query of queries) {
		await handle.fill('');
		await page.waitForTimeout(300);
		for (let i = 1; i <= query.length; i++) {
			const ms = await handle.evaluate(
				(el, value) =>
					new Promise<number>((resolve) => {
						const input = el as HTMLInputElement;
						const started = performance.now();
						const done = () =>
							requestAnimationFrame(() => {
								const ms = performance.now() - started;
								performance.measure(`keystroke ${ms.toFixed(1)}`, { start: started, duration: ms });
								resolve(ms);
							});
						const observer = new MutationObserver(() => {
							observer.disconnect();
							clearTimeout(timer);
							done();
						});
						const timer = setTimeout(() => {
							observer.disconnect();
							done();
						}, 3000);
						observer.observe(document.querySelector('main') ?? document.body, {
							childList: true,
							subtree: true,
							characterData: true
						});
						input.value = value;
						input.dispatchEvent(new Event('input', { bubbles: true }));
					}),
				query.slice(0, i)
			);
			times.push(ms);
		}
	}
	return times;
}

/** The same keystrokes answered by the server (a query per keystroke), timed in the page. */
async function onlineKeystrokes(page: Page, url: string): Promise<number[]> {
	const times: number[] = [];
	for (const query of queries) {
		for (let i = 1; i <= query.length; i++) {
			const ms = await page.evaluate(
				async ([base, q]) => {
					const input = encodeURIComponent(JSON.stringify({ json: { q, limit: 50 } }));
					const started = performance.now();
					const response = await fetch(`${base}/api/trpc/clients.search?input=${input}`);
					await response.json();
					return performance.now() - started;
				},
				[url, query.slice(0, i)] as const
			);
			times.push(ms);
		}
	}
	return times;
}

/**
 * Client ids in key order, read without the app: from the packed base's key pieces after a first
 * sync from a snapshot (docs/decisions.md §24), else from the table itself.
 */
async function clientIds(page: Page, count: number, offset: number): Promise<string[]> {
	return page.evaluate(
		([n, skip]) =>
			new Promise<string[]>((resolve, reject) => {
				const open = indexedDB.open('pinegate');
				open.onerror = () => reject(new Error('cannot open IndexedDB'));
				open.onsuccess = () => {
					const db = open.result;
					const packed = db.objectStoreNames.contains('bases');
					const tx = db.transaction(packed ? ['clients', 'bases', 'pieces'] : ['clients']);
					const done = (ids: string[]) => {
						db.close();
						resolve(ids.slice(skip, skip + n));
					};
					const fromTable = () => {
						const request = tx.objectStore('clients').getAllKeys(null, n + skip);
						request.onsuccess = () => done(request.result as string[]);
					};
					if (!packed) return fromTable();
					const base = tx.objectStore('bases').get('clients');
					base.onsuccess = () => {
						const refs = (base.result as { keys: Array<{ id: string }> } | undefined)?.keys;
						if (!refs?.length) return fromTable();
						const ids: string[] = [];
						const next = (i: number) => {
							const ref = refs[i];
							if (!ref || ids.length >= n + skip) return done(ids);
							const piece = tx.objectStore('pieces').get(ref.id);
							piece.onsuccess = () => {
								ids.push(
									...(JSON.parse((piece.result as { body: string }).body) as { keys: string[] })
										.keys
								);
								next(i + 1);
							};
						};
						next(0);
					};
				};
			}),
		[count, offset] as const
	);
}

/** Save on the edit form → the profile shows the new name. */
async function editClient(page: Page, url: string, id: string, name: string): Promise<number> {
	await page.goto(`${url}/clients/${id}/edit`);
	const field = page.getByLabel('Full name');
	await field.fill(name);
	const started = Date.now();
	await page.getByRole('button', { name: 'Save' }).click();
	// Exact text inside the page: offline, the sync panel also lists "Client edit · <name>" (hidden).
	await page.locator('main').getByText(name, { exact: true }).first().waitFor();
	return Date.now() - started;
}

/**
 * Edit → UI with no navigation: the profile is already open; each edit goes through the app's own
 * `mutate` (the bench hook, `pinegate.bench` in localStorage) and a MutationObserver on `main`
 * times until the new name is in the DOM. The Save → profile figure above includes SvelteKit's
 * navigation back to the profile; this one is the optimistic write + live query + render alone.
 */
async function inPageEdits(
	page: Page,
	url: string,
	id: string,
	count: number,
	gapMs = 0
): Promise<{ dom: number[]; stored: number[] }> {
	await page.evaluate(() => localStorage.setItem('pinegate.bench', 'on'));
	await page.goto(`${url}/clients/${id}`);
	await page.waitForFunction(() => '__pinegateBench' in globalThis);
	await page.waitForFunction(() => (document.querySelector('main')?.textContent ?? '').length > 0);
	const times = { dom: [] as number[], stored: [] as number[] };
	// The page settled (its live queries and requests after navigation), and one untimed edit first,
	// as the other benches run once before timing: the figure is of an edit on an open profile.
	await page.waitForTimeout(1_000);
	for (let i = -1; i < count; i++) {
		const name = `In page ${i} ${Date.now()}`;
		const { dom, stored } = await page.evaluate(
			([clientId, fullName]) =>
				new Promise<{ dom: number; stored: number }>((resolve, reject) => {
					const main = document.querySelector('main');
					if (!main) return reject(new Error('no main'));
					const hook = (
						globalThis as unknown as {
							__pinegateBench: { mutate(name: string, args: unknown): Promise<unknown> };
						}
					).__pinegateBench;
					const started = performance.now();
					// Also when the optimistic write committed, to tell waiting for IndexedDB (another
					// transaction ahead of it) from the live query and rendering after it.
					let stored = NaN;
					let dom = NaN;
					const done = () => {
						if (!Number.isNaN(stored) && !Number.isNaN(dom)) resolve({ dom, stored });
					};
					const observer = new MutationObserver(() => {
						if (!main.textContent?.includes(fullName)) return;
						observer.disconnect();
						dom = performance.now() - started;
						performance.measure(`edit ${dom.toFixed(1)}`, { start: started, duration: dom });
						done();
					});
					observer.observe(main, { childList: true, subtree: true, characterData: true });
					hook
						.mutate('client.update', { id: clientId, base: null, patch: { fullName } })
						.then(() => {
							stored = performance.now() - started;
							done();
						})
						.catch((error: unknown) => {
							observer.disconnect();
							reject(error instanceof Error ? error : new Error(String(error)));
						});
				}),
			[id, name] as const
		);
		// A person saves edits seconds apart: the sync run of the one before has ended.
		if (gapMs) await page.waitForTimeout(gapMs);
		if (i < 0) continue;
		times.dom.push(dom);
		times.stored.push(stored);
	}
	await page.evaluate(() => localStorage.removeItem('pinegate.bench'));
	return times;
}

/** The in-page figure, with the part spent until the optimistic write committed. */
function editFigures(times: { dom: number[]; stored: number[] }) {
	return {
		p50: round(percentile(times.dom, 50)),
		p95: round(percentile(times.dom, 95)),
		n: times.dom.length,
		committed: {
			p50: round(percentile(times.stored, 50)),
			p95: round(percentile(times.stored, 95))
		},
		samples: times.dom.map(round)
	};
}

async function namesOnDevice(page: Page, ids: string[]): Promise<Map<string, string | null>> {
	const entries = await page.evaluate(
		(keys) =>
			new Promise<Array<[string, string | null]>>((resolve) => {
				const open = indexedDB.open('pinegate');
				open.onsuccess = () => {
					const store = open.result.transaction('clients').objectStore('clients');
					const out: Array<[string, string | null]> = [];
					let left = keys.length;
					for (const key of keys) {
						const request = store.get(key);
						request.onsuccess = () => {
							out.push([
								key,
								(request.result as { fullName: string | null } | undefined)?.fullName ?? null
							]);
							if (--left === 0) {
								open.result.close();
								resolve(out);
							}
						};
					}
				};
			}),
		ids
	);
	return new Map(entries);
}

/**
 * A CPU profile of a page, written to `file` by `stop` (open it in Chromium's DevTools,
 * Performance panel); without a file, nothing is profiled and `stop` does nothing.
 */
async function cpuProfile(
	context: BrowserContext,
	page: Page,
	file: string | undefined,
	intervalUs: number
): Promise<{ stop(): Promise<void> }> {
	if (!file) return { stop: () => Promise.resolve() };
	const cdp = await context.newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
	await cdp.send('Profiler.start');
	return {
		async stop() {
			const { profile: data } = await cdp.send('Profiler.stop');
			writeFileSync(file, JSON.stringify(data));
		}
	};
}

async function newDevice(
	browser: Browser,
	url: string,
	profile?: string
): Promise<{ context: BrowserContext; page: Page; syncMs: number }> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	// tsx (esbuild's keepNames) wraps named functions in `__name(...)`; the functions this script
	// passes to `evaluate` run in the page, where that helper does not exist.
	await context.addInitScript('globalThis.__name = (fn) => fn;');
	const page = await context.newPage();
	if (!profile) return { context, page, syncMs: await login(page, url) };
	const profiler = await cpuProfile(context, page, profile, 1000);
	const syncMs = await login(page, url);
	await profiler.stop();
	log(`CPU profile of the initial sync written to ${profile}`);
	return { context, page, syncMs };
}

/**
 * Two devices offline, `EDITS` client edits each through the edit form, then both online: the time
 * until each device holds every edit.
 */
async function offlineConvergence(
	a: { context: BrowserContext; page: Page },
	b: { context: BrowserContext; page: Page },
	url: string,
	ids: readonly string[]
): Promise<number> {
	log(`two devices × ${EDITS} offline edits`);
	await a.context.setOffline(true);
	await b.context.setOffline(true);
	const expected = new Map<string, string>();
	for (let i = 0; i < EDITS; i++) {
		const idA = ids[20 + i]!;
		const idB = ids[20 + EDITS + i]!;
		expected.set(idA, `A offline ${i}`);
		expected.set(idB, `B offline ${i}`);
		await editClient(a.page, url, idA, `A offline ${i}`);
		await editClient(b.page, url, idB, `B offline ${i}`);
	}
	// `CONVERGE_PROFILE=FILE`: a CPU profile of device A's page while the devices converge.
	const profiler = await cpuProfile(a.context, a.page, process.env.CONVERGE_PROFILE, 500);
	const started = Date.now();
	await a.context.setOffline(false);
	await b.context.setOffline(false);
	const keys = [...expected.keys()];
	for (;;) {
		const [onA, onB] = [await namesOnDevice(a.page, keys), await namesOnDevice(b.page, keys)];
		if (keys.every((k) => onA.get(k) === expected.get(k) && onB.get(k) === expected.get(k))) break;
		if (Date.now() - started > 5 * 60_000) throw new Error('devices did not converge in 5 minutes');
		await a.page.waitForTimeout(100);
	}
	const convergedMs = Date.now() - started;
	await profiler.stop();
	return convergedMs;
}

async function main() {
	buildIfNeeded(log);
	const probeBefore = hostProbeMs();
	log(`host probe ${probeBefore} ms (see hostProbeMs)`);
	const dataset = await seededDataset(DATABASE, {
		clients: CLIENTS,
		indicators: Number(values.indicators),
		accesses: ACCESSES,
		admin: ADMIN,
		log,
		...(values['seed-cache'] ? { cache: values['seed-cache'] } : {})
	});

	const server = await startServer(dataset.env.DATA_DIR, {
		DATABASE_URL: dataset.env.DATABASE_URL
	});
	await runJobsNow(server.url, ADMIN, ['expiry-sweep', 'expiry-reminders'], log);
	if (server.process.pid !== undefined) await settled(server.process.pid, log);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
	try {
		log('device A: login and initial sync');
		const cpuBefore = cpuTicks();
		const a = await newDevice(browser, server.url, values.profile);
		const initialSyncCpuSeconds = cpuSecondsSince(cpuBefore, server.process.pid);
		log(`initial sync ${a.syncMs} ms, CPU ${JSON.stringify(initialSyncCpuSeconds)} s`);
		if (values.only === 'sync') {
			const hostProbe = { before: probeBefore, after: hostProbeMs() };
			process.stdout.write(
				`${JSON.stringify({ database: DATABASE, initialSyncMs: a.syncMs, initialSyncCpuSeconds, hostProbeMs: hostProbe }, null, 2)}\n`
			);
			return;
		}
		if (values.only === 'edits') {
			// The in-page edit figure alone, for working on it (figures in the usual report shape).
			// As in the full run: the clients list was opened before (its in-memory index follows
			// edits), and ten edits were saved through the form.
			await firstRows(a.page, server.url);
			const ids = await clientIds(a.page, 11, 0);
			for (let i = 0; i < 10; i++) await editClient(a.page, server.url, ids[i]!, `Warm ${i}`);
			if (process.env.EDIT_OFFLINE) await a.context.setOffline(true);
			const profiler = await cpuProfile(a.context, a.page, process.env.EDIT_PROFILE, 100);
			const inPage = await inPageEdits(a.page, server.url, ids[10]!, 30);
			for (const variant of (process.env.EDIT_ROUNDS ?? '').split(',').filter(Boolean)) {
				await a.context.setOffline(variant === 'offline');
				const tracing = variant === 'trace';
				if (tracing)
					await browser.startTracing(a.page, {
						path: '/tmp/edit-trace.json',
						categories: [
							'devtools.timeline',
							'disabled-by-default-devtools.timeline',
							'blink.user_timing',
							'v8',
							'IndexedDB'
						]
					});
				const round = await inPageEdits(
					a.page,
					server.url,
					ids[10]!,
					30,
					variant === 'spaced' ? 1_000 : 0
				);
				if (tracing) await browser.stopTracing();
				log(`${variant}: ${JSON.stringify({ dom: editFigures(round) })}`);
			}
			await profiler.stop();
			process.stdout.write(
				`${JSON.stringify({ inPageEditToDomMs: editFigures(inPage) }, null, 2)}\n`
			);
			return;
		}
		if (values.only === 'converge') {
			// The convergence figure alone: device B's first sync, then the offline edits.
			const ids = await clientIds(a.page, EDITS * 2 + 20, 0);
			const b = await newDevice(browser, server.url);
			log(`device B: initial sync ${b.syncMs} ms`);
			const convergedMs = await offlineConvergence(a, b, server.url, ids);
			const hostProbe = { before: probeBefore, after: hostProbeMs() };
			process.stdout.write(
				`${JSON.stringify({ twoDevicesOfflineEditsConvergedMs: { edits: EDITS * 2, ms: convergedMs }, hostProbeMs: hostProbe }, null, 2)}\n`
			);
			return;
		}
		const rows = await firstRows(a.page, server.url);
		log(`first rows ${rows.inPage.join(', ')} ms (Playwright: ${rows.wall.join(', ')} ms)`);
		if (values.only === 'rows') {
			const firstRowsMs = rowFigures(rows);
			const hostProbe = { before: probeBefore, after: hostProbeMs() };
			process.stdout.write(`${JSON.stringify({ firstRowsMs, hostProbeMs: hostProbe }, null, 2)}\n`);
			return;
		}
		// `SEARCH_TRACE=1`: a Chromium trace of the keystrokes, to /tmp/search-trace.json.
		if (process.env.SEARCH_TRACE)
			await browser.startTracing(a.page, {
				path: '/tmp/search-trace.json',
				categories: ['devtools.timeline', 'blink.user_timing', 'v8', 'IndexedDB']
			});
		// `SEARCH_PROFILE=FILE`: a CPU profile of the keystrokes.
		const searchProfiler = await cpuProfile(a.context, a.page, process.env.SEARCH_PROFILE, 100);
		const local = await searchKeystrokes(a.page);
		if (process.env.SEARCH_TRACE) await browser.stopTracing();
		await searchProfiler.stop();
		const online = await onlineKeystrokes(a.page, server.url);
		if (values.only === 'crm') {
			// `npm run bench:crm`: the clients list's own figures (issue 4), on the same dataset.
			const crm = {
				date: new Date().toISOString(),
				hostProbeMs: { before: probeBefore, after: hostProbeMs() },
				dataset: { clients: CLIENTS, accesses: ACCESSES },
				firstRowsMs: rowFigures(rows),
				searchKeystrokeMs: {
					p50: round(percentile(local, 50)),
					p95: round(percentile(local, 95)),
					n: local.length,
					samples: local.map(round)
				},
				onlineSearchKeystrokeMs: {
					p50: round(percentile(online, 50)),
					p95: round(percentile(online, 95)),
					n: online.length
				}
			};
			process.stdout.write(`${JSON.stringify(crm, null, 2)}\n`);
			return;
		}
		const ids = await clientIds(a.page, EDITS * 2 + 20, 0);
		const editTimes: number[] = [];
		for (let i = 0; i < 10; i++)
			editTimes.push(await editClient(a.page, server.url, ids[i]!, `Edited ${i} ${Date.now()}`));
		const inPageTimes = await inPageEdits(a.page, server.url, ids[10]!, 30);
		log(`in-page edit → DOM p95 ${round(percentile(inPageTimes.dom, 95))} ms`);

		log('device B: login and initial sync');
		const cpuBeforeB = cpuTicks();
		const b = await newDevice(browser, server.url);
		const deviceBCpuSeconds = cpuSecondsSince(cpuBeforeB, server.process.pid);
		log(`initial sync ${b.syncMs} ms, CPU ${JSON.stringify(deviceBCpuSeconds)} s`);
		const convergedMs = await offlineConvergence(a, b, server.url, ids);

		const report = {
			date: new Date().toISOString(),
			hostProbeMs: { before: probeBefore, after: hostProbeMs() },
			database: DATABASE,
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, Chromium headless`,
			dataset: { clients: CLIENTS, accesses: ACCESSES },
			initialSyncMs: { deviceA: a.syncMs, deviceB: b.syncMs },
			initialSyncCpuSeconds: { deviceA: initialSyncCpuSeconds, deviceB: deviceBCpuSeconds },
			firstRowsMs: rowFigures(rows),
			searchKeystrokeMs: {
				p50: round(percentile(local, 50)),
				p95: round(percentile(local, 95)),
				n: local.length
			},
			onlineSearchKeystrokeMs: {
				p50: round(percentile(online, 50)),
				p95: round(percentile(online, 95)),
				n: online.length
			},
			onlineToLocalRatioP95: round(percentile(online, 95) / percentile(local, 95)),
			localEditToUiMs: {
				p50: round(percentile(editTimes, 50)),
				p95: round(percentile(editTimes, 95)),
				n: editTimes.length
			},
			inPageEditToDomMs: editFigures(inPageTimes),
			twoDevicesOfflineEditsConvergedMs: { edits: EDITS * 2, ms: convergedMs }
		};
		process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	} finally {
		await browser.close();
		server.process.kill('SIGTERM');
		await new Promise((r) => server.process.once('exit', r));
		await dataset.remove();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(
		`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
	);
	process.exit(1);
});
