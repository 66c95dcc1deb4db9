/**
 * Every Foundation page is usable by everyone, on a phone and on a desktop, in both languages:
 * axe-core finds no serious or critical problem, and nothing makes the page scroll sideways at
 * 360 px (DESIGN.md §8). Pages: setup, login, the app shell (dashboard) and Users, each in English
 * and Spanish at 360 px and 1280 px. At 360 px each page is also checked in its fullest state
 * (validation errors, a failed login, the New user form open): the phone is where extra text
 * overflows. axe takes seconds per run, so the fullest state, a superset of the blank page, is the
 * one axe sees there; the overflow check runs on both.
 *
 * Findings are collected with soft assertions, so one run lists every page that fails.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/app';
import {
	axeCheck,
	createUser,
	expectDashboard,
	expectedNav,
	expectNoHorizontalOverflow,
	login,
	mainNav,
	message,
	openUsers,
	setupAdmin,
	switchLanguage,
	ui,
	type Lang
} from './support/helpers';

const LANGS = ['en', 'es'] as const;
const WIDTHS = [
	{ width: 360, height: 740 },
	{ width: 1280, height: 800 }
] as const;

const admin = {
	name: 'Alexandra Administradora',
	email: 'alexandra.administradora@example.com',
	password: 'accessible to everyone'
};

// The service worker changes nothing on these pages; without it the runs stay light.
test.use({ serviceWorkers: 'block' });
// The first test creates the admin the others log in with. Each test runs axe several times (a
// few seconds each on a busy 2-core machine), hence more than the default minute.
test.describe.configure({ mode: 'serial', timeout: 150_000 });

const PHONE = WIDTHS[0];

/** Puts the page in the given language with the header switch (a no-op when it already is). */
async function useLanguage(page: Page, lang: Lang): Promise<void> {
	if ((await page.locator('html').getAttribute('lang')) !== lang) await switchLanguage(page, lang);
}

/**
 * Checks one page in one language at both widths. `fill` puts it in its fullest state (errors, an
 * open form); at 360 px overflow is checked before and after, and axe runs on the full state.
 */
async function checkBothWidths(
	page: Page,
	what: string,
	open: () => Promise<void>,
	fill: (() => Promise<void>) | null
): Promise<void> {
	for (const size of WIDTHS) {
		const label = `${what}, ${size.width} px`;
		await test.step(label, async () => {
			await page.setViewportSize(size);
			await open();
			if (size.width !== PHONE.width) {
				await axeCheck(page, label);
				return;
			}
			await expectNoHorizontalOverflow(page, label);
			if (fill) await fill();
			await expectNoHorizontalOverflow(page, `${label}${fill ? ', filled in' : ''}`);
			await axeCheck(page, `${label}${fill ? ', filled in' : ''}`);
		});
	}
}

test('first run: the setup page, blank and with validation errors', async ({ page }) => {
	for (const lang of LANGS) {
		const t = ui[lang];
		await checkBothWidths(
			page,
			`setup (${lang})`,
			async () => {
				await page.goto('/setup');
				await useLanguage(page, lang);
				await expect(page.getByRole('heading', { level: 1, name: t.setupTitle })).toBeVisible();
			},
			async () => {
				// Sent empty: every field says what is wrong, and focus goes to the first one.
				await page.getByRole('button', { name: t.createAccount }).click();
				await expect(page.getByLabel(t.name, { exact: true })).toBeFocused();
				await expect(page.locator('[aria-invalid="true"]')).toHaveCount(3);
			}
		);
	}

	// The admin, and two colleagues with long names and addresses (what breaks narrow layouts).
	await setupAdmin(page, admin, 'es');
	await openUsers(page, 'es');
	await createUser(
		page,
		{
			name: 'Maximiliana Fernández de la Concepción',
			email: 'maximiliana.fernandez.de.la.concepcion@ventas-internacionales.example.com',
			password: 'a long and careful password',
			role: 'seller'
		},
		'es'
	);
	await createUser(
		page,
		{
			name: 'Bartholomew Supportington-Smythe',
			email: 'bartholomew.supportington-smythe@helpdesk.example.org',
			password: 'another long careful password',
			role: 'support'
		},
		'es'
	);
});

test('the login page, blank and after a failed attempt', async ({ page }) => {
	for (const lang of LANGS) {
		const t = ui[lang];
		await checkBothWidths(
			page,
			`login (${lang})`,
			async () => {
				await page.goto('/login');
				await useLanguage(page, lang);
				await expect(page.getByRole('heading', { level: 1, name: t.loginTitle })).toBeVisible();
			},
			async () => {
				// Wrong password: a translated alert.
				await page.getByLabel(t.email, { exact: true }).fill(`nobody.${lang}@example.com`);
				await page.getByLabel(t.password, { exact: true }).fill('not the password');
				await page.getByRole('button', { name: t.logIn, exact: true }).click();
				await expect(page.getByRole('alert')).toHaveText(
					message(lang, 'errors.INVALID_CREDENTIALS')
				);
			}
		);
	}
});

for (const lang of LANGS) {
	test(`the app shell and the Users page (${lang}), with the New user form open`, async ({
		page
	}) => {
		const t = ui[lang];
		await login(page, admin, 'en');
		await useLanguage(page, lang);

		await checkBothWidths(
			page,
			`dashboard (${lang})`,
			async () => {
				await page.goto('/');
				await expectDashboard(page, lang, admin.name);
			},
			null
		);
		await checkBothWidths(
			page,
			`Users (${lang})`,
			async () => {
				await page.goto('/users');
				await expect(page.getByRole('heading', { level: 1, name: t.nav.users })).toBeVisible();
				// The admin and the two colleagues, under the header row.
				await expect(page.getByRole('row')).toHaveCount(4);
			},
			async () => {
				await page.getByRole('button', { name: t.newUser }).click();
				await expect(page.getByRole('form', { name: t.newUser })).toBeVisible();
			}
		);

		// The other sections are not in the axe matrix, but none may scroll sideways on a phone
		// either (a cheap check, through the bottom navigation as a phone user gets there).
		await test.step(`every section at 360 px (${lang})`, async () => {
			await page.setViewportSize(PHONE);
			await page.goto('/');
			await expectDashboard(page, lang, admin.name);
			for (const section of expectedNav(lang, 'admin')) {
				await mainNav(page, lang).getByRole('link', { name: section, exact: true }).click();
				await expect(page.getByRole('heading', { level: 1, name: section })).toBeVisible();
				await expectNoHorizontalOverflow(page, `${section} (${lang}, 360 px)`);
			}
		});

		if (lang !== 'en') return;
		// Dark mode has its own colours: check their contrast on the busiest page.
		await test.step('Users in dark mode (en, 1280 px)', async () => {
			await page.emulateMedia({ colorScheme: 'dark' });
			await page.setViewportSize(WIDTHS[1]);
			await page.goto('/users');
			await expect(page.getByRole('row')).toHaveCount(4);
			await page.getByRole('button', { name: t.newUser }).click();
			await axeCheck(page, 'Users with the New user form, dark (en, 1280 px)');
		});
	});
}
