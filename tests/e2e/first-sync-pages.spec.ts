/**
 * A vendor with a real history signs in on a new device: the first sync arrives as a snapshot in
 * several pieces (10,000 rows a piece; here about 15,000 rows; docs/decisions.md §24), each delayed
 * by a second and a half on its way so the progress can be seen. The Sync panel shows "Downloading your data: N of M
 * records" while the pages arrive; afterwards the dashboard (whose computation waits during a
 * many-page pull) counts every client, the grants list (whose mirrors wait too) holds every
 * grant, and the analytics (computed in a worker that waits as well) chart them. Seeded by `npm run demo` on its own folder (the demo spec covers the script itself).
 */
import { test, expect } from '@playwright/test';
import { DEFAULT_SNAPSHOT_LIMIT } from '../../src/lib/shared/sync/protocol';
import { startDemo } from './support/demo';

test.describe.configure({ timeout: 240_000 });

const CLIENTS = 3_000;
const GRANTS = 3_000;
const PAGE_DELAY_MS = 1_500;
const digits = (text: string) => Number(text.replace(/\D/g, ''));

test('a large history arrives piece by piece with its progress, then every page shows all of it', async ({
	browser
}) => {
	const demo = await startDemo(
		`--clients ${CLIENTS} --indicators 5 --accesses ${GRANTS} --seed pages`.split(' ')
	);
	// No service worker here: Playwright's routing does not see requests a service worker makes.
	const context = await browser.newContext({ baseURL: demo.base, serviceWorkers: 'block' });
	const page = await context.newPage();
	const pieces: number[] = [];
	await context.route(/\/trpc\/[^?]*sync\.snapshot/, async (route) => {
		pieces.push(Date.now());
		await new Promise((resolve) => setTimeout(resolve, PAGE_DELAY_MS));
		await route.continue();
	});
	try {
		await page.goto('/login');
		await page.getByLabel('Email', { exact: true }).fill(demo.email);
		await page.getByLabel('Password', { exact: true }).fill(demo.password);
		await page.getByRole('button', { name: 'Log in', exact: true }).click();

		// The first sync's progress, in the Sync panel, while pages are still coming.
		await page.getByRole('button', { name: 'Sync status' }).click();
		const progress = page.getByText(/Downloading your data: [\d,. ]+ of [\d,. ]+ records/);
		await expect(progress).toBeVisible({ timeout: 60_000 });
		const [received = '', total = ''] = (await progress.textContent())!
			.replace('Downloading your data:', '')
			.split(' of ');
		expect(digits(received)).toBeLessThan(digits(total));
		expect(digits(total)).toBeGreaterThan(CLIENTS + GRANTS);
		await expect(progress).toBeHidden({ timeout: 180_000 });
		// As many pieces as the rows fill, and more than one.
		const expected = Math.ceil(digits(total) / DEFAULT_SNAPSHOT_LIMIT);
		expect(expected).toBeGreaterThanOrEqual(2);
		expect(pieces.length).toBeGreaterThanOrEqual(expected);
		await page.keyboard.press('Escape');

		// The dashboard waited for the pull, then computed from every stored row.
		await page.getByRole('link', { name: 'Dashboard' }).first().click();
		await expect(page.locator('[data-kpi="totalClients"] dd')).toHaveText(
			CLIENTS.toLocaleString('en-US'),
			{ timeout: 30_000 }
		);

		// The grants list holds every grant.
		await page.getByRole('link', { name: 'Accesses' }).first().click();
		await expect(page.getByRole('button', { name: /^All / })).toContainText(
			GRANTS.toLocaleString('en-US'),
			{ timeout: 30_000 }
		);

		// The analytics, whose worker waited too, count every client in the period's last month.
		await page.getByRole('link', { name: 'Analytics' }).first().click();
		await expect(page.getByTestId('clients-table').locator('tbody tr').last()).toContainText(
			CLIENTS.toLocaleString('en-US'),
			{ timeout: 30_000 }
		);
	} finally {
		await context.close();
		await demo.dispose();
	}
});
