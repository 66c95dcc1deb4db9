/**
 * Issue 8, "Security checks" that need the real server and a browser: the Content-Security-Policy
 * (present, and nothing the app does violates it), foreign-Origin requests refused on every POST
 * route, the session cookie as the browser stores it, and secrets — the server's SECRET_KEY and
 * the TradingView cookies it was given — absent from the client bundle, every answer the browser
 * received, and the server's logs. Server-side checks without a browser: src/lib/server/security.pg.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, ROOT, test } from './support/app';
import { mainNav, setupAdmin, type Account } from './support/helpers';

test.describe.configure({ mode: 'serial' });

const SECRET_KEY = 'e2e-secret-key-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const TV_SESSIONID = 'tvsessionid0e2e1secret2value3abc';
const TV_SESSIONID_SIGN = 'v2:tvsignsecret0e2e1value2xyz3=';
const secrets = { SECRET_KEY, TV_SESSIONID, TV_SESSIONID_SIGN };
const admin: Account = {
	name: 'Sam Secure',
	email: 'sam@example.com',
	password: 'a long password 42'
};

test.use({
	appOptions: {
		env: {
			SECRET_KEY,
			TRADINGVIEW_SESSIONID: TV_SESSIONID,
			TRADINGVIEW_SESSIONID_SIGN: TV_SESSIONID_SIGN,
			// Nothing listens there: the env session is configured but never reaches TradingView.
			TRADINGVIEW_BASE_URL: 'http://127.0.0.1:9',
			TRADINGVIEW_SYNC: 'off',
			JOBS: 'off'
		}
	}
});

/** Every text the browser received, for the secrets check at the end. */
const received: Array<{ url: string; text: string }> = [];

function watch(page: Page): { violations: () => Promise<string[]>; console: string[] } {
	const messages: string[] = [];
	page.on('console', (msg) => {
		if (/content security policy|refused to (execute|load|apply)/i.test(msg.text()))
			messages.push(msg.text());
	});
	page.on('response', async (response) => {
		const type = response.headers()['content-type'] ?? '';
		if (!/json|javascript|html|text|event-stream/.test(type)) return;
		const text = await response.text().catch(() => '');
		received.push({ url: response.url(), text });
	});
	return {
		console: messages,
		violations: () => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])
	};
}

test('HTML pages carry a CSP without unsafe-inline scripts, and the app violates none of it', async ({
	page,
	request
}) => {
	const login = await request.get('/login');
	const csp = login.headers()['content-security-policy'] ?? '';
	expect(csp).toContain("default-src 'self'");
	expect(csp).toContain("object-src 'none'");
	expect(csp).toContain("frame-ancestors 'none'");
	const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
	expect(scriptSrc).toContain("'self'");
	expect(scriptSrc).not.toContain('unsafe-inline');
	expect(scriptSrc).not.toContain('unsafe-eval');
	// The prerendered shell at `/` carries the same policy in a <meta> tag (sirv serves it).
	const shell = await (await request.get('/')).text();
	expect(shell).toMatch(
		/<meta http-equiv="content-security-policy" content="[^"]*script-src 'self' 'sha256-/i
	);

	await page.addInitScript(() => {
		const store = window as unknown as { __csp: string[] };
		store.__csp = [];
		document.addEventListener('securitypolicyviolation', (event) =>
			store.__csp.push(`${event.violatedDirective} ${event.blockedURI}`)
		);
	});
	const seen = watch(page);
	await setupAdmin(page, admin);
	for (const name of [
		'Clients',
		'Indicators',
		'Accesses',
		'Calendar',
		'Analytics',
		'Users',
		'Settings'
	]) {
		await mainNav(page, 'en').getByRole('link', { name, exact: true }).click();
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		expect(await seen.violations(), `CSP violations on ${name}`).toEqual([]);
	}
	for (const url of [
		'/clients/new',
		'/indicators/new',
		'/notifications',
		'/audit',
		'/jobs',
		'/settings/backups'
	]) {
		await page.goto(url);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		expect(await seen.violations(), `CSP violations on ${url}`).toEqual([]);
	}
	expect(seen.console).toEqual([]);
});

test('the session cookie is HttpOnly, SameSite=Lax, Path=/, and not Secure over plain http', async ({
	page
}) => {
	await page.goto('/login');
	await page.getByLabel('Email', { exact: true }).fill(admin.email);
	await page.getByLabel('Password', { exact: true }).fill(admin.password);
	await page.getByRole('button', { name: 'Log in', exact: true }).click();
	await expect(page).toHaveURL(/\/$/);
	const cookie = (await page.context().cookies()).find((c) => c.name === 'pg_session');
	expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
	// Scripts cannot read it.
	expect(await page.evaluate(() => document.cookie)).not.toContain('pg_session');
});

test('POST routes refuse a foreign Origin with 403', async ({ request, app }) => {
	const foreign = { origin: 'https://evil.example', 'content-type': 'application/json' };
	for (const url of ['/api/trpc/auth.login', '/api/trpc/sync.push', '/api/test/clock']) {
		const answer = await request.post(url, { headers: foreign, data: { json: {} } });
		expect(answer.status(), url).toBe(403);
	}
	// A GET another site triggers (no Origin, but the browser says where it came from).
	const crossSite = await request.get('/api/trpc/auth.me', {
		headers: { 'sec-fetch-site': 'cross-site' }
	});
	expect(crossSite.status()).toBe(403);
	// A form posted from another site to a page (SvelteKit's own CSRF check).
	const form = await request.post('/login', {
		headers: {
			origin: 'https://evil.example',
			'content-type': 'application/x-www-form-urlencoded'
		},
		data: 'email=a&password=b'
	});
	expect(form.status()).toBe(403);
	const own = await request.post('/api/trpc/auth.login', {
		headers: { ...foreign, origin: app.baseURL },
		data: { json: { email: 'x@example.com', password: 'y' } }
	});
	expect(own.status()).not.toBe(403);
});

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? filesUnder(full) : [full];
	});
}

test('secrets are in no client file, no answer the browser received, no log line', async ({
	page,
	app
}) => {
	// The TradingView status page shows the env session is configured, never its values.
	watch(page);
	await page.goto('/login');
	await page.getByLabel('Email', { exact: true }).fill(admin.email);
	await page.getByLabel('Password', { exact: true }).fill(admin.password);
	await page.getByRole('button', { name: 'Log in', exact: true }).click();
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/settings');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await page.waitForLoadState('networkidle');

	const client = filesUnder(path.join(ROOT, 'build', 'client')).filter((f) =>
		/\.(js|html|css|json|webmanifest)$/.test(f)
	);
	expect(client.length).toBeGreaterThan(10);
	// Server-only code that would betray a $lib/server import in the bundle.
	// (Names like SECRET_KEY or secret.key are fine: the Backups page tells admins to keep them.)
	const serverOnly = ['aes-256-gcm', 'pg_advisory_xact_lock', 'password_hash', 'token_hash'];
	for (const file of client) {
		const text = readFileSync(file, 'utf8');
		for (const marker of serverOnly)
			expect(text.includes(marker), `${marker} in ${file}`).toBe(false);
		for (const [name, value] of Object.entries(secrets))
			expect(text.includes(value), `${name} in ${file}`).toBe(false);
	}
	expect(received.length).toBeGreaterThan(10);
	const logs = app.logs();
	expect(logs.length).toBeGreaterThan(5);
	for (const [name, value] of Object.entries({ ...secrets, password: admin.password })) {
		expect(
			received.filter((r) => r.text.includes(value)).map((r) => r.url),
			`${name} in answers`
		).toEqual([]);
		expect(
			logs.filter((line) => line.includes(value)),
			`${name} in the logs`
		).toEqual([]);
	}
});
