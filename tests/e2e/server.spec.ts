/**
 * The production server as a process: health, headers, origin policy, logs, shutdown, DATA_DIR
 * lock. Deliberately independent of the UI (pages change; these promises don't).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, freePort, ROOT, spawnServer, startApp, test, waitForExit } from './support/app';

// The embedded default's own journey: on PGlite, also in CI (support/app.ts).
test.use({ appOptions: { database: 'pglite' } });

const SECURITY_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin'
};

function expectSecurityHeaders(headers: Record<string, string>, what: string): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		expect(headers[name], `${name} on ${what}`).toBe(value);
	}
	expect(headers['permissions-policy'], `permissions-policy on ${what}`).toMatch(
		/camera=\(\).*microphone=\(\).*geolocation=\(\)/
	);
	// Plain http without an https ORIGIN: no HSTS.
	expect(headers['strict-transport-security'], `HSTS on ${what}`).toBeUndefined();
}

/** A hashed asset of the build, served by sirv before any SvelteKit hook runs. */
function immutableAsset(): string {
	const dir = path.join(ROOT, 'build', 'client', '_app', 'immutable', 'entry');
	const file = readdirSync(dir).find((name) => name.endsWith('.js'));
	if (!file) throw new Error(`no built entry chunk in ${dir}: run npm run build`);
	return `/_app/immutable/entry/${file}`;
}

test('GET /healthz reports the embedded database as reachable', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(response.headers()['cache-control']).toBe('no-store');
	const body = (await response.json()) as Record<string, unknown>;
	expect(body).toMatchObject({ status: 'ok', database: { kind: 'pglite', reachable: true } });
	expect(typeof body.version).toBe('string');
	expect(body.uptimeSeconds).toEqual(expect.any(Number));
});

test('security headers are on the app shell, static files and API answers', async ({ request }) => {
	// The prerendered app shell, served by sirv before any SvelteKit hook runs. Its CSP is a <meta>
	// tag, where frame-ancestors does not apply: X-Frame-Options covers framing.
	const shell = await request.get('/');
	expect(shell.status()).toBe(200);
	expect(shell.headers()['content-type']).toContain('text/html');
	expectSecurityHeaders(shell.headers(), '/');
	expect(await shell.text()).toMatch(
		/<meta http-equiv="content-security-policy" content="[^"]*default-src 'self'/
	);

	for (const asset of ['/_app/version.json', immutableAsset()]) {
		const response = await request.get(asset);
		expect(response.status(), asset).toBe(200);
		expectSecurityHeaders(response.headers(), asset);
	}

	const api = await request.get('/healthz');
	expectSecurityHeaders(api.headers(), '/healthz');
});

test('the API refuses a foreign Origin and accepts its own', async ({ request, app }) => {
	const body = { json: { email: 'nobody@example.com', password: 'not the password' } };
	const foreign = await request.post('/api/trpc/auth.login', {
		headers: { origin: 'https://evil.example' },
		data: body
	});
	expect(foreign.status()).toBe(403);
	expectSecurityHeaders(foreign.headers(), 'a refused request');

	const own = await request.post('/api/trpc/auth.login', {
		headers: { origin: app.baseURL },
		data: body
	});
	// Wrong credentials, no user yet, validation: any answer but the origin refusal.
	expect(own.status()).not.toBe(403);
	expect(await own.text()).not.toContain('FOREIGN_ORIGIN');
});

test('logs are JSON lines and request lines carry the request id', async ({ request, app }) => {
	const requestId = `e2e-${Date.now().toString(36)}-logs`;
	const response = await request.get('/healthz', { headers: { 'x-request-id': requestId } });
	expect(response.headers()['x-request-id']).toBe(requestId);

	await expect
		.poll(() =>
			app.jsonLogs().find((entry) => entry.requestId === requestId && entry.msg === 'request')
		)
		.toMatchObject({ level: 30, method: 'GET', path: '/healthz', status: 200 });

	const listening = app.jsonLogs().find((entry) => entry.msg === 'listening');
	expect(listening).toMatchObject({ level: 30, port: app.port });

	// Node's own process warnings ("(node:123) …") are the only non-JSON lines tolerated.
	const plain = app.logs().filter((line) => !line.startsWith('(node:'));
	const notJson = plain.filter((line) => {
		try {
			return typeof JSON.parse(line) !== 'object';
		} catch {
			return true;
		}
	});
	expect(notJson).toEqual([]);
});

test('a second server on the same DATA_DIR exits non-zero saying it is in use', async ({ app }) => {
	// This file's app runs on PGlite (the default): the folder lock is what is under test.
	expect(app.dataDir).toBeTruthy();
	const second = spawnServer({ ...app.env, PORT: String(await freePort()) });
	const exit = await waitForExit(second, 30_000);
	expect(exit.code).not.toBe(0);
	expect(exit.code).not.toBeNull();
	expect(second.logs().join('\n')).toMatch(/DATA_DIR .* is in use by another PineGate server/);
	// The first server is unharmed.
	const health = await fetch(`${app.baseURL}/healthz`);
	expect(health.status).toBe(200);
});

test('a first start on an empty folder migrates, and SIGTERM stops it within 10 s', async () => {
	// No template: the full first-run path (initdb, every migration) on a fresh DATA_DIR.
	const own = await startApp({ database: 'pglite', template: false });
	try {
		// An idle keep-alive connection must not hold the shutdown.
		expect((await fetch(`${own.baseURL}/healthz`)).status).toBe(200);
		const started = Date.now();
		// Under `npm start` Ctrl-C arrives twice at once (terminal and npm): still a clean stop.
		own.child.kill('SIGTERM');
		own.child.kill('SIGTERM');
		const exit = await own.stop();
		expect(exit).toEqual({ code: 0, signal: null });
		expect(Date.now() - started).toBeLessThan(10_000);
		const messages = own.jsonLogs().map((entry) => entry.msg);
		expect(messages).toContain('shutting down');
		expect(messages).toContain('database closed');
	} finally {
		await own.stop().catch(() => {});
	}
});

// Registered only when a PostgreSQL is available (CI always provides one).
if (process.env.TEST_DATABASE_URL)
	test('the server runs on PostgreSQL when DATABASE_URL is set', async () => {
		const own = await startApp({ database: 'postgres' });
		try {
			const response = await fetch(`${own.baseURL}/healthz`);
			expect(await response.json()).toMatchObject({
				status: 'ok',
				database: { kind: 'postgres', reachable: true }
			});
			expect((await own.stop()).code).toBe(0);
		} finally {
			await own.stop().catch(() => {});
		}
	});
