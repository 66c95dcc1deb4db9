/**
 * The indicator catalogue, as a vendor meets it: an admin adds an indicator (a malformed PUB ID is
 * refused with the message, a taken one with a link to the indicator that has it), releases a
 * version, retires it, and finds it marked Retired in the list. Then the same on a device without
 * network: the changes show at once, marked pending, and reach the server when the network returns
 * (a second device sees them). A seller sees the catalogue but cannot change it. Last, the pages at
 * phone size (nothing scrolls sideways) and axe on each of them.
 *
 * The tests share one server and build on each other, so they run in order.
 */
import type { Browser, Locator, Page } from '@playwright/test';
import { expect, test } from './support/app';
import {
	axeCheck,
	createUser,
	expectNoHorizontalOverflow,
	login,
	mainNav,
	message,
	openUsers,
	setupAdmin,
	switchLanguage,
	ui,
	type Account
} from './support/helpers';

// Long flows on a shared 2-core machine: each test drives several pages end to end.
test.describe.configure({ mode: 'serial', timeout: 150_000 });

const admin: Account = {
	name: 'Iris Indicators',
	email: 'iris@example.com',
	password: 'pine scripts all day'
};
const seller: Account = {
	name: 'Sol Seller',
	email: 'sol@example.com',
	password: 'selling access daily'
};

/** A well-formed PUB ID: `PUB;` and 32 letters and digits. */
function pubId(seed: string): string {
	return `PUB;${seed.repeat(32).slice(0, 32)}`;
}

const TREND = { name: 'Trend Pulse', pubId: pubId('a1B2c3'), version: '1.0' };
const OFFLINE = { name: 'Night Owl Bands', pubId: pubId('N0w1'), version: '0.9' };

// Stable visible names (DESIGN.md §8) and the page's own labels, in English.
const L = {
	newIndicator: 'New indicator',
	name: 'Name',
	pubId: 'PUB ID',
	version: 'Version',
	status: 'Status',
	description: 'Description',
	save: 'Save',
	releaseVersion: 'Release version',
	release: 'Release',
	notes: 'Notes',
	retire: 'Retire',
	retireConfirm: 'Retire indicator',
	retired: 'Retired',
	pending: 'Pending',
	filter: 'Filter by status',
	history: 'Version history',
	details: 'Details',
	usage: 'Usage'
};

/** A separate browser profile (its own cookies and IndexedDB), like a second device. */
async function device(browser: Browser, baseURL: string, size?: { width: number; height: number }) {
	const context = await browser.newContext({ baseURL, locale: 'en-US', viewport: size });
	return { context, page: await context.newPage() };
}

async function openIndicators(page: Page): Promise<void> {
	await mainNav(page, 'en').getByRole('link', { name: ui.en.nav.indicators }).click();
	await expect(page).toHaveURL(/\/indicators(\?.*)?$/);
	await expect(page.getByRole('heading', { level: 1, name: ui.en.nav.indicators })).toBeVisible();
}

function indicatorForm(page: Page): Locator {
	return page.getByRole('form', { name: L.newIndicator });
}

/** The value shown for a term of a description list (details, usage figures). */
function detail(scope: Locator, term: string): Locator {
	return scope
		.getByRole('term')
		.filter({ hasText: new RegExp(`^${term}$`) })
		.locator('xpath=following-sibling::dd[1]');
}

/** The list row of an indicator (a table row on desktop, a card on phones). */
function row(page: Page, name: string): Locator {
	return page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

async function fillIndicator(
	form: Locator,
	values: { name: string; pubId: string; version?: string; status?: string; description?: string }
): Promise<void> {
	await form.getByLabel(L.name, { exact: true }).fill(values.name);
	await form.getByLabel(L.pubId, { exact: true }).fill(values.pubId);
	if (values.version !== undefined)
		await form.getByLabel(L.version, { exact: true }).fill(values.version);
	if (values.status) await form.getByLabel(L.status, { exact: true }).selectOption(values.status);
	if (values.description !== undefined)
		await form.getByLabel(L.description, { exact: true }).fill(values.description);
}

/** Releases a version from the indicator's page (which must be open). */
async function releaseVersion(page: Page, version: string, notes: string): Promise<void> {
	await page.getByRole('button', { name: L.releaseVersion }).click();
	const form = page.getByRole('form', { name: message('en', 'indicators.release.title') });
	await expect(form.getByLabel(L.version, { exact: true })).toBeFocused();
	await form.getByLabel(L.version, { exact: true }).fill(version);
	await form.getByLabel(L.notes, { exact: true }).fill(notes);
	await form.getByRole('button', { name: L.release, exact: true }).click();
	await expect(form).toBeHidden();
	await expect(page.getByRole('status').filter({ hasText: version })).toHaveText(
		message('en', 'indicators.release.released', { version })
	);
}

/** The indicator's page shows `version` as its current version, at the top of its history. */
async function expectCurrentVersion(page: Page, version: string): Promise<void> {
	await expect(detail(page.getByRole('region', { name: L.details }), L.version)).toHaveText(
		version
	);
	const latest = page.getByRole('region', { name: L.history }).getByRole('listitem').first();
	await expect(latest).toContainText(version);
	await expect(latest).toContainText(message('en', 'indicators.history.current'));
}

/**
 * The service worker installed on the first load controls the page from the next one: the app's
 * code then comes from its cache, as on a device that has used PineGate before going offline.
 */
async function useServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.reload();
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

async function expectSynced(page: Page): Promise<void> {
	await expect(page.getByRole('button', { name: 'Sync status' })).toHaveAttribute(
		'data-status',
		'synced',
		{ timeout: 30_000 }
	);
}

test('an admin adds an indicator and releases a version', async ({ page }) => {
	await setupAdmin(page, admin);
	await openIndicators(page);

	// An empty catalogue says what to do next.
	await expect(
		page.getByRole('heading', { name: message('en', 'pages.indicators.emptyTitle') })
	).toBeVisible();
	await expect(page.getByText(message('en', 'pages.indicators.emptyBodyEdit'))).toBeVisible();

	await page.getByRole('button', { name: L.newIndicator }).first().click();
	await expect(page).toHaveURL(/\/indicators\/new$/);
	const form = indicatorForm(page);
	await expect(form.getByLabel(L.name, { exact: true })).toBeFocused();

	// A malformed PUB ID is refused with the reason, and nothing is saved.
	await fillIndicator(form, {
		name: TREND.name,
		pubId: 'PUB;tooShort',
		version: TREND.version,
		status: 'production',
		description: 'Trend strength in one line.'
	});
	await form.getByRole('button', { name: L.save }).click();
	const pubIdInput = form.getByLabel(L.pubId, { exact: true });
	await expect(pubIdInput).toHaveAttribute('aria-invalid', 'true');
	await expect(pubIdInput).toBeFocused();
	await expect(form.getByText(message('en', 'validation.pubIdFormat'))).toBeVisible();
	await expect(page).toHaveURL(/\/indicators\/new$/);

	// Pasted with stray spaces, a good one is saved and opens the indicator's page.
	await pubIdInput.fill(`  ${TREND.pubId} `);
	await form.getByRole('button', { name: L.save }).click();
	await expect(page).toHaveURL(/\/indicators\/[0-9a-f-]{36}$/);
	const trendUrl = page.url();
	await expect(page.getByRole('heading', { level: 1, name: TREND.name })).toBeVisible();
	const details = page.getByRole('region', { name: L.details });
	await expect(detail(details, L.pubId)).toContainText(TREND.pubId);
	await expect(detail(details, L.pubId)).toContainText('Unverified');
	await expect(detail(details, L.status)).toHaveText('Production');
	await expectCurrentVersion(page, TREND.version);

	// No grants yet: zero users, and no renewal rate rather than 0%.
	const usage = page.getByRole('region', { name: L.usage });
	await expect(detail(usage, 'Active users')).toHaveText('0');
	await expect(detail(usage, 'Expiring in 7 days')).toHaveText('0');
	await expect(detail(usage, 'Total grants')).toHaveText('0');
	await expect(detail(usage, 'Renewal rate')).toHaveText('—');

	// Releasing the same version again is refused; a new one tops the history.
	await page.getByRole('button', { name: L.releaseVersion }).click();
	const release = page.getByRole('form', { name: message('en', 'indicators.release.title') });
	await release.getByLabel(L.version, { exact: true }).fill(TREND.version);
	await release.getByRole('button', { name: L.release, exact: true }).click();
	await expect(
		release.getByText(message('en', 'indicators.release.exists', { version: TREND.version }))
	).toBeVisible();
	await release.getByRole('button', { name: 'Cancel' }).click();
	await expect(release).toBeHidden();
	await expect(page.getByRole('button', { name: L.releaseVersion })).toBeFocused();
	await releaseVersion(page, '1.1', 'Smoother signal on low timeframes.');
	await expectCurrentVersion(page, '1.1');
	const history = page.getByRole('region', { name: L.history }).getByRole('listitem');
	await expect(history).toHaveCount(2);
	await expect(history.nth(0)).toContainText('Smoother signal on low timeframes.');
	await expect(history.nth(1)).toContainText(TREND.version);

	// Another indicator with the same PUB ID is refused, with a link to the one that has it.
	await page.goto('/indicators/new');
	await fillIndicator(indicatorForm(page), { name: 'Copy of Trend', pubId: TREND.pubId });
	await indicatorForm(page).getByRole('button', { name: L.save }).click();
	await expect(indicatorForm(page).getByText(message('en', 'errors.PUB_ID_TAKEN'))).toBeVisible();
	await indicatorForm(page)
		.getByRole('link', {
			name: message('en', 'indicators.form.pubIdTakenLink', { name: TREND.name })
		})
		.click();
	await expect(page).toHaveURL(trendUrl);

	// Editing changes only what was changed.
	await page.getByRole('link', { name: 'Edit', exact: true }).click();
	await expect(page).toHaveURL(/\/edit$/);
	const edit = page.getByRole('form', { name: `Edit ${TREND.name}` });
	await expect(edit.getByLabel(L.pubId, { exact: true })).toHaveValue(TREND.pubId);
	await expect(edit.getByLabel(L.version, { exact: true })).toHaveValue('1.1');
	await edit.getByLabel(L.description, { exact: true }).fill('Trend strength and direction.');
	await edit.getByRole('button', { name: L.save }).click();
	await expect(page).toHaveURL(trendUrl);
	await expect(detail(details, L.description)).toHaveText('Trend strength and direction.');
	await expectCurrentVersion(page, '1.1');
	// Everything reached the server before this device goes away.
	await expectSynced(page);
	// The server logged the edit; the page lists who changed what (the device pulls it).
	const changes = page.getByRole('region', { name: 'Changes to the details' });
	await expect(changes).toContainText(
		'Description: Trend strength in one line. → Trend strength and direction.',
		{
			timeout: 20_000
		}
	);
	await expect(changes).toContainText(`by ${admin.name}`);
});

test('an admin retires it, and the list marks it retired', async ({ page }) => {
	await login(page, admin);
	await openIndicators(page);
	await row(page, TREND.name).getByRole('link', { name: TREND.name }).click();
	await expect(page.getByRole('heading', { level: 1, name: TREND.name })).toBeVisible();
	const details = page.getByRole('region', { name: L.details });

	// Retiring asks first and says what it means.
	await page.getByRole('button', { name: L.retire, exact: true }).click();
	const dialog = page.getByRole('dialog', { name: `Retire ${TREND.name}?` });
	await expect(dialog).toBeVisible();
	await expect(dialog).toContainText(message('en', 'indicators.retire.body'));
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await expect(detail(details, L.status)).toHaveText('Production');
	await page.getByRole('button', { name: L.retire, exact: true }).click();
	await dialog.getByRole('button', { name: L.retireConfirm }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('status').filter({ hasText: TREND.name })).toHaveText(
		message('en', 'indicators.retire.done', { name: TREND.name })
	);
	await expect(detail(details, L.status)).toHaveText(L.retired);
	await expect(page.getByText(message('en', 'indicators.retire.notice'))).toBeVisible();
	await expect(page.getByRole('button', { name: L.retire, exact: true })).toHaveCount(0);

	// The list marks it retired, and the status filter finds it.
	await openIndicators(page);
	const trendRow = row(page, TREND.name);
	await expect(trendRow).toContainText(TREND.pubId);
	await expect(trendRow).toContainText('1.1');
	await expect(trendRow).toContainText(L.retired);
	await page.getByLabel(L.filter).selectOption({ label: 'Production' });
	await expect(page).toHaveURL(/\?status=production$/);
	await expect(
		page.getByRole('heading', { name: message('en', 'indicators.list.noMatchTitle') })
	).toBeVisible();
	await page.getByLabel(L.filter).selectOption({ label: L.retired });
	await expect(page).toHaveURL(/\?status=retired$/);
	await expect(trendRow).toBeVisible();

	// Saved on the server (the next tests' fresh devices get it from there), and still shown after
	// a reload.
	await expectSynced(page);
	await expect(page.getByText(L.pending, { exact: true })).toHaveCount(0);
	await page.reload();
	await expect(row(page, TREND.name)).toContainText(L.retired);
});

test('offline: an indicator added and released without network syncs when it returns', async ({
	browser,
	baseURL
}) => {
	const { context, page } = await device(browser, baseURL!);
	try {
		await login(page, admin);
		await useServiceWorker(page);
		await openIndicators(page);
		await expect(row(page, TREND.name)).toBeVisible();
		await expectSynced(page);

		await context.setOffline(true);
		await expect(page.getByText(message('en', 'header.offlineHint'))).toBeVisible();

		await page.getByRole('button', { name: L.newIndicator }).click();
		await fillIndicator(indicatorForm(page), { ...OFFLINE, status: 'development' });
		await indicatorForm(page).getByRole('button', { name: L.save }).click();
		await expect(page.getByRole('heading', { level: 1, name: OFFLINE.name })).toBeVisible();
		const offlineUrl = page.url();
		await expect(page.getByText(L.pending, { exact: true })).toBeVisible();
		await expectCurrentVersion(page, OFFLINE.version);
		await releaseVersion(page, '1.0', 'First public release.');
		await expectCurrentVersion(page, '1.0');
		await expect(page.getByText(L.pending, { exact: true })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Sync status' })).toHaveAttribute(
			'data-status',
			'offline'
		);

		await openIndicators(page);
		await expect(row(page, OFFLINE.name)).toContainText('Development');
		await expect(row(page, OFFLINE.name)).toContainText(L.pending);

		await context.setOffline(false);
		await expectSynced(page);
		await expect(row(page, OFFLINE.name)).not.toContainText(L.pending);

		await page.goto(offlineUrl);
		await expectCurrentVersion(page, '1.0');
		await expect(page.getByText(L.pending, { exact: true })).toHaveCount(0);
	} finally {
		await context.close();
	}

	// A device that never saw them gets both changes from the server.
	const other = await device(browser, baseURL!);
	try {
		await login(other.page, admin);
		await openIndicators(other.page);
		await expect(row(other.page, OFFLINE.name)).toContainText('1.0');
		await expect(row(other.page, TREND.name)).toContainText(L.retired);
		await row(other.page, OFFLINE.name).getByRole('link', { name: OFFLINE.name }).click();
		await expectCurrentVersion(other.page, '1.0');
		await expect(
			other.page.getByRole('region', { name: L.history }).getByRole('listitem')
		).toHaveCount(2);
	} finally {
		await other.context.close();
	}
});

test('a seller sees the catalogue but cannot change it', async ({ browser, baseURL }) => {
	const adminDevice = await device(browser, baseURL!);
	try {
		await login(adminDevice.page, admin);
		await openUsers(adminDevice.page);
		await createUser(adminDevice.page, { ...seller, role: 'seller' });
	} finally {
		await adminDevice.context.close();
	}

	const { context, page } = await device(browser, baseURL!);
	try {
		await login(page, seller);
		await openIndicators(page);
		await expect(row(page, TREND.name)).toContainText(L.retired);
		await expect(row(page, OFFLINE.name)).toContainText('Development');
		await expect(page.getByRole('button', { name: L.newIndicator })).toHaveCount(0);

		// Sorting: by name (the default), reversed from the column header, by status from the menu.
		const names = page.getByRole('rowheader');
		await expect(names).toHaveText([OFFLINE.name, TREND.name]);
		await page.getByRole('button', { name: L.name, exact: true }).click();
		await expect(page).toHaveURL(/\?dir=desc$/);
		await expect(names).toHaveText([TREND.name, OFFLINE.name]);
		await page.getByLabel('Sort by').selectOption({ label: 'Status (in use first)' });
		await expect(page).toHaveURL(/\?sort=status$/);
		await expect(names).toHaveText([OFFLINE.name, TREND.name]);
		await page.getByLabel('Sort by').selectOption({ label: 'Status (retired first)' });
		await expect(names).toHaveText([TREND.name, OFFLINE.name]);

		await row(page, OFFLINE.name).getByRole('link', { name: OFFLINE.name }).click();
		await expect(page.getByRole('heading', { level: 1, name: OFFLINE.name })).toBeVisible();
		await expectCurrentVersion(page, '1.0');
		for (const name of [L.releaseVersion, L.retire])
			await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Edit', exact: true })).toHaveCount(0);

		await page.goto('/indicators/new');
		await expect(
			page.getByRole('heading', { name: message('en', 'indicators.form.notAllowedTitle') })
		).toBeVisible();
		await expect(indicatorForm(page)).toHaveCount(0);
	} finally {
		await context.close();
	}
});

test('at phone size nothing scrolls sideways, and axe finds no serious problem', async ({
	browser,
	baseURL
}) => {
	const { context, page } = await device(browser, baseURL!, { width: 360, height: 740 });
	try {
		await login(page, admin);

		// The list, as cards.
		await page.goto('/indicators');
		await expect(row(page, OFFLINE.name)).toBeVisible();
		await expectNoHorizontalOverflow(page, 'indicator list (360 px)');
		await axeCheck(page, 'indicator list (360 px)');

		// The form with every message showing, in Spanish.
		await switchLanguage(page, 'es');
		await page.getByRole('button', { name: 'Nuevo indicador' }).click();
		const form = page.getByRole('form', { name: 'Nuevo indicador' });
		await form.getByLabel('PUB ID', { exact: true }).fill('PUB;123');
		await form.getByLabel('Versión', { exact: true }).fill('x'.repeat(60));
		await form.getByRole('button', { name: 'Guardar' }).click();
		await expect(form.getByText(message('es', 'validation.pubIdFormat'))).toBeVisible();
		await expect(form.getByText(message('es', 'validation.required'))).toBeVisible();
		await expect(form.getByText(message('es', 'validation.tooLong'))).toBeVisible();
		await expectNoHorizontalOverflow(page, 'indicator form (360 px, es)');
		await axeCheck(page, 'indicator form (360 px, es)');
		await switchLanguage(page, 'en');

		// The indicator's page with the release form open and a refusal showing.
		await page.goto('/indicators');
		await row(page, OFFLINE.name).getByRole('link', { name: OFFLINE.name }).click();
		await expect(page.getByRole('heading', { level: 1, name: OFFLINE.name })).toBeVisible();
		await expectNoHorizontalOverflow(page, 'indicator page (360 px)');
		await page.getByRole('button', { name: L.releaseVersion }).click();
		const release = page.getByRole('form', { name: message('en', 'indicators.release.title') });
		await release.getByLabel(L.version, { exact: true }).fill('1.0');
		await release.getByRole('button', { name: L.release, exact: true }).click();
		await expect(
			release.getByText(message('en', 'indicators.release.exists', { version: '1.0' }))
		).toBeVisible();
		await expectNoHorizontalOverflow(page, 'indicator page with release form (360 px)');
		await axeCheck(page, 'indicator page with release form (360 px)');

		// The retire confirmation.
		await page.getByRole('button', { name: L.retire, exact: true }).click();
		await expect(page.getByRole('dialog', { name: `Retire ${OFFLINE.name}?` })).toBeVisible();
		await expectNoHorizontalOverflow(page, 'retire dialog (360 px)');
		await axeCheck(page, 'retire dialog (360 px)');
		await page.keyboard.press('Escape');
		await expect(page.getByRole('dialog')).toHaveCount(0);

		// An address that leads nowhere says so.
		await page.goto('/indicators/01900000-0000-7000-8000-000000000000');
		await expect(
			page.getByRole('heading', { level: 1, name: message('en', 'indicators.page.notFoundTitle') })
		).toBeVisible();
		await expectNoHorizontalOverflow(page, 'unknown indicator (360 px)');

		// The same pages on a desktop, as a table.
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.goto('/indicators');
		await expect(page.getByRole('columnheader', { name: L.pubId })).toBeVisible();
		await expect(row(page, TREND.name)).toBeVisible();
		await axeCheck(page, 'indicator list (1280 px)');
		await page.goto('/indicators/new');
		await expect(indicatorForm(page)).toBeVisible();
		await axeCheck(page, 'indicator form (1280 px)');
		await page.goto('/indicators');
		await row(page, TREND.name).getByRole('link', { name: TREND.name }).click();
		await expect(page.getByRole('heading', { level: 1, name: TREND.name })).toBeVisible();
		await axeCheck(page, 'indicator page (1280 px)');
	} finally {
		await context.close();
	}
});

test('a PUB ID taken on another device meanwhile is refused by the server, visibly', async ({
	browser,
	baseURL
}) => {
	const clash = pubId('C1a5h');
	const offline = await device(browser, baseURL!);
	const online = await device(browser, baseURL!);
	try {
		await login(offline.page, admin);
		await useServiceWorker(offline.page);
		await openIndicators(offline.page);
		await expectSynced(offline.page);
		await offline.context.setOffline(true);

		// Another device adds an indicator with this PUB ID while the first one is offline.
		await login(online.page, admin);
		await openIndicators(online.page);
		await expect(row(online.page, OFFLINE.name)).toBeVisible();
		await online.page.getByRole('button', { name: L.newIndicator }).click();
		await fillIndicator(indicatorForm(online.page), { name: 'Clash First', pubId: clash });
		await indicatorForm(online.page).getByRole('button', { name: L.save }).click();
		await expect(online.page.getByRole('heading', { level: 1, name: 'Clash First' })).toBeVisible();
		await expectSynced(online.page);

		// The offline device cannot know: it saves locally, and the server refuses it later.
		await offline.page.getByRole('button', { name: L.newIndicator }).click();
		await fillIndicator(indicatorForm(offline.page), { name: 'Clash Second', pubId: clash });
		await indicatorForm(offline.page).getByRole('button', { name: L.save }).click();
		await expect(
			offline.page.getByRole('heading', { level: 1, name: 'Clash Second' })
		).toBeVisible();
		await expect(offline.page.getByText(L.pending, { exact: true })).toBeVisible();

		await offline.context.setOffline(false);
		const refusal = offline.page.getByText(
			message('en', 'sync.badge.rejected', { reason: message('en', 'errors.PUB_ID_TAKEN') })
		);
		await expect(refusal).toBeVisible({ timeout: 30_000 });
		await expect(
			offline.page.getByRole('heading', {
				level: 1,
				name: message('en', 'indicators.page.notFoundTitle')
			})
		).toBeVisible();
		await offline.page.getByRole('link', { name: message('en', 'indicators.page.back') }).click();
		await expect(row(offline.page, 'Clash First')).toBeVisible();
		await expect(row(offline.page, 'Clash Second')).toHaveCount(0);
	} finally {
		await offline.context.close();
		await online.context.close();
	}
});
