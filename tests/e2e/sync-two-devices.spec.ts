/**
 * Two devices, two people, one set of clients (issue 3's required end-to-end test). The admin's
 * device (B) stays online; the seller's device (A) goes offline, adds and edits clients, and comes
 * back. Both devices must converge within seconds with every edit kept; B sees A's new client
 * without reloading (the server pokes it); and the one edit that cannot apply — a TradingView
 * username that B gave to another client meanwhile — is refused visibly on the record and in the
 * Sync panel, also after a reload.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, test } from './support/app';
import {
	createUser,
	login,
	mainNav,
	message,
	openUsers,
	setupAdmin,
	type Account
} from './support/helpers';

// The embedded default's own journey: on PGlite, also in CI (support/app.ts).
test.use({ appOptions: { database: 'pglite' } });

const PASSWORD = 'correct horse battery staple';
const admin: Account = { name: 'Ada Admin', email: 'ada@example.com', password: PASSWORD };
const seller: Account = { name: 'Sam Seller', email: 'sam@example.com', password: `${PASSWORD} 2` };
/** "Within seconds": pokes and pulls on a loaded 2-core machine. */
const CONVERGE = { timeout: 20_000 };

async function device(browser: Browser, baseURL: string): Promise<Page> {
	const context = await browser.newContext({ baseURL, locale: 'en-US' });
	return context.newPage();
}

function rows(page: Page) {
	return page.locator('[data-client-row]');
}

async function openClients(page: Page): Promise<void> {
	await mainNav(page, 'en').getByRole('link', { name: 'Clients' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
}

async function openClient(page: Page, name: string): Promise<string> {
	await openClients(page);
	await rows(page).locator('th a').filter({ hasText: name }).click();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	return /\/clients\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
}

async function createClient(
	page: Page,
	client: { username: string; fullName: string; email?: string }
): Promise<void> {
	await openClients(page);
	await page.getByRole('link', { name: 'New client' }).first().click();
	await page.getByLabel('TradingView username', { exact: true }).fill(client.username);
	await page.getByLabel('Email', { exact: true }).fill(client.email ?? '');
	await page.getByLabel('Full name', { exact: true }).fill(client.fullName);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('heading', { level: 1, name: client.fullName })).toBeVisible();
}

/** On the client's profile: Edit, change some fields, Save; back on the profile. */
async function editClient(page: Page, fields: Record<string, string>): Promise<void> {
	await page.getByRole('link', { name: 'Edit' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /^Edit / })).toBeVisible();
	for (const [label, value] of Object.entries(fields)) {
		await page.getByLabel(label, { exact: true }).fill(value);
	}
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('link', { name: 'Edit' })).toBeVisible();
}

/** The details list of a profile: the value shown for a label. */
function detail(page: Page, label: string) {
	return page.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
}

test('two devices converge: offline edits, concurrent field edits, pokes and a visible rejection', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(300_000);
	const b = await device(browser, baseURL as string);
	const a = await device(browser, baseURL as string);

	// B: the admin sets PineGate up, invites a seller and adds three clients.
	await setupAdmin(b, admin);
	await openUsers(b);
	await createUser(b, { ...seller, role: 'seller' });
	await createClient(b, { username: 'carmen_fx', fullName: 'Carmen Díaz' });
	await createClient(b, { username: 'yago_fx', fullName: 'Yago Ruiz' });
	await createClient(b, { username: 'zoe_fx', fullName: 'Zoe Vidal' });

	// A: the seller signs in on another device and receives them.
	await login(a, seller);
	await openClients(a);
	await expect(rows(a)).toHaveCount(3, CONVERGE);
	// Open the pages once online (their code is then loaded, as after normal use).
	const carmen = await openClient(a, 'Carmen Díaz');
	await a.getByRole('link', { name: 'Edit' }).click();
	await expect(a.getByRole('heading', { level: 1, name: 'Edit Carmen Díaz' })).toBeVisible();
	await openClients(a);
	await a.getByRole('link', { name: 'New client' }).first().click();
	await expect(a.getByRole('heading', { level: 1, name: 'New client' })).toBeVisible();

	// A goes offline: adds a client and edits it, edits Carmen's email and Yago's username.
	await a.context().setOffline(true);
	await expect(a.getByRole('button', { name: 'Sync status' })).toContainText('Offline');
	await createClient(a, { username: 'nuria_fx', fullName: 'Nuria Campos' });
	await editClient(a, { Notes: 'Added on the road' });
	await openClient(a, 'Carmen Díaz');
	await editClient(a, { Email: 'carmen@example.com' });
	await expect(detail(a, 'Email')).toHaveText('carmen@example.com');
	const yago = await openClient(a, 'Yago Ruiz');
	await editClient(a, { 'TradingView username': 'shared_name' });
	const zoe = await openClient(a, 'Zoe Vidal');
	await editClient(a, { Notes: 'Asked for a refund' });
	await openClients(a);
	await expect(rows(a).getByText('Pending')).toHaveCount(4);

	// Meanwhile B, online, edits another field of Carmen and gives "shared_name" to Zoe.
	await openClient(b, 'Carmen Díaz');
	await editClient(b, { Notes: 'Prefers WhatsApp' });
	await openClient(b, 'Zoe Vidal');
	await editClient(b, { 'TradingView username': 'shared_name', Notes: 'Renewal in May' });
	await openClients(b);
	await expect(rows(b)).toHaveCount(3);

	// A reconnects: both devices converge, with both edits of Carmen kept.
	await a.context().setOffline(false);
	// B sees A's new client without reloading: the server pokes it.
	await expect(rows(b).filter({ hasText: 'Nuria Campos' })).toHaveCount(1, CONVERGE);
	await rows(b).locator('th a').filter({ hasText: 'Carmen Díaz' }).click();
	await expect(detail(b, 'Email')).toHaveText('carmen@example.com', CONVERGE);
	await expect(b.getByText('Prefers WhatsApp', { exact: true })).toBeVisible();

	await a.goto(`/clients/${carmen}`);
	await expect(detail(a, 'Email')).toHaveText('carmen@example.com', CONVERGE);
	await expect(a.getByText('Prefers WhatsApp', { exact: true })).toBeVisible(CONVERGE);
	await expect(a.getByText('Pending', { exact: true })).toHaveCount(0, CONVERGE);

	// The username A chose offline was taken meanwhile: refused, shown on the record, undone.
	const reason = message('en', 'errors.USERNAME_TAKEN');
	await a.goto(`/clients/${yago}`);
	await expect(a.getByText(`Rejected: ${reason}`)).toBeVisible(CONVERGE);
	await expect(a.getByText('yago_fx', { exact: true })).toBeVisible();
	// …and in the Sync panel, with a way to the client that has the username.
	await a.getByRole('button', { name: 'Sync status' }).click();
	const panel = a.getByRole('dialog', { name: 'Sync' });
	await expect(panel.getByRole('heading', { name: /Refused by the server/ })).toBeVisible();
	await expect(panel.getByText('Client edit · Yago Ruiz')).toBeVisible();
	await expect(panel.getByText(reason)).toBeVisible();
	await expect(panel.getByRole('link', { name: 'Open the other client' })).toBeVisible();
	await panel.getByRole('button', { name: 'Close' }).click();

	// Still there after a reload, until someone dismisses it.
	await a.reload();
	await expect(a.getByRole('heading', { level: 1, name: 'Yago Ruiz' })).toBeVisible();
	await expect(a.getByText(`Rejected: ${reason}`)).toBeVisible();
	await a.getByRole('button', { name: 'Sync status' }).click();
	await expect(panel.getByText('Client edit · Yago Ruiz')).toBeVisible();
	await panel.getByRole('button', { name: 'Close' }).click();
	await a.getByRole('button', { name: /^Dismiss/ }).click();
	await expect(a.getByText(`Rejected: ${reason}`)).toHaveCount(0);

	// The rest of A's offline work reached the server: B has Nuria's notes.
	await openClient(b, 'Nuria Campos');
	await expect(b.getByText('Added on the road', { exact: true })).toBeVisible(CONVERGE);

	// Both changed Zoe's notes: A's edit reached the server last and wins; B is told, on the
	// record in the list and on its profile, and keeps the username it gave.
	const replaced = 'Your change to Notes was replaced by a later edit.';
	await a.goto(`/clients/${zoe}`);
	await expect(a.getByText('Asked for a refund', { exact: true })).toBeVisible(CONVERGE);
	await openClients(b);
	await expect(rows(b).filter({ hasText: 'Zoe Vidal' }).getByText(replaced)).toBeVisible(CONVERGE);
	await expect(rows(b).getByText(replaced)).toHaveCount(1);
	await rows(b).locator('th a').filter({ hasText: 'Zoe Vidal' }).click();
	await expect(b.getByText('Asked for a refund', { exact: true })).toBeVisible();
	await expect(b.getByText(replaced)).toBeVisible();
	await expect(detail(b, 'TradingView username')).toContainText('shared_name');

	await a.context().close();
	await b.context().close();
});
