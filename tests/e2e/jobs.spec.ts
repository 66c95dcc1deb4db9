/**
 * The admin Jobs page (docs/jobs.md): the scheduled jobs with their schedule in words, "Run now"
 * records a new run that shows as succeeded; offline the page says it needs the server; a seller
 * has no Jobs link and the server refuses them.
 */
import { expect, test } from './support/app';
import {
	axeCheck,
	callApi,
	createUser,
	expectNavigation,
	expectNoHorizontalOverflow,
	login,
	logout,
	mainNav,
	openUsers,
	setupAdmin,
	type Account
} from './support/helpers';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const admin: Account = { name: 'Jo Admin', email: 'jo@example.com', password: 'cron jobs all day' };
const seller: Account = {
	name: 'Sam Seller',
	email: 'sam@example.com',
	password: 'selling scripts daily'
};

test('an admin sees the jobs and runs the session check now', async ({ page }) => {
	await setupAdmin(page, admin);
	await mainNav(page, 'en').getByRole('link', { name: 'Jobs' }).click();
	await expect(page).toHaveURL(/\/jobs$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();

	const check = page.locator('[data-job="tradingview-session-check"]').first();
	await expect(check.getByRole('heading', { name: 'TradingView session check' })).toBeVisible();
	await expect(check).toContainText('Every hour, on the hour');
	const reconcile = page.getByTestId('job').filter({ hasText: 'TradingView reconciliation' });
	await expect(reconcile).toContainText('Every day at 03:00 UTC');
	await expect(check).toContainText(/Last run\s*Never/);

	await page.getByRole('button', { name: 'Run TradingView session check now' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'session check' })).toHaveText(
		'TradingView session check: Succeeded.'
	);
	// Other jobs (the expiry sweep, every minute) may have run meanwhile on their schedule.
	const run = page.locator('[data-testid="job-run"][data-job="tradingview-session-check"]');
	await expect(run).toHaveCount(1);
	await expect(run).toContainText('Succeeded');
	await expect(run).toContainText('By hand');
	await expect(check).toContainText('Succeeded');

	await axeCheck(page, 'Jobs');
	await page.setViewportSize({ width: 360, height: 740 });
	await expectNoHorizontalOverflow(page, 'Jobs at 360 px');
	await page.setViewportSize({ width: 1280, height: 800 });

	// Offline: the page says it needs the server, and Run now waits for the network.
	await page.context().setOffline(true);
	await expect(
		page.getByText('You are offline. The Jobs page reads from the server')
	).toBeVisible();
	await expect(
		page.getByRole('button', { name: 'Run TradingView session check now' })
	).toBeDisabled();
	await page.context().setOffline(false);
	await expect(
		page.getByRole('button', { name: 'Run TradingView session check now' })
	).toBeEnabled();
});

test('a seller has no Jobs link and is refused', async ({ page }) => {
	await login(page, admin);
	await openUsers(page);
	await createUser(page, { ...seller, role: 'seller' });
	await logout(page);

	await login(page, seller);
	await expectNavigation(page, 'en', 'seller');
	await expect(mainNav(page, 'en').getByRole('link', { name: 'Jobs' })).toHaveCount(0);
	await page.goto('/jobs');
	await expect(page.getByRole('heading', { name: 'For administrators' })).toBeVisible();
	await expect(page.getByRole('button', { name: /Run .* now/ })).toHaveCount(0);
	const refused = await callApi(page, 'jobs.runNow', 'mutation', {
		job: 'tradingview-session-check'
	});
	expect(refused.appCode).toBe('FORBIDDEN');
	expect((await callApi(page, 'jobs.list', 'query')).appCode).toBe('FORBIDDEN');
});
