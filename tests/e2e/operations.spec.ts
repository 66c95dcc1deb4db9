/**
 * The vendor's daily routine (issue 7), tried as a new admin would: the dashboard's figures for
 * known data, a reminder that appears when a grant enters its last 7 days (the server's clock is
 * moved forward) and opens the grant, the Jobs page running the expiry sweep now, and the audit
 * log showing the grant that was just made.
 */
import type { Page } from '@playwright/test';
import { given, apiDevice, pubIdFor } from './support/api';
import { expect, test } from './support/app';
import {
	axeCheck,
	expectNoHorizontalOverflow,
	login,
	mainNav,
	setupAdmin,
	type Account
} from './support/helpers';

test.describe.configure({ mode: 'serial', timeout: 180_000 });
// The schedule stays off: each job runs when the test presses Run now, on the moved clock.
test.use({ appOptions: { env: { TEST_CLOCK: 'on', JOBS: 'off', TRADINGVIEW_SYNC: 'off' } } });

const admin: Account = {
	name: 'Olga Owner',
	email: 'olga@example.com',
	password: 'routine off my hands'
};
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SYNCED = { timeout: 20_000 };

const kpi = (page: Page, key: string) => page.locator(`[data-kpi="${key}"] dd`);

async function moveServerClock(page: Page, advanceMs: number): Promise<void> {
	const response = await page.request.post('/api/test/clock', {
		data: { advanceMs },
		headers: { origin: new URL(page.url()).origin }
	});
	expect(response.ok()).toBe(true);
}

async function runJobNow(page: Page, name: string): Promise<void> {
	await mainNav(page, 'en').getByRole('link', { name: 'Jobs' }).click();
	await page.getByRole('button', { name: `Run ${name} now` }).click();
	await expect(page.getByRole('status').filter({ hasText: name })).toHaveText(
		`${name}: Succeeded.`
	);
}

/**
 * A client with one grant ending at `endsAt`; returns the grant's id. An inactive client is made
 * inactive after the grant (inactive clients take no new grants).
 */
async function clientWithGrant(
	page: Page,
	fullName: string,
	indicatorId: string,
	endsAt: number,
	status: 'active' | 'inactive' = 'active'
): Promise<string> {
	const client = given.client({
		tradingviewUsername: fullName.toLowerCase().replace(' ', '_'),
		fullName
	});
	const grant = given.grant(client.args.id, [indicatorId], {
		kind: 'until',
		endsAt: new Date(endsAt).toISOString()
	});
	const later =
		status === 'inactive'
			? [{ name: 'client.update', args: { id: client.args.id, base: null, patch: { status } } }]
			: [];
	await apiDevice(page).push(client, grant, ...later);
	return grant.args.items[0]?.accessId ?? '';
}

let indicatorId = '';

test('the dashboard shows the figures of the data, and renews from its upcoming list', async ({
	page
}) => {
	await setupAdmin(page, admin);
	const indicator = given.indicator({ name: 'Delta Waves', pubId: pubIdFor('deltawaves') });
	indicatorId = indicator.args.id;
	await apiDevice(page).push(indicator);
	const now = Date.now();
	await clientWithGrant(page, 'Ana Active', indicatorId, now + 30 * DAY);
	await clientWithGrant(page, 'Bea Week', indicatorId, now + 3 * DAY);
	await clientWithGrant(page, 'Cid Tomorrow', indicatorId, now + 20 * HOUR, 'inactive');

	await mainNav(page, 'en').getByRole('link', { name: 'Dashboard' }).click();
	await expect(kpi(page, 'totalClients')).toHaveText('3', SYNCED);
	await expect(kpi(page, 'activeClients')).toHaveText('2'); // Cid is inactive
	await expect(kpi(page, 'openGrants')).toHaveText('3');
	await expect(kpi(page, 'expiringIn7Days')).toHaveText('2');
	await expect(kpi(page, 'expiringTomorrow')).toHaveText('1');
	await expect(kpi(page, 'tradingViewFailing')).toHaveText('0');
	await expect(page.locator('[data-kpi="revenueAtRisk"]')).toContainText(
		'No paid grant with a known payment ends in the next 7 days.'
	);

	const upcoming = page.getByRole('region', { name: /Upcoming expirations/ });
	await expect(upcoming).toContainText('Bea Week · Delta Waves');
	await expect(upcoming).toContainText('Cid Tomorrow · Delta Waves');
	await upcoming.getByRole('button', { name: /Renew 30 days: Bea Week, Delta Waves/ }).click();
	await expect(page.getByText('Access renewed.')).toBeVisible();
	await expect(upcoming).not.toContainText('Bea Week');
	await expect(kpi(page, 'expiringIn7Days')).toHaveText('1');

	await axeCheck(page, 'Dashboard');
	await page.setViewportSize({ width: 360, height: 740 });
	await expectNoHorizontalOverflow(page, 'Dashboard at 360 px');
	await page.setViewportSize({ width: 1280, height: 800 });
});

test('a reminder appears when a grant enters its last 7 days, and opens the grant', async ({
	page
}) => {
	await login(page, admin);
	const grantId = await clientWithGrant(page, 'Dora Later', indicatorId, Date.now() + 8 * DAY);
	// Reminders for Bea and Cid (already in their last week) are not what this test is about.
	await runJobNow(page, 'Expiry reminders');
	await page.goto('/notifications');
	await page.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(page.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible(SYNCED);
	await expect(page.getByText(/Dora Later · Delta Waves ends/)).toHaveCount(0);

	// A day and a half later, Dora's grant has less than 7 days left.
	await moveServerClock(page, 1.5 * DAY);
	await runJobNow(page, 'Expiry reminders');
	const bell = page.getByRole('link', { name: 'Notifications, 1 unread' });
	await expect(bell).toBeVisible(SYNCED);
	await bell.click();
	const reminder = page.getByRole('link', {
		name: /Dora Later · Delta Waves ends in 7 days or less/
	});
	await expect(reminder).toBeVisible();
	// The others were marked read: "Only unread" lists Dora's alone, and unticked all again.
	const listed = page.getByRole('main').getByRole('listitem');
	const before = await listed.count();
	expect(before).toBeGreaterThan(1);
	await page.getByRole('checkbox', { name: 'Only unread' }).check();
	await expect(listed).toHaveCount(1);
	await expect(reminder).toBeVisible();
	await page.getByRole('checkbox', { name: 'Only unread' }).uncheck();
	await expect(listed).toHaveCount(before);
	await axeCheck(page, 'Notifications');
	await page.setViewportSize({ width: 360, height: 740 });
	await expectNoHorizontalOverflow(page, 'Notifications at 360 px');
	await page.setViewportSize({ width: 1280, height: 800 });

	await reminder.click();
	await expect(page).toHaveURL(new RegExp(`/accesses/${grantId}$`));
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Delta Waves');
	await expect(page.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible(SYNCED);
});

test('the Jobs page runs the expiry sweep now: the ended grant is recorded as expired', async ({
	page
}) => {
	await login(page, admin);
	const grantId = await clientWithGrant(
		page,
		'Eli Ending',
		indicatorId,
		// The server runs 1.5 days ahead since the last test: an hour left on its clock.
		Date.now() + 1.5 * DAY + HOUR
	);
	await moveServerClock(page, 3 * HOUR);
	await runJobNow(page, 'Expiry sweep');
	const run = page.locator('[data-testid="job-run"][data-job="expiry-sweep"]').first();
	await expect(run).toContainText('Succeeded');
	await expect(run).toContainText('By hand');

	await expect(page.getByRole('link', { name: /Notifications, \d+ unread/ })).toBeVisible(SYNCED);
	await page.goto('/notifications');
	await expect(
		page.getByRole('link', { name: /Eli Ending · Delta Waves has expired/ })
	).toBeVisible(SYNCED);
	await page.goto(`/accesses/${grantId}`);
	await expect(page.getByRole('main')).toContainText('expired', SYNCED);
});

test('the audit log shows the grant that was just made', async ({ page }) => {
	await login(page, admin);
	const client = given.client({ tradingviewUsername: 'fay_fresh', fullName: 'Fay Fresh' });
	await apiDevice(page).push(client);
	await page.goto('/accesses/new');
	await page.getByRole('combobox', { name: 'Client' }).fill('fay');
	await page.getByRole('option', { name: /Fay Fresh/ }).click();
	await page.getByRole('checkbox', { name: /Delta Waves/ }).check();
	await page.getByLabel('Duration', { exact: true }).selectOption({ label: '90 days' });
	await page.getByRole('button', { name: 'Grant access' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Access granted' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Sync status' })).toHaveAttribute(
		'data-status',
		'synced',
		SYNCED
	);

	await mainNav(page, 'en').getByRole('link', { name: 'Audit log' }).click();
	await page.getByLabel('Action').selectOption('access.grant');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	const entry = page.locator('tr[data-action="access.grant"]').filter({ hasText: client.args.id });
	await expect(entry).toHaveCount(1);
	await expect(entry).toContainText(admin.email);
	await entry.getByText('Before and after').click();
	await expect(entry).toContainText('"preset": "90d"');
	await axeCheck(page, 'Audit log');
	await page.setViewportSize({ width: 360, height: 740 });
	await expectNoHorizontalOverflow(page, 'Audit log at 360 px');
});
