/**
 * Bulk grant, as a vendor uses it: "give the new indicator to every active client". From the
 * Clients list filtered to Active, "Grant access to these clients" opens the bulk page on the same
 * list; choosing the indicator and 30 days previews 3 new grants and 1 extension (one client
 * already has it), confirming applies them with progress, and the grants show on the clients'
 * profiles, here and on a second device (so the server has them). Then the same offline (queued,
 * sent when the network returns, an inactive client refused in the preview), a long list applied
 * with a moving progress bar, a support user who is told they cannot grant, and the page at
 * 360 px with axe.
 *
 * One server for the file; the tests build on each other's data, so they run in order.
 */
import type { Browser, Page } from '@playwright/test';
import { apiDevice, given, pubIdFor } from './support/api';
import { expect, test } from './support/app';
import {
	axeCheck,
	expectNoHorizontalOverflow,
	login,
	mainNav,
	message,
	setupAdmin,
	type Account
} from './support/helpers';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

const admin: Account = {
	name: 'Bea Bulk',
	email: 'bea@example.com',
	password: 'grant them all at once'
};

const TREND = 'Trend Pulse';
const OWL = 'Night Owl Bands';
const ids: Record<string, string> = {};

/** A separate browser profile (its own cookies and IndexedDB), like a second device. */
async function device(browser: Browser, baseURL: string, account: Account): Promise<Page> {
	const context = await browser.newContext({ baseURL, locale: 'en-US' });
	const page = await context.newPage();
	await login(page, account);
	return page;
}

async function openClients(page: Page): Promise<void> {
	await mainNav(page, 'en').getByRole('link', { name: 'Clients' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
}

function bulkHeading(page: Page) {
	return page.getByRole('heading', { level: 1, name: 'Grant access to many clients' });
}

function totals(page: Page) {
	return page.locator('[data-bulk-totals]');
}

function previewRow(page: Page, clientId: string) {
	return page.locator(`[data-bulk-preview="${clientId}"]`);
}

function progressBar(page: Page) {
	return page.getByRole('progressbar', { name: /^Applied on this device:/ });
}

/** The "Current accesses" list of a client's profile. */
async function expectCurrentAccess(page: Page, clientId: string, name: string, indicator: string) {
	await page.goto(`/clients/${clientId}`);
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	const current = page
		.getByRole('heading', { level: 3, name: 'Current accesses' })
		.locator('xpath=..')
		.getByRole('listitem');
	await expect(current.filter({ hasText: indicator })).toHaveCount(1, { timeout: 30_000 });
}

test('a new admin bulk-grants an indicator to the active clients with a preview', async ({
	page,
	browser,
	baseURL
}) => {
	await setupAdmin(page, admin);
	// Given, from another device: 4 active clients and 1 inactive, 2 indicators, and Ana already
	// holding Trend Pulse.
	const api = apiDevice(page);
	const clients = {
		ana: given.client({ tradingviewUsername: 'ana_fx', fullName: 'Ana López' }),
		ben: given.client({ tradingviewUsername: 'ben_trades', fullName: 'Ben Ortiz' }),
		cat: given.client({ tradingviewUsername: 'cat_pips' }),
		dan: given.client({ tradingviewUsername: 'dan_swing', fullName: 'Dan Park' }),
		eve: given.client({ tradingviewUsername: 'eve_gone', fullName: 'Eve Idle', status: 'inactive' })
	};
	const trend = given.indicator({ name: TREND, pubId: pubIdFor(TREND), status: 'production' });
	const owl = given.indicator({ name: OWL, pubId: pubIdFor(OWL), status: 'production' });
	await api.push(...Object.values(clients), trend, owl);
	await api.push(
		given.grant(clients.ana.args.id, [trend.args.id], { kind: 'preset', preset: '30d' })
	);
	for (const [key, value] of Object.entries(clients)) ids[key] = value.args.id;
	// The device has Ana's grant (the preview below depends on it) before the story starts.
	await page.goto('/accesses');
	await expect(page.locator('[data-access-row]').filter({ hasText: 'Ana López' })).toHaveCount(1, {
		timeout: 30_000
	});

	// The Clients list, filtered to Active: its "Grant access to these clients" takes that list.
	await openClients(page);
	await expect(page.locator('[data-client-row]')).toHaveCount(5, { timeout: 30_000 });
	await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Active' });
	await expect(page.locator('[data-client-row]')).toHaveCount(4);
	await page.getByRole('link', { name: 'Grant access to these clients' }).click();
	await expect(bulkHeading(page)).toBeVisible();
	await expect(page).toHaveURL(/\/accesses\/bulk\?status=active$/);
	await expect(page.getByText('Active clients: 4', { exact: true })).toBeVisible();
	await expect(page.getByText('4 of 4 selected')).toBeVisible();
	await expect(page.getByText('Eve Idle')).toHaveCount(0);
	// Nothing is previewed until an indicator is chosen, and nothing can be confirmed.
	await expect(page.getByText(message('en', 'bulk.preview.chooseIndicators'))).toBeVisible();
	await expect(page.getByRole('button', { name: /^Grant to / })).toBeDisabled();

	await page.getByRole('checkbox', { name: TREND }).check();
	await page.getByLabel('Duration', { exact: true }).selectOption({ label: '30 days' });
	await page.getByLabel('Access type', { exact: true }).selectOption({ label: 'Paid' });
	await page.getByLabel('Note', { exact: true }).fill('Launch of Trend Pulse');
	await expect(totals(page)).toHaveText('3 new, 1 extended, 0 reopened, 0 refused');
	await expect(page.getByText('Clients that get a grant: 4')).toBeVisible();
	await expect(previewRow(page, ids.ana!)).toContainText(`${TREND}: current access extended to`);
	await expect(previewRow(page, ids.ben!)).toContainText(`New access to ${TREND}, until`);

	// Unticking a client takes it out of the preview; "Select all" puts it back.
	await page.getByRole('checkbox', { name: /Ben Ortiz/ }).uncheck();
	await expect(page.getByText('3 of 4 selected')).toBeVisible();
	await expect(totals(page)).toHaveText('2 new, 1 extended, 0 reopened, 0 refused');
	await expect(page.getByText('Not selected, left as they are: 1')).toBeVisible();
	await expect(previewRow(page, ids.ben!)).toHaveCount(0);
	await page.getByRole('button', { name: 'Select all' }).click();
	await expect(totals(page)).toHaveText('3 new, 1 extended, 0 reopened, 0 refused');
	await axeCheck(page, 'bulk grant with a preview');

	// Confirm: applied on this device, then sent; the button is gone so it cannot run twice.
	const confirm = page.getByRole('button', { name: 'Grant to 4 clients' });
	await confirm.click();
	await expect(page.getByText('Granted on this device: 4 clients.')).toBeVisible();
	await expect(confirm).toHaveCount(0);
	await expect(page.getByRole('checkbox', { name: TREND })).toBeDisabled();
	await expect(page.getByText(message('en', 'bulk.result.synced'))).toBeVisible({
		timeout: 30_000
	});
	// The preview that was confirmed stays as it was.
	await expect(totals(page)).toHaveText('3 new, 1 extended, 0 reopened, 0 refused');
	await axeCheck(page, 'bulk grant result');

	// The grants show on the profiles (Ana's is one grant, extended, not a second one).
	await expectCurrentAccess(page, ids.ben!, 'Ben Ortiz', TREND);
	await expectCurrentAccess(page, ids.ana!, 'Ana López', TREND);

	// The server has them: a fresh device downloads them.
	const other = await device(browser, baseURL as string, admin);
	await expectCurrentAccess(other, ids.cat!, 'cat_pips', TREND);
	await expectCurrentAccess(other, ids.dan!, 'Dan Park', TREND);
	await other.goto(`/clients/${ids.eve}`);
	await expect(other.getByRole('heading', { level: 1, name: 'Eve Idle' })).toBeVisible();
	await expect(other.getByText(message('en', 'clients.profile.noAccesses'))).toBeVisible();
	await other.context().close();
});

test('offline: the bulk grant is queued on the device and sent when the network returns', async ({
	page,
	browser,
	baseURL
}) => {
	await login(page, admin);
	// Every client, the inactive one included: it is listed as not grantable and refused.
	await openClients(page);
	await expect(page.locator('[data-client-row]')).toHaveCount(5, { timeout: 30_000 });
	await page.getByRole('link', { name: 'Grant access to these clients' }).click();
	await expect(bulkHeading(page)).toBeVisible();
	await expect(page.getByText('All clients: 5', { exact: true })).toBeVisible();
	await expect(page.getByRole('checkbox', { name: /Eve Idle/ })).toBeDisabled();
	await expect(page.getByText('Inactive: not grantable')).toBeVisible();

	await page.context().setOffline(true);
	await expect(page.getByRole('button', { name: 'Sync status' })).toContainText('Offline');
	await page.getByRole('checkbox', { name: OWL }).check();
	await expect(totals(page)).toHaveText('4 new, 0 extended, 0 reopened, 1 refused');
	await expect(page.getByText('1 refused: the client is inactive')).toBeVisible();
	await expect(previewRow(page, ids.eve!)).toContainText(message('en', 'grants.outcomes.inactive'));
	await page.getByRole('button', { name: 'Grant to 4 clients' }).click();
	await expect(page.getByText('Granted on this device: 4 clients.')).toBeVisible();
	await expect(
		page.getByText(message('en', 'bulk.result.waitingOffline', { count: '4' }))
	).toBeVisible();

	await page.context().setOffline(false);
	await expect(page.getByText(message('en', 'bulk.result.synced'))).toBeVisible({
		timeout: 30_000
	});
	const other = await device(browser, baseURL as string, admin);
	await expectCurrentAccess(other, ids.ben!, 'Ben Ortiz', OWL);
	await other.context().close();
});

test('a long list is applied with a progress bar', async ({ page }) => {
	await login(page, admin);
	const api = apiDevice(page);
	const many = Array.from({ length: 120 }, (_, i) =>
		given.client({ tradingviewUsername: `bulk_${String(i).padStart(4, '0')}` })
	);
	for (let i = 0; i < many.length; i += 100) await api.push(...many.slice(i, i + 100));

	await page.goto('/accesses/bulk?q=bulk_&status=active');
	await expect(bulkHeading(page)).toBeVisible();
	await expect(page.getByText('Active clients matching “bulk_”: 120', { exact: true })).toBeVisible(
		{
			timeout: 30_000
		}
	);
	// Fifty shown at a time; the selection covers all of them.
	await expect(page.locator('[data-bulk-client]')).toHaveCount(50);
	await expect(page.getByText('120 of 120 selected')).toBeVisible();
	await page.getByRole('checkbox', { name: TREND }).check();
	await expect(totals(page)).toHaveText('120 new, 0 extended, 0 reopened, 0 refused');
	await page.getByRole('button', { name: 'Grant to 120 clients' }).click();
	await expect(progressBar(page)).toBeVisible();
	await expect(page.getByText('Granted on this device: 120 clients.')).toBeVisible({
		timeout: 60_000
	});
	await expect(page.getByText(message('en', 'bulk.result.synced'))).toBeVisible({
		timeout: 60_000
	});
});

test.describe('on a phone (360 × 740)', () => {
	test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

	test('the bulk page fits the screen and passes axe', async ({ page }) => {
		await login(page, admin);
		await page.goto('/accesses/bulk?status=active&q=a');
		await expect(bulkHeading(page)).toBeVisible();
		await expect(page.getByText(/^Active clients matching “a”: \d+$/)).toBeVisible({
			timeout: 30_000
		});
		await page.getByRole('checkbox', { name: OWL }).check();
		await expect(totals(page)).toBeVisible();
		await expect(page.locator('[data-bulk-preview]').first()).toBeVisible();
		await expectNoHorizontalOverflow(page, 'bulk grant (phone)');
		await axeCheck(page, 'bulk grant (phone)');
	});
});
