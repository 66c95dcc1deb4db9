/**
 * Clients, as a vendor meets them on a fresh PineGate: add the first clients (and be told clearly
 * what is wrong), find them again by any part of their name without caring about accents, filter,
 * sort, edit, import a spreadsheet, export the list, delete — then the same offline, and on a phone.
 *
 * One server for the file; the tests build on each other's clients, so they run in order.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from '@playwright/test';
import { parseCsv } from '../../src/lib/shared/csv';
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

// The embedded default's own journey: on PGlite, also in CI (support/app.ts).
test.use({ appOptions: { database: 'pglite' } });

test.describe.configure({ mode: 'serial' });

const STORY_TIMEOUT_MS = 180_000;
const admin: Account = {
	name: 'Ada Admin',
	email: 'ada@example.com',
	password: 'correct horse battery staple'
};

interface ClientInput {
	username: string;
	email?: string;
	fullName?: string;
	status?: 'Active' | 'Inactive';
	notes?: string;
}

function rows(page: Page) {
	return page.locator('[data-client-row]');
}

function rowNames(page: Page) {
	return rows(page).locator('th a');
}

function search(page: Page) {
	return page.getByRole('searchbox', { name: 'Search', exact: true });
}

async function openClients(page: Page): Promise<void> {
	await mainNav(page, 'en').getByRole('link', { name: 'Clients' }).click();
	await expect(page).toHaveURL(/\/clients(\?.*)?$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
}

async function fillClientForm(page: Page, client: ClientInput): Promise<void> {
	await page.getByLabel('TradingView username', { exact: true }).fill(client.username);
	await page.getByLabel('Email', { exact: true }).fill(client.email ?? '');
	await page.getByLabel('Full name', { exact: true }).fill(client.fullName ?? '');
	await page
		.getByLabel('Status', { exact: true })
		.selectOption({ label: client.status ?? 'Active' });
	await page.getByLabel('Notes', { exact: true }).fill(client.notes ?? '');
}

/** From the clients list: New client, fill the form, Save; ends on the new client's profile. */
async function createClient(page: Page, client: ClientInput): Promise<string> {
	await page.getByRole('link', { name: 'New client' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'New client' })).toBeVisible();
	await fillClientForm(page, client);
	await page.getByRole('button', { name: 'Save' }).click();
	const name = client.fullName ?? client.username;
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: `${name} was added.` })).toBeVisible();
	const id = /\/clients\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
	expect(id, 'the profile address carries the new id').toBeTruthy();
	return id as string;
}

/** A second device: its own browser profile, signed in as `account`. */
async function device(browser: Browser, baseURL: string, account: Account): Promise<Page> {
	const context = await browser.newContext({ baseURL, locale: 'en-US' });
	const page = await context.newPage();
	await login(page, account);
	return page;
}

const ids: Record<string, string> = {};

test('a new admin adds, finds, filters, sorts and edits clients', async ({ page }) => {
	test.setTimeout(STORY_TIMEOUT_MS);
	await setupAdmin(page, admin);
	await openClients(page);

	// The empty state says what to do.
	await expect(page.getByRole('heading', { name: 'No clients yet' })).toBeVisible();
	await expect(page.getByText(message('en', 'pages.clients.emptyBodyEdit'))).toBeVisible();
	await expect(page.getByRole('link', { name: 'Import CSV' }).first()).toBeVisible();
	await axeCheck(page, 'clients list (empty)');

	// An empty form is refused with a message on the username, which gets the focus.
	await page.getByRole('link', { name: 'New client' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'New client' })).toBeVisible();
	await page.getByRole('button', { name: 'Save' }).click();
	const username = page.getByLabel('TradingView username', { exact: true });
	await expect(username).toBeFocused();
	await expect(username).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText(message('en', 'validation.usernameTooShort'))).toBeVisible();
	// A bad email is named too.
	await page.getByLabel('Email', { exact: true }).fill('not-an-email');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText(message('en', 'validation.emailInvalid'))).toBeVisible();
	await axeCheck(page, 'new client form with errors');

	// The username is normalised as TradingView does when the field is left.
	await username.fill(' @jose.nunez ');
	await page.getByLabel('Email', { exact: true }).focus();
	await expect(username).toHaveValue('jose.nunez');
	await expect(page.getByText('unverified', { exact: true })).toBeVisible();
	await page.getByRole('link', { name: 'Clients' }).first().click();

	ids.jose = await createClient(page, {
		username: '@jose.nunez',
		email: 'Jose@Example.com',
		fullName: 'José Núñez',
		notes: 'Prefers email.\nPays yearly.'
	});
	// The profile: details, an unverified username, empty accesses, the history, the notes.
	await expect(page.getByText('jose.nunez', { exact: true })).toBeVisible();
	await expect(page.getByText('jose@example.com', { exact: true })).toBeVisible();
	await expect(page.getByText('unverified', { exact: true })).toBeVisible();
	await expect(page.getByText(message('en', 'clients.profile.noAccesses'))).toBeVisible();
	await expect(page.getByText('Client added')).toBeVisible();
	await expect(page.getByText('Prefers email.')).toBeVisible();
	await axeCheck(page, 'client profile');

	await openClients(page);
	ids.ana = await createClient(page, {
		username: 'ana_fx',
		email: 'ana@example.com',
		fullName: 'Ana López',
		status: 'Inactive'
	});

	// A username or email that another client has is refused, with a link to that client.
	await openClients(page);
	await page.getByRole('link', { name: 'New client' }).first().click();
	await fillClientForm(page, { username: 'JOSE.NUNEZ' });
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(
		page.getByText('Another client already has this TradingView username.')
	).toBeVisible();
	await expect(page.getByRole('link', { name: 'Open that client' })).toHaveAttribute(
		'href',
		`/clients/${ids.jose}`
	);
	await fillClientForm(page, { username: 'bob_fx', email: 'ANA@example.com' });
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Another client already has this email.')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Open that client' })).toHaveAttribute(
		'href',
		`/clients/${ids.ana}`
	);
	await page.getByLabel('Email', { exact: true }).fill('');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'bob_fx' })).toBeVisible();
	ids.bob = /\/clients\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';

	// The list: newest first, three rows.
	await openClients(page);
	await expect(rowNames(page)).toHaveText(['bob_fx', 'Ana López', 'José Núñez']);
	await expect(page.getByRole('status').filter({ hasText: '3 clients' })).toBeVisible();
	await axeCheck(page, 'clients list');

	// Search is instant, accent- and case-insensitive, across name, email and username.
	await search(page).fill('jose');
	await expect(rowNames(page)).toHaveText(['José Núñez']);
	await expect(page).toHaveURL(/\?q=jose$/);
	await search(page).fill('NUNEZ');
	await expect(rowNames(page)).toHaveText(['José Núñez']);
	await search(page).fill('ana@');
	await expect(rowNames(page)).toHaveText(['Ana López']);
	await search(page).fill('bob_');
	await expect(rowNames(page)).toHaveText(['bob_fx']);
	await expect(page.getByRole('status').filter({ hasText: '1 of 3 clients match' })).toBeVisible();
	await search(page).fill('nobody');
	await expect(page.getByRole('heading', { name: 'No clients match' })).toBeVisible();
	await page.getByRole('button', { name: 'Clear filters' }).first().click();
	await expect(rows(page)).toHaveCount(3);

	// Status filter, kept in the URL and across a reload.
	await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Inactive' });
	await expect(rowNames(page)).toHaveText(['Ana López']);
	await expect(page).toHaveURL(/\?status=inactive$/);
	await page.reload();
	await expect(page.getByLabel('Status', { exact: true })).toHaveValue('inactive');
	await expect(rowNames(page)).toHaveText(['Ana López']);
	await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Active' });
	await expect(rowNames(page)).toHaveText(['bob_fx', 'José Núñez']);
	await page.getByLabel('Status', { exact: true }).selectOption({ label: 'All' });

	// Registration dates: everyone registered today; nobody from tomorrow on.
	const day = (offset: number) => {
		const d = new Date(Date.now() + offset * 86_400_000);
		const pad = (n: number) => String(n).padStart(2, '0');
		return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
	};
	await page.getByLabel('Registered from').fill(day(0));
	await page.getByLabel('Registered to').fill(day(0));
	await expect(rows(page)).toHaveCount(3);
	await page.getByLabel('Registered from').fill(day(1));
	await page.getByLabel('Registered to').fill(day(1));
	await expect(page.getByRole('heading', { name: 'No clients match' })).toBeVisible();
	await expect(page).toHaveURL(new RegExp(`from=${day(1)}&to=${day(1)}`));
	await page.getByRole('button', { name: 'Clear filters' }).first().click();
	await expect(rows(page)).toHaveCount(3);

	// Sortable columns.
	await page.getByRole('button', { name: 'Sort by Full name' }).click();
	await expect(rowNames(page)).toHaveText(['Ana López', 'bob_fx', 'José Núñez']);
	await expect(page).toHaveURL(/\?sort=name$/);
	await page.getByRole('button', { name: 'Sort by Full name' }).click();
	await expect(rowNames(page)).toHaveText(['José Núñez', 'bob_fx', 'Ana López']);
	await page.getByRole('button', { name: 'Sort by Status' }).click();
	await expect(rowNames(page)).toHaveText(['bob_fx', 'José Núñez', 'Ana López']);
	await page.getByLabel('Sort by', { exact: true }).selectOption({ label: 'Username (A to Z)' });
	await expect(rowNames(page)).toHaveText(['Ana López', 'bob_fx', 'José Núñez']);

	// Edit: only what changed is saved; the profile and the list show it.
	await rowNames(page).filter({ hasText: 'José Núñez' }).click();
	await page.getByRole('link', { name: 'Edit' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Edit José Núñez' })).toBeVisible();
	await expect(page.getByLabel('Email', { exact: true })).toHaveValue('jose@example.com');
	await axeCheck(page, 'edit client form');
	await page.getByLabel('Full name', { exact: true }).fill('José Núñez García');
	await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Inactive' });
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'José Núñez García' })).toBeVisible();
	await expect(
		page.getByRole('status').filter({ hasText: 'Changes to José Núñez García saved.' })
	).toBeVisible();
	await expect(page.getByText('Inactive', { exact: true })).toBeVisible();
	// The History shows the edit once the server has applied it: who, what, before and after.
	const edited = page
		.getByRole('region', { name: 'History' })
		.getByRole('listitem')
		.filter({ hasText: 'Details edited' });
	await expect(edited).toContainText('Full name: José Núñez → José Núñez García');
	await expect(edited).toContainText('Status: Active → Inactive');
	await expect(edited).toContainText(`by ${admin.name}`);
	await openClients(page);
	await search(page).fill('garcia');
	await expect(rowNames(page)).toHaveText(['José Núñez García']);
});

test('import a CSV with a bad row and a duplicate, then export the filtered list', async ({
	page
}) => {
	test.setTimeout(STORY_TIMEOUT_MS);
	await login(page, admin);
	await openClients(page);
	// The header's link (the empty state shows a second one while the first sync is still loading).
	await page.getByRole('link', { name: 'Import CSV' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Import clients' })).toBeVisible();
	await axeCheck(page, 'import page');

	const csv = [
		'\uFEFFUsername,Email,Full name,Status,Notes',
		'carla.fx,carla@example.com,Carla Ruiz,active,"Referred by Ana, 2024"',
		'x,bad-email,Too Short,active,',
		'ANA_FX,,Ana again,,',
		'dani_trader,dani@example.com,Dánae Ortiz,inactive,"Two',
		'lines"',
		''
	].join('\r\n');
	await page.getByLabel('CSV file').setInputFiles({
		name: 'clients.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(csv, 'utf8')
	});
	await expect(
		page.getByText('4 rows: 2 ready to import, 1 with errors, 1 duplicates.')
	).toBeVisible();
	const line = (n: number) => page.locator(`[data-import-line="${n}"]`);
	await expect(line(2)).toContainText('Ready');
	await expect(line(3)).toContainText(
		'TradingView username: The TradingView username needs at least 2 characters.'
	);
	await expect(line(3)).toContainText('Email: Enter a valid email address, like name@example.com.');
	await expect(line(4)).toContainText('Another client already has this TradingView username.');
	await expect(line(4).getByRole('link', { name: 'Open that client' })).toHaveAttribute(
		'href',
		`/clients/${ids.ana}`
	);
	await expect(line(5)).toContainText('Ready');
	await page.getByLabel('Show only rows with problems').check();
	await expect(page.locator('[data-import-line]')).toHaveCount(2);
	await axeCheck(page, 'import preview');

	await page.getByRole('button', { name: 'Import 2 valid rows' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Imported 2 clients.' })).toBeVisible();
	await page.getByRole('link', { name: 'All clients' }).click();
	await expect(rows(page)).toHaveCount(5);
	await search(page).fill('danae');
	await expect(rowNames(page)).toHaveText(['Dánae Ortiz']);

	// Export what the list shows: active clients, by name.
	await search(page).fill('');
	await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Active' });
	await page.getByLabel('Sort by', { exact: true }).selectOption({ label: 'Name (A to Z)' });
	await expect(rowNames(page)).toHaveText(['bob_fx', 'Carla Ruiz']);
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export CSV' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^clients-\d{4}-\d{2}-\d{2}\.csv$/);
	const text = await readFile(await download.path(), 'utf8');
	expect(text.startsWith('\uFEFF')).toBe(true);
	const table = parseCsv(text);
	expect(table[0]).toEqual([
		'tradingview_username',
		'email',
		'full_name',
		'status',
		'registered_at',
		'notes'
	]);
	expect(table.slice(1).map((row) => [...row.slice(0, 4), row[5]])).toEqual([
		['bob_fx', '', '', 'active', ''],
		['carla.fx', 'carla@example.com', 'Carla Ruiz', 'active', 'Referred by Ana, 2024']
	]);
	for (const row of table.slice(1)) expect(row[4]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/);
	await expect(page.getByText(/Downloaded 2 clients as clients-/)).toBeVisible();
});

test('an admin deletes a client; its page then says it is gone', async ({ page }) => {
	await login(page, admin);
	await openClients(page);
	await rowNames(page).filter({ hasText: 'bob_fx' }).click();
	await page.getByRole('button', { name: 'Delete client' }).click();
	const dialog = page.getByRole('dialog', { name: 'Delete bob_fx?' });
	await expect(dialog).toBeVisible();
	await axeCheck(page, 'delete dialog');
	// Cancel keeps it.
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await page.getByRole('button', { name: 'Delete client' }).click();
	await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(page).toHaveURL(/\/clients$/);
	await expect(page.getByRole('status').filter({ hasText: 'bob_fx was deleted.' })).toBeVisible();
	await expect(rows(page)).toHaveCount(4);
	await expect(rowNames(page).filter({ hasText: 'bob_fx' })).toHaveCount(0);

	await page.goto(`/clients/${ids.bob}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Client not found' })).toBeVisible();
	await page.goto('/clients/0190a000-0000-7000-8000-000000000000/edit');
	await expect(page.getByRole('heading', { level: 1, name: 'Client not found' })).toBeVisible();
	await axeCheck(page, 'client not found');
});

test('offline: create and edit clients, see them pending, then synced', async ({
	page,
	browser,
	baseURL
}) => {
	test.setTimeout(STORY_TIMEOUT_MS);
	await login(page, admin);
	// Open each page once online so the app's code for them is loaded, as after normal use.
	await openClients(page);
	await page.getByRole('link', { name: 'New client' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'New client' })).toBeVisible();
	await page.goto(`/clients/${ids.ana}/edit`);
	await expect(page.getByRole('heading', { level: 1, name: 'Edit Ana López' })).toBeVisible();
	await page.goto(`/clients/${ids.ana}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Ana López' })).toBeVisible();
	await openClients(page);
	await expect(rows(page)).toHaveCount(4);

	await page.context().setOffline(true);
	await expect(page.getByRole('button', { name: 'Sync status' })).toContainText('Offline');

	ids.olga = await createClient(page, {
		username: 'olga_offline',
		fullName: 'Olga Sin Red',
		email: 'olga@example.com'
	});
	await expect(page.getByText('Pending', { exact: true })).toBeVisible();
	await openClients(page);
	await expect(rows(page).filter({ hasText: 'Olga Sin Red' })).toHaveCount(1);

	// Edit another client offline.
	await rowNames(page).filter({ hasText: 'Ana López' }).click();
	await page.getByRole('link', { name: 'Edit' }).click();
	// The detail page has a Notes section too: wait for the form, or the fill can reach it.
	await expect(page.getByRole('heading', { level: 1, name: 'Edit Ana López' })).toBeVisible();
	await page.getByLabel('Notes', { exact: true }).fill('Called while offline');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Called while offline', { exact: true })).toBeVisible();
	await expect(page.getByText('Pending', { exact: true })).toBeVisible();

	// Both show in the list as pending, and in the Sync panel.
	await openClients(page);
	for (const name of ['Olga Sin Red', 'Ana López']) {
		await expect(rows(page).filter({ hasText: name }).getByText('Pending')).toBeVisible();
	}
	await page.getByRole('button', { name: 'Sync status' }).click();
	const panel = page.getByRole('dialog', { name: 'Sync' });
	await expect(panel).toBeVisible();
	await expect(panel.getByText('New client · Olga Sin Red')).toBeVisible();
	await expect(panel.getByText('Client edit · Ana López')).toBeVisible();

	// Back online: both reach the server; nothing is pending any more.
	await page.context().setOffline(false);
	await expect(panel.getByText(message('en', 'sync.pendingEmpty'))).toBeVisible({
		timeout: 30_000
	});
	await panel.getByRole('button', { name: 'Close' }).click();
	await expect(rows(page).getByText('Pending')).toHaveCount(0);

	// Another device sees them.
	const other = await device(browser, baseURL as string, admin);
	await openClients(other);
	await search(other).fill('olga');
	await expect(rowNames(other)).toHaveText(['Olga Sin Red']);
	await rowNames(other).click();
	await expect(other.getByText('olga@example.com')).toBeVisible();
	await other.goto(`/clients/${ids.ana}`);
	await expect(other.getByText('Called while offline', { exact: true })).toBeVisible();
	await other.context().close();
});

test.describe('on a phone (360 × 740)', () => {
	test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

	test('list, form, profile and import fit the screen and pass axe', async ({ page }) => {
		test.setTimeout(STORY_TIMEOUT_MS);
		await login(page, admin);
		await openClients(page);
		await expect(rows(page).first()).toBeVisible();
		// Cards, not a table header.
		await expect(page.getByRole('button', { name: 'Sort by Full name' })).toBeHidden();
		await expectNoHorizontalOverflow(page, 'clients list');
		await axeCheck(page, 'clients list (phone)');

		await page.getByRole('link', { name: 'New client' }).first().click();
		await expect(page.getByRole('heading', { level: 1, name: 'New client' })).toBeVisible();
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText(message('en', 'validation.usernameTooShort'))).toBeVisible();
		await expectNoHorizontalOverflow(page, 'new client form');
		await axeCheck(page, 'new client form (phone)');

		await page.goto(`/clients/${ids.ana}`);
		await expect(page.getByRole('heading', { level: 1, name: 'Ana López' })).toBeVisible();
		await expectNoHorizontalOverflow(page, 'client profile');
		await axeCheck(page, 'client profile (phone)');

		await page.goto(`/clients/${ids.ana}/edit`);
		await expect(page.getByRole('heading', { level: 1, name: 'Edit Ana López' })).toBeVisible();
		await expectNoHorizontalOverflow(page, 'edit client form');

		await page.goto('/clients/import');
		await page.getByLabel('CSV file').setInputFiles({
			name: 'phone.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(
				'username,email,name\nvery_long_username_for_a_small_screen,someone.with.a.long.address@example.com,Ana\nx,,\n'
			)
		});
		await expect(page.getByText(/2 rows: 1 ready to import/)).toBeVisible();
		await expectNoHorizontalOverflow(page, 'import preview');
		await axeCheck(page, 'import preview (phone)');
	});
});
