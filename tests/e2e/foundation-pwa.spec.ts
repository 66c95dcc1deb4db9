/**
 * PineGate as an installable, offline-first app: a valid manifest with its icons, a service worker
 * that serves the app shell without a network, and a new version that waits for the user's word
 * instead of reloading the page by itself.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from './support/app';
import {
	expectDashboard,
	expectedNav,
	login,
	mainNav,
	message,
	setupAdmin,
	ui
} from './support/helpers';

// The embedded default's own journey: on PGlite, also in CI (support/app.ts).
test.use({ appOptions: { database: 'pglite' } });

interface ManifestIcon {
	src: string;
	sizes: string;
	type?: string;
	purpose?: string;
}

interface Manifest {
	name?: string;
	short_name?: string;
	start_url?: string;
	scope?: string;
	display?: string;
	icons?: ManifestIcon[];
}

/** Width and height from a PNG's IHDR chunk (the first chunk, right after the signature). */
function pngSize(bytes: Buffer): { width: number; height: number } {
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	expect(bytes.subarray(0, 8).equals(signature), 'PNG signature').toBe(true);
	expect(bytes.subarray(12, 16).toString('ascii'), 'first chunk').toBe('IHDR');
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Waits until a service worker is active for the page and returns its script URL. */
async function activeWorker(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const registration = await navigator.serviceWorker.ready;
		return registration.active?.scriptURL ?? '';
	});
}

/**
 * A pass-through HTTP proxy in front of the app (the Host header is kept, so the app sees the
 * proxy's address as its own origin). After deploy(), /sw.js answers with extra bytes: to the
 * browser, a new version of the service worker.
 */
async function startDeployProxy(target: string): Promise<{
	baseURL: string;
	deploy(): void;
	servedNewWorker(): boolean;
	close(): Promise<void>;
}> {
	const upstream = new URL(target);
	let deployed = false;
	let servedNew = false;
	const server = http.createServer((request, response) => {
		const changeWorker = deployed && new URL(request.url ?? '/', 'http://x').pathname === '/sw.js';
		const headers = { ...request.headers };
		if (changeWorker) {
			// A plain, full answer to change: no compression, no "not modified".
			delete headers['accept-encoding'];
			delete headers['if-none-match'];
			delete headers['if-modified-since'];
		}
		const forward = http.request(
			{
				host: upstream.hostname,
				port: upstream.port,
				method: request.method,
				path: request.url,
				headers
			},
			(answer) => {
				if (!changeWorker || answer.statusCode !== 200) {
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
					return;
				}
				const chunks: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => chunks.push(chunk));
				answer.on('end', () => {
					const body = Buffer.concat([...chunks, Buffer.from('\n// e2e: the next deployment\n')]);
					const out = { ...answer.headers, 'content-length': String(body.length) };
					delete out.etag;
					delete out['last-modified'];
					servedNew = true;
					response.writeHead(200, out);
					response.end(body);
				});
			}
		);
		forward.on('error', () => response.destroy());
		request.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseURL: `http://127.0.0.1:${port}`,
		deploy: () => {
			deployed = true;
		},
		servedNewWorker: () => servedNew,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

function controller(page: Page): Promise<string | null> {
	return page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);
}

test('the manifest is valid, names both icon sizes and a maskable icon, and every icon is served', async ({
	page,
	request
}) => {
	// The pages point at it.
	await page.goto('/login');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(href).toBe('/manifest.webmanifest');

	const response = await request.get('/manifest.webmanifest');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toMatch(/^application\/(manifest\+)?json/);
	const manifest = (await response.json()) as Manifest;
	expect(manifest.name).toBe('PineGate');
	expect(manifest.short_name).toBeTruthy();
	expect(manifest.short_name!.length).toBeLessThanOrEqual(12);
	expect(manifest.start_url).toBe('/');
	expect(manifest.display).toBe('standalone');

	const icons = manifest.icons ?? [];
	const sizes = icons.map((icon) => icon.sizes);
	expect(sizes).toContain('192x192');
	expect(sizes).toContain('512x512');
	expect(icons.some((icon) => icon.purpose?.split(/\s+/).includes('maskable'))).toBe(true);
	expect(icons.some((icon) => (icon.purpose ?? 'any').split(/\s+/).includes('any'))).toBe(true);

	for (const icon of icons) {
		const url = new URL(icon.src, response.url());
		const image = await request.get(url.href);
		expect(image.status(), icon.src).toBe(200);
		expect(image.headers()['content-type'], icon.src).toBe('image/png');
		expect(icon.type ?? 'image/png', icon.src).toBe('image/png');
		const [width, height] = icon.sizes.split('x').map(Number);
		expect(pngSize(await image.body()), icon.src).toEqual({ width, height });
	}
});

test.describe('offline and updates', () => {
	// The second test logs in with the admin the first one creates.
	test.describe.configure({ mode: 'serial', timeout: 120_000 });

	const admin = {
		name: 'Olive Offline',
		email: 'olive@example.com',
		password: 'offline first, always'
	};

	test('after one visit, a reload without network still shows the app shell', async ({
		page,
		context
	}) => {
		await setupAdmin(page, admin);
		// The first visit installs the service worker; from the next load on it controls the page.
		expect(await activeWorker(page)).toMatch(/\/sw\.js$/);
		await page.reload();
		await expectDashboard(page, 'en', admin.name);
		expect(await controller(page)).toMatch(/\/sw\.js$/);

		await context.setOffline(true);
		try {
			// Really offline: the server cannot be reached from the page.
			const reachable = await page.evaluate(() =>
				fetch('/healthz', { cache: 'no-store' }).then(
					() => true,
					() => false
				)
			);
			expect(reachable).toBe(false);

			const reloaded = await page.reload();
			expect(reloaded?.fromServiceWorker()).toBe(true);
			await expectDashboard(page, 'en', admin.name);
			// The figures come from a Worker, whose script the service worker keeps too: a new
			// vendor's dashboard says where to start, which it knows only from the figures.
			await expect(page.getByText(message('en', 'pages.dashboard.emptyTitle'))).toBeVisible();
			await expect(mainNav(page, 'en').getByRole('link')).toHaveCount(
				expectedNav('en', 'admin').length
			);
			await expect(page.getByText(message('en', 'header.offlineHint'))).toBeVisible();

			// Any address opens offline too (the shell falls back for every navigation).
			const clients = await page.goto('/clients');
			expect(clients?.fromServiceWorker()).toBe(true);
			await expect(page.getByRole('heading', { level: 1, name: ui.en.nav.clients })).toBeVisible();

			// The analytics are computed by a Worker as well.
			const analytics = await page.goto('/analytics');
			expect(analytics?.fromServiceWorker()).toBe(true);
			await expect(page.getByText(message('en', 'analytics.emptyTitle'))).toBeVisible();
		} finally {
			await context.setOffline(false);
		}
		// Back online, the banner goes and the server confirms the session.
		await expect(page.getByText(message('en', 'header.offlineHint'))).toBeHidden();
		await expect(page.getByRole('button', { name: ui.en.logOut })).toBeVisible();
	});

	test('a new version is offered with a prompt and never reloads the page by itself', async ({
		page,
		app
	}) => {
		// Browsers fetch a worker's script outside the reach of page.route, so the "deployment" is
		// made by a small proxy in front of the server that changes /sw.js when asked to.
		const proxy = await startDeployProxy(app.baseURL);
		try {
			await login(page, admin, 'en', proxy.baseURL);
			expect(await activeWorker(page)).toMatch(/\/sw\.js$/);
			await page.reload();
			await expectDashboard(page, 'en', admin.name);
			const first = await controller(page);
			expect(first).toMatch(/\/sw\.js$/);

			// Something on the page that a reload would wipe, and a count of reloads.
			await page.evaluate(() => {
				(window as unknown as { e2eMarker: string }).e2eMarker = 'still here';
			});
			let navigations = 0;
			page.on('framenavigated', (frame) => {
				if (frame === page.mainFrame()) navigations += 1;
			});

			// A new version is deployed; the app's periodic check runs (now rather than in an hour).
			proxy.deploy();
			await page.evaluate(async () => {
				const registration = await navigator.serviceWorker.getRegistration();
				await registration?.update();
			});
			expect(proxy.servedNewWorker()).toBe(true);

			const prompt = page
				.getByRole('status')
				.filter({ hasText: message('en', 'update.available') });
			await expect(prompt).toBeVisible();
			await expect(prompt).toContainText(message('en', 'update.body'));

			// The new worker waits and the page stays as it is, however long the user takes.
			await page.waitForTimeout(2_000);
			const waiting = await page.evaluate(async () => {
				const registration = await navigator.serviceWorker.getRegistration();
				return {
					marker: (window as unknown as { e2eMarker?: string }).e2eMarker,
					waiting: registration?.waiting?.state ?? null,
					controller: navigator.serviceWorker.controller?.scriptURL ?? null
				};
			});
			expect(waiting).toEqual({ marker: 'still here', waiting: 'installed', controller: first });
			expect(navigations).toBe(0);

			// The user agrees: one reload, onto the new version.
			await prompt.getByRole('button', { name: message('en', 'update.reload') }).click();
			await expect.poll(() => navigations).toBeGreaterThan(0);
			await expectDashboard(page, 'en', admin.name);
			const after = await page.evaluate(async () => {
				const registration = await navigator.serviceWorker.getRegistration();
				return {
					marker: (window as unknown as { e2eMarker?: string }).e2eMarker ?? null,
					waiting: registration?.waiting ?? null,
					controlled: navigator.serviceWorker.controller !== null
				};
			});
			expect(after).toEqual({ marker: null, waiting: null, controlled: true });
			await expect(prompt).toBeHidden();
		} finally {
			await proxy.close();
		}
	});
});
