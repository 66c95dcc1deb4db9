/**
 * Page helpers shared by the Foundation specs: they drive PineGate the way a person does (visible
 * labels, buttons and links, in English or Spanish) and hold the checks every page must pass
 * (no horizontal overflow, no serious accessibility problem).
 *
 * The stable names of DESIGN.md §8 are written out here on purpose instead of being read from the
 * dictionaries: renaming one is a change users and tests notice. Longer messages come from the
 * dictionaries through `message()`.
 */
import AxeBuilder from '@axe-core/playwright';
import type { APIResponse, Page } from '@playwright/test';
import { translate, type Locale, type MessageKey } from '../../../src/lib/shared/i18n/index';
import type { Role } from '../../../src/lib/shared/permissions';
import { expect } from './app';

export type Lang = Locale;

export interface Account {
	name: string;
	email: string;
	password: string;
}

/** The stable visible names, per language. */
export const ui = {
	en: {
		language: 'Language',
		languageName: 'English',
		mainNav: 'Main',
		nav: {
			dashboard: 'Dashboard',
			clients: 'Clients',
			indicators: 'Indicators',
			accesses: 'Accesses',
			calendar: 'Calendar',
			analytics: 'Analytics',
			users: 'Users',
			jobs: 'Jobs',
			audit: 'Audit log',
			settings: 'Settings'
		},
		name: 'Name',
		email: 'Email',
		password: 'Password',
		confirmPassword: 'Confirm password',
		role: 'Role',
		save: 'Save',
		logIn: 'Log in',
		logOut: 'Log out',
		newUser: 'New user',
		newClient: 'New client',
		newIndicator: 'New indicator',
		createAccount: 'Create account',
		setupTitle: 'Set up PineGate',
		loginTitle: 'Log in',
		roles: { admin: 'Admin', seller: 'Seller', support: 'Support' },
		permissionsFor: (name: string) => `Permissions for ${name}`,
		disable: 'Disable',
		enable: 'Enable'
	},
	es: {
		language: 'Idioma',
		languageName: 'Español',
		mainNav: 'Principal',
		nav: {
			dashboard: 'Panel',
			clients: 'Clientes',
			indicators: 'Indicadores',
			accesses: 'Accesos',
			calendar: 'Calendario',
			analytics: 'Analítica',
			users: 'Usuarios',
			jobs: 'Tareas',
			audit: 'Auditoría',
			settings: 'Ajustes'
		},
		name: 'Nombre',
		email: 'Correo electrónico',
		password: 'Contraseña',
		confirmPassword: 'Confirmar contraseña',
		role: 'Rol',
		save: 'Guardar',
		logIn: 'Iniciar sesión',
		logOut: 'Cerrar sesión',
		newUser: 'Nuevo usuario',
		newClient: 'Nuevo cliente',
		newIndicator: 'Nuevo indicador',
		createAccount: 'Crear cuenta',
		setupTitle: 'Configurar PineGate',
		loginTitle: 'Iniciar sesión',
		roles: { admin: 'Administrador', seller: 'Vendedor', support: 'Soporte' },
		permissionsFor: (name: string) => `Permisos de ${name}`,
		disable: 'Desactivar',
		enable: 'Activar'
	}
} as const;

/** A longer message in the given language, straight from the app's dictionaries. */
export function message(lang: Lang, key: MessageKey, params?: Record<string, string>): string {
	return translate(lang, key, params);
}

/** The navigation entries in their order, as a role should see them. */
export function expectedNav(lang: Lang, role: Role): string[] {
	const nav = ui[lang].nav;
	const all = [
		nav.dashboard,
		nav.clients,
		nav.indicators,
		nav.accesses,
		nav.calendar,
		nav.analytics,
		nav.users,
		nav.jobs,
		nav.audit,
		nav.settings
	];
	const adminOnly: string[] = [nav.users, nav.jobs, nav.audit];
	return role === 'admin' ? all : all.filter((label) => !adminOnly.includes(label));
}

/** The visible main navigation (the sidebar from 1024 px, the bottom bar below). */
export function mainNav(page: Page, lang: Lang) {
	return page.getByRole('navigation', { name: ui[lang].mainNav });
}

/** The labels of the visible main navigation's links, in order. */
export async function expectNavigation(page: Page, lang: Lang, role: Role): Promise<void> {
	await expect(mainNav(page, lang).getByRole('link')).toHaveText(expectedNav(lang, role));
}

/** Switches the interface language with the header's select, wherever the page is. */
export async function switchLanguage(page: Page, lang: Lang): Promise<void> {
	const select = page.getByRole('combobox', { name: /^(Language|Idioma)$/ });
	await select.selectOption({ label: ui[lang].languageName });
	await expect(page.locator('html')).toHaveAttribute('lang', lang);
	await expect(page.getByRole('combobox', { name: ui[lang].language })).toHaveValue(lang);
}

/** Waits for the signed-in dashboard. */
export async function expectDashboard(page: Page, lang: Lang, name?: string): Promise<void> {
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('heading', { level: 1, name: ui[lang].nav.dashboard })).toBeVisible();
	if (name)
		await expect(page.getByText(message(lang, 'pages.dashboard.welcome', { name }))).toBeVisible();
}

/**
 * First run as a newcomer does it: open the app, land on the setup page, create the admin. Ends
 * signed in on the dashboard.
 */
export async function setupAdmin(page: Page, admin: Account, lang: Lang = 'en'): Promise<void> {
	const t = ui[lang];
	await page.goto('/');
	await expect(page).toHaveURL(/\/setup$/);
	await expect(page.getByRole('heading', { level: 1, name: t.setupTitle })).toBeVisible();
	await page.getByLabel(t.name, { exact: true }).fill(admin.name);
	await page.getByLabel(t.email, { exact: true }).fill(admin.email);
	await page.getByLabel(t.password, { exact: true }).fill(admin.password);
	await page.getByLabel(t.confirmPassword, { exact: true }).fill(admin.password);
	await page.getByRole('button', { name: t.createAccount }).click();
	await expectDashboard(page, lang, admin.name);
}

/**
 * Opens the login page and signs in; ends on the dashboard. `origin` is for a server other than the
 * test's own (baseURL).
 */
export async function login(
	page: Page,
	account: Account,
	lang: Lang = 'en',
	origin = ''
): Promise<void> {
	const t = ui[lang];
	await page.goto(`${origin}/login`);
	await expect(page.getByRole('heading', { level: 1, name: t.loginTitle })).toBeVisible();
	await page.getByLabel(t.email, { exact: true }).fill(account.email);
	await page.getByLabel(t.password, { exact: true }).fill(account.password);
	await page.getByRole('button', { name: t.logIn, exact: true }).click();
	await expectDashboard(page, lang, account.name);
}

/** Logs out from the header; ends on the login page. */
export async function logout(page: Page, lang: Lang = 'en'): Promise<void> {
	const t = ui[lang];
	await page.getByRole('button', { name: t.logOut }).click();
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByRole('heading', { level: 1, name: t.loginTitle })).toBeVisible();
}

/** Opens Users from the navigation (admins only). */
export async function openUsers(page: Page, lang: Lang = 'en'): Promise<void> {
	const t = ui[lang];
	await mainNav(page, lang).getByRole('link', { name: t.nav.users }).click();
	await expect(page).toHaveURL(/\/users$/);
	await expect(page.getByRole('heading', { level: 1, name: t.nav.users })).toBeVisible();
	await expect(page.getByRole('table')).toBeVisible();
}

/**
 * Creates a user from the Users page (which must be open) with the New user form, and checks it
 * shows in the list with its role.
 */
export async function createUser(
	page: Page,
	account: Account & { role: Role },
	lang: Lang = 'en'
): Promise<void> {
	const t = ui[lang];
	await page.getByRole('button', { name: t.newUser }).click();
	const form = page.getByRole('form', { name: t.newUser });
	await expect(form).toBeVisible();
	await form.getByLabel(t.name, { exact: true }).fill(account.name);
	await form.getByLabel(t.email, { exact: true }).fill(account.email);
	await form.getByLabel(t.password, { exact: true }).fill(account.password);
	await form.getByLabel(t.role, { exact: true }).selectOption({ label: t.roles[account.role] });
	await form.getByRole('button', { name: t.save }).click();
	await expect(form).toBeHidden();
	await expect(page.getByRole('status').filter({ hasText: account.email })).toHaveText(
		message(lang, 'users.created', { name: account.name, email: account.email })
	);
	const row = page.getByRole('row').filter({ hasText: account.email });
	await expect(row.getByRole('rowheader')).toHaveText(account.name);
	await expect(row.getByRole('combobox', { name: t.permissionsFor(account.name) })).toHaveValue(
		account.role
	);
}

/**
 * No sideways scrolling of the page itself; names the elements that stick out when it fails. A soft
 * assertion, like axeCheck: the test goes on, so one run reports every page with a problem.
 */
export async function expectNoHorizontalOverflow(page: Page, what: string): Promise<void> {
	const result = await page.evaluate(() => {
		const root = document.documentElement;
		const width = root.clientWidth;
		const offenders: string[] = [];
		for (const element of document.body.querySelectorAll('*')) {
			const box = element.getBoundingClientRect();
			if (box.width > 0 && box.right > width + 0.5) {
				const id = element.id ? `#${element.id}` : '';
				const cls =
					typeof element.className === 'string' && element.className
						? `.${element.className.trim().split(/\s+/).slice(0, 3).join('.')}`
						: '';
				offenders.push(`${element.tagName.toLowerCase()}${id}${cls} (right ${box.right})`);
			}
		}
		return { scrollWidth: root.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 8) };
	});
	expect
		.soft(
			result.scrollWidth,
			`${what}: page is ${result.scrollWidth}px wide in a ${result.clientWidth}px viewport; ` +
				`sticking out: ${result.offenders.join(', ') || 'nothing measurable'}`
		)
		.toBeLessThanOrEqual(result.clientWidth);
}

/**
 * Runs axe-core (all its rules) on the page and fails (softly) on any serious or critical
 * violation, listing each with the elements concerned.
 */
export async function axeCheck(page: Page, what: string): Promise<void> {
	const results = await new AxeBuilder({ page }).analyze();
	expect(results.passes.length, `${what}: axe ran no checks`).toBeGreaterThan(0);
	expect(results.url, `${what}: axe checked another page`).toBe(page.url());
	const severe = results.violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map((violation) => ({
			rule: violation.id,
			impact: violation.impact,
			help: violation.help,
			nodes: violation.nodes
				.slice(0, 5)
				.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`)
		}));
	expect.soft(severe, `${what}: serious or critical accessibility violations`).toEqual([]);
}

/**
 * Calls a tRPC procedure with the page's cookies, as the app itself would (same origin). Queries
 * are GETs, mutations POSTs with a superjson body.
 */
export async function callApi(
	page: Page,
	procedure: string,
	kind: 'query' | 'mutation',
	input?: unknown
): Promise<{ status: number; appCode: string | undefined; body: unknown }> {
	const origin = new URL(page.url()).origin;
	const url = `${origin}/api/trpc/${procedure}`;
	const headers = { origin, 'content-type': 'application/json' };
	let response: APIResponse;
	if (kind === 'query') {
		const query =
			input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
		response = await page.request.get(url + query, { headers });
	} else {
		response = await page.request.post(url, { headers, data: { json: input ?? null } });
	}
	const body: unknown = await response.json();
	return { status: response.status(), appCode: findAppCode(body), body };
}

function findAppCode(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const record = body as Record<string, unknown>;
	const code = (record.data as Record<string, unknown> | undefined)?.appCode;
	if (typeof code === 'string') return code;
	for (const value of Object.values(record)) {
		const nested = findAppCode(value);
		if (nested) return nested;
	}
	return undefined;
}
