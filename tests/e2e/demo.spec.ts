/**
 * `npm run demo` for real, on a small dataset: the script builds nothing (the run's build is fresh),
 * seeds a temporary demo folder, starts the fake TradingView and the server, and prints how to log
 * in. A newcomer logs in with the printed account, grants access from the UI and sees it verified on
 * TradingView (the fake, asked over HTTP with the demo's session); SIGTERM then stops the server
 * (PGlite closed: the folder's lock is gone) and the fake, and the script exits 0.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { makeIndicators } from '../factories';
import { apiDevice, given } from './support/api';
import { startDemo } from './support/demo';

test.describe.configure({ timeout: 180_000 });

const SECONDS = { timeout: 30_000 };

test('npm run demo: log in with the printed account, a grant is verified on the fake TradingView, SIGTERM stops it all', async ({
	browser
}) => {
	const demo = await startDemo('--clients 30 --indicators 3 --accesses 60 --seed e2e'.split(' '));
	const { child, dataDir, email, password, fakeUrl } = demo;
	const context = await browser.newContext({ baseURL: demo.base });
	const page = await context.newPage();
	try {
		expect(demo.output()).toContain(`http://localhost:${demo.port}`);
		expect(email && password && fakeUrl).toBeTruthy();

		// Log in with the printed account.
		await page.goto('/login');
		await page.getByLabel('Email', { exact: true }).fill(email);
		await page.getByLabel('Password', { exact: true }).fill(password);
		await page.getByRole('button', { name: 'Log in', exact: true }).click();
		await expect(page.getByRole('link', { name: 'Accesses' }).first()).toBeVisible();

		// A client whose username TradingView knows (a TradingView user not yet in the CRM), and an
		// indicator of the demo catalogue (same seed → same indicators).
		const indicator = makeIndicators({ seed: 'e2e', count: 3, now: new Date() }).indicators.find(
			(i) => i.status === 'production'
		)!;
		await apiDevice(page).push(
			given.client({ tradingviewUsername: 'trial_tester', fullName: 'Trial Tester' })
		);

		// Grant from the UI; the server writes it to TradingView and reads it back.
		await page.getByRole('link', { name: 'Accesses' }).first().click();
		await page.getByRole('link', { name: 'Grant access' }).click();
		await page.getByRole('combobox', { name: 'Client' }).fill('trial');
		await page.getByRole('option', { name: /Trial Tester/ }).click();
		await page.getByRole('checkbox', { name: indicator.name }).check();
		await page.getByLabel('Duration', { exact: true }).selectOption({ label: '30 days' });
		await page.getByRole('button', { name: 'Grant access' }).click();
		const row = page.locator('[data-access-row]').filter({ hasText: 'Trial Tester' });
		await expect(row.filter({ hasText: indicator.name })).toContainText(
			'TradingView: verified',
			SECONDS
		);

		// TradingView (the fake) lists the user for the script, asked with the demo's session.
		const listed = await fetch(`${fakeUrl}/pine_perm/list_users/?limit=30&order_by=-created`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				cookie: 'sessionid=demo-sessionid; sessionid_sign=v3:demo-sessionid-sign='
			},
			body: new URLSearchParams({ pine_id: indicator.pubId, username: 'trial_tester' })
		});
		expect(listed.status).toBe(200);
		const body = (await listed.json()) as {
			results: Array<{ username: string; expiration?: string }>;
		};
		expect(body.results.map((r) => r.username)).toContain('trial_tester');

		// SIGTERM: the server closes PGlite (its lock file goes), the fake closes, exit 0.
		child.kill('SIGTERM');
		const code = await Promise.race([
			demo.exited,
			new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000))
		]);
		expect(code, demo.output()).toBe(0);
		expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(false);
		await expect(fetch(`${fakeUrl}/tvcoins/details/`)).rejects.toThrow();
	} finally {
		await context.close();
		await demo.dispose();
	}
});
