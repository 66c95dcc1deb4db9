/**
 * Foundation, as a newcomer meets it: first-run setup, the admin invites a seller and a support
 * user, and each role sees only what it may use — in English and in Spanish. Then the promises
 * around it: setup is gone once a user exists, and disabling a user ends their open sessions.
 *
 * Each language runs against its own fresh server (setup happens once per database); the English
 * tests build on the first one's users, so they run in order.
 */
import type { Browser, Page } from '@playwright/test';
import type { Role } from '../../src/lib/shared/permissions';
import { expect, test } from './support/app';
import {
	callApi,
	createUser,
	expectDashboard,
	expectNavigation,
	login,
	logout,
	mainNav,
	message,
	openUsers,
	setupAdmin,
	switchLanguage,
	ui,
	type Account,
	type Lang
} from './support/helpers';

// The embedded default's own journey: on PGlite, also in CI (support/app.ts).
test.use({ appOptions: { database: 'pglite' } });

const PASSWORD = 'correct horse battery staple';
const STORY_TIMEOUT_MS = 180_000;

// As in device(): no service worker where it is not the subject.
test.use({ serviceWorkers: 'block' });

function team(lang: Lang): Record<Role, Account> {
	return {
		admin: { name: 'Ada Admin', email: `ada.${lang}@example.com`, password: PASSWORD },
		seller: { name: 'Sam Seller', email: `sam.${lang}@example.com`, password: `${PASSWORD} 2` },
		support: { name: 'Sue Support', email: `sue.${lang}@example.com`, password: `${PASSWORD} 3` }
	};
}

/**
 * A separate browser profile (its own cookies and storage), like a second device. Service workers
 * are off unless asked for: foundation-pwa.spec.ts covers them, and each one precaches the app.
 */
async function device(
	browser: Browser,
	baseURL: string,
	locale = 'en-US',
	serviceWorkers: 'allow' | 'block' = 'block'
): Promise<Page> {
	const context = await browser.newContext({ baseURL, locale, serviceWorkers });
	return context.newPage();
}

/** A button or link by its visible name (the app uses both for "New …" actions). */
function control(page: Page, name: string) {
	return page.getByRole('button', { name }).or(page.getByRole('link', { name }));
}

/** What a seller or support user sees: their own name and role, no Users, the right page texts. */
async function expectRoleView(page: Page, lang: Lang, role: 'seller' | 'support', name: string) {
	const t = ui[lang];
	await expectNavigation(page, lang, role);
	await expect(page.getByRole('banner')).toContainText(
		message(lang, 'header.account', { name, role: t.roles[role] })
	);

	// Clients: sellers may add them, support only sees them.
	await mainNav(page, lang).getByRole('link', { name: t.nav.clients }).click();
	await expect(page.getByRole('heading', { level: 1, name: t.nav.clients })).toBeVisible();
	const clientsNext = message(
		lang,
		role === 'seller' ? 'pages.clients.emptyBodyEdit' : 'pages.clients.emptyBodyView'
	);
	await expect(page.getByText(clientsNext)).toBeVisible();
	if (role === 'support') await expect(control(page, t.newClient)).toHaveCount(0);

	// Indicators are managed by admins only.
	await mainNav(page, lang).getByRole('link', { name: t.nav.indicators }).click();
	await expect(page.getByRole('heading', { level: 1, name: t.nav.indicators })).toBeVisible();
	await expect(page.getByText(message(lang, 'pages.indicators.emptyBodyView'))).toBeVisible();
	await expect(control(page, t.newIndicator)).toHaveCount(0);

	// Users by its address: a clear refusal, no list, no way to add anyone.
	await page.goto('/users');
	await expect(
		page.getByRole('heading', { name: message(lang, 'users.notAllowedTitle') })
	).toBeVisible();
	await expect(page.getByText(message(lang, 'users.notAllowed'))).toBeVisible();
	await expect(page.getByRole('button', { name: t.newUser })).toHaveCount(0);
	await expect(page.getByRole('table')).toHaveCount(0);

	// The server enforces the same table, whatever the UI shows.
	const list = await callApi(page, 'users.list', 'query');
	expect(list.status).toBe(403);
	expect(list.appCode).toBe('FORBIDDEN');
	const create = await callApi(page, 'users.create', 'mutation', {
		name: 'Mallory',
		email: `mallory.${role}@example.com`,
		password: PASSWORD,
		role: 'admin'
	});
	expect(create.status).toBe(403);
	expect(create.appCode).toBe('FORBIDDEN');
}

/** Everything the admin sees: all sections, the user list with the team and their roles. */
async function expectAdminView(page: Page, lang: Lang, people: Record<Role, Account>) {
	const t = ui[lang];
	await expectNavigation(page, lang, 'admin');
	await mainNav(page, lang).getByRole('link', { name: t.nav.indicators }).click();
	await expect(page.getByText(message(lang, 'pages.indicators.emptyBodyEdit'))).toBeVisible();
	await openUsers(page, lang);
	await expect(page.getByRole('button', { name: t.newUser })).toBeVisible();
	// The admin's own row has no controls (no changing or disabling yourself).
	const self = page.getByRole('row').filter({ hasText: people.admin.email });
	await expect(self).toContainText(t.roles.admin);
	await expect(self.getByRole('combobox')).toHaveCount(0);
	await expect(self.getByRole('button')).toHaveCount(0);
	for (const role of ['seller', 'support'] as const) {
		await expect(
			page.getByRole('combobox', { name: t.permissionsFor(people[role].name) })
		).toHaveValue(role);
	}
}

/**
 * The whole first story in one language: setup, admin, team, each role. In Spanish the admin picks
 * the language with the header switch on the setup page, and the support user's browser is set to
 * Spanish (the interface follows it without switching).
 */
async function firstStory(page: Page, browser: Browser, baseURL: string, lang: Lang) {
	const people = team(lang);
	const t = ui[lang];
	const browserLocale = lang === 'es' ? 'es-ES' : 'en-US';

	// A second device opened the setup page too, before anyone finished it.
	const late = await device(browser, baseURL, browserLocale);
	await late.goto('/setup');
	await expect(late.getByRole('heading', { level: 1, name: t.setupTitle })).toBeVisible();

	await test.step('first run: the setup page creates the admin', async () => {
		await page.goto('/');
		await expect(page).toHaveURL(/\/setup$/);
		if (lang === 'es') {
			await expect(page.getByRole('heading', { level: 1, name: ui.en.setupTitle })).toBeVisible();
			await switchLanguage(page, 'es');
		}
		await setupAdmin(page, people.admin, lang);
	});

	await test.step('the admin logs in and adds a seller and a support user', async () => {
		// Setup signs the admin in; log out and in again as they would the next day.
		await logout(page, lang);
		await login(page, people.admin, lang);
		await expectNavigation(page, lang, 'admin');
		await openUsers(page, lang);
		await createUser(page, { ...people.seller, role: 'seller' }, lang);
		await createUser(page, { ...people.support, role: 'support' }, lang);
		await expectAdminView(page, lang, people);
		await logout(page, lang);
	});

	await test.step('the seller logs in and sees the seller view', async () => {
		// The same browser, the next person; the language choice stays.
		await login(page, people.seller, lang);
		await expectRoleView(page, lang, 'seller', people.seller.name);
		await logout(page, lang);
	});

	await test.step('the support user logs in and sees the support view', async () => {
		const supportPage = lang === 'es' ? await device(browser, baseURL, browserLocale) : page;
		if (lang === 'es') {
			await supportPage.goto('/');
			await expect(supportPage).toHaveURL(/\/login$/);
			await expect(supportPage.locator('html')).toHaveAttribute('lang', 'es');
		}
		await login(supportPage, people.support, lang);
		await expectRoleView(supportPage, lang, 'support', people.support.name);
		await logout(supportPage, lang);
		if (supportPage !== page) await supportPage.context().close();
	});

	await test.step('the other device submits its setup form: refused', async () => {
		await late.getByLabel(t.name, { exact: true }).fill('Eve Early');
		await late.getByLabel(t.email, { exact: true }).fill(`eve.${lang}@example.com`);
		await late.getByLabel(t.password, { exact: true }).fill(PASSWORD);
		await late.getByLabel(t.confirmPassword, { exact: true }).fill(PASSWORD);
		await late.getByRole('button', { name: t.createAccount }).click();
		await expect(late.getByRole('alert')).toHaveText(message(lang, 'errors.SETUP_ALREADY_DONE'));
		// With the way to the login page.
		await late.getByRole('link', { name: t.logIn }).click();
		await expect(late).toHaveURL(/\/login$/);
		await late.context().close();
	});
}

test.describe('in English', () => {
	// The tests build on the first one's users. A story logs in (argon2) and loads pages many
	// times: on a busy 2-core machine it can take more than the default minute.
	test.describe.configure({ mode: 'serial', timeout: STORY_TIMEOUT_MS });

	const lang = 'en';
	const people = team(lang);
	const t = ui[lang];

	test('a newcomer sets up PineGate, adds a seller and a support user, and each sees only what their role allows', async ({
		page,
		browser,
		baseURL
	}) => {
		await firstStory(page, browser, baseURL!, 'en');
	});

	test('the setup page refuses once a user exists', async ({ page }) => {
		await page.goto('/setup');
		await expect(page).toHaveURL(/\/login$/);
		await expect(page.getByRole('heading', { level: 1, name: t.loginTitle })).toBeVisible();

		// Nor can the API be used to make a second first admin.
		const setup = await callApi(page, 'auth.setup', 'mutation', {
			name: 'Eve Early',
			email: 'eve.api@example.com',
			password: PASSWORD
		});
		expect(setup.appCode).toBe('SETUP_ALREADY_DONE');
		expect(setup.status).toBeGreaterThanOrEqual(400);
		const status = await callApi(page, 'auth.status', 'query');
		expect(status.body).toMatchObject({ result: { data: { json: { needsSetup: false } } } });

		// And the refused account cannot log in.
		await page.getByLabel(t.email, { exact: true }).fill('eve.api@example.com');
		await page.getByLabel(t.password, { exact: true }).fill(PASSWORD);
		await page.getByRole('button', { name: t.logIn, exact: true }).click();
		await expect(page.getByRole('alert')).toHaveText(message(lang, 'errors.INVALID_CREDENTIALS'));
		await expect(page).toHaveURL(/\/login$/);
	});

	test('disabling a user ends the sessions they have open in other browsers', async ({
		browser,
		baseURL
	}) => {
		// The seller is signed in on two devices.
		// One of them with the service worker, which answers its reloads from the cache.
		const reloads = await device(browser, baseURL!, 'en-US', 'allow');
		await login(reloads, people.seller, lang);
		const navigates = await device(browser, baseURL!);
		await login(navigates, people.seller, lang);

		// Meanwhile the admin disables the seller.
		const page = await device(browser, baseURL!);
		await login(page, people.admin, lang);
		await openUsers(page, lang);
		const row = page.getByRole('row').filter({ hasText: people.seller.email });
		await row.getByRole('button', { name: t.disable }).click();
		await expect(page.getByRole('status').filter({ hasText: people.seller.name })).toHaveText(
			message(lang, 'users.disabledDone', { name: people.seller.name })
		);
		await expect(row.getByRole('button', { name: t.enable })).toBeVisible();

		// A reload lands on the login page …
		await reloads.evaluate(() => navigator.serviceWorker.ready.then(() => true));
		const reloaded = await reloads.reload();
		expect(reloaded?.fromServiceWorker()).toBe(true);
		await expect(reloads).toHaveURL(/\/login$/);
		await expect(reloads.getByRole('heading', { level: 1, name: t.loginTitle })).toBeVisible();
		await expect(mainNav(reloads, lang)).toHaveCount(0);
		// … and so does the next page the other device opens from its navigation.
		await mainNav(navigates, lang).getByRole('link', { name: t.nav.settings }).click();
		await expect(navigates).toHaveURL(/\/login$/);
		await expect(navigates.getByRole('heading', { level: 1, name: t.loginTitle })).toBeVisible();
		// The old cookie is worth nothing to the API either.
		const me = await callApi(navigates, 'auth.me', 'query');
		expect(me.body).toMatchObject({ result: { data: { json: { user: null } } } });

		// Logging in again is refused with the reason.
		await reloads.getByLabel(t.email, { exact: true }).fill(people.seller.email);
		await reloads.getByLabel(t.password, { exact: true }).fill(people.seller.password);
		await reloads.getByRole('button', { name: t.logIn, exact: true }).click();
		await expect(reloads.getByRole('alert')).toHaveText(message(lang, 'errors.ACCOUNT_DISABLED'));
		await expect(reloads).toHaveURL(/\/login$/);

		// Enabled again, the seller can log in.
		await row.getByRole('button', { name: t.enable }).click();
		await expect(page.getByRole('status').filter({ hasText: people.seller.name })).toHaveText(
			message(lang, 'users.enabledDone', { name: people.seller.name })
		);
		await reloads.getByLabel(t.password, { exact: true }).fill(people.seller.password);
		await reloads.getByRole('button', { name: t.logIn, exact: true }).click();
		await expectDashboard(reloads, lang, people.seller.name);

		for (const open of [page, reloads, navigates]) await open.context().close();
	});
});

test.describe('in Spanish', () => {
	// Its own fresh server (setup happens once per database); the setting only tells them apart.
	test.use({ appOptions: { database: 'pglite', env: { PINEGATE_E2E_LANGUAGE: 'es' } } });
	test.describe.configure({ timeout: STORY_TIMEOUT_MS });

	test('the same story in Spanish: setup, team, and each role sees only what it allows', async ({
		page,
		browser,
		baseURL
	}) => {
		await firstStory(page, browser, baseURL!, 'es');
	});
});
