/**
 * The admin Backups page (docs/backups.md): reached from Settings, "Back up now" adds a backup that
 * is listed with its size; the page explains the restore command; offline it says it needs the
 * server; a seller is refused by the page and by the server.
 */
import { expect, test } from './support/app';
import {
	axeCheck,
	callApi,
	createUser,
	expectNoHorizontalOverflow,
	login,
	logout,
	mainNav,
	openUsers,
	setupAdmin,
	type Account
} from './support/helpers';

// The embedded default's own journey: on PGlite, also in CI (support/app.ts).
test.use({ appOptions: { database: 'pglite' } });

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const admin: Account = { name: 'Bo Admin', email: 'bo@example.com', password: 'keep a copy safe' };
const seller: Account = {
	name: 'Sid Seller',
	email: 'sid@example.com',
	password: 'selling scripts daily'
};

test('an admin backs up now and sees the backup with its size', async ({ page }) => {
	await setupAdmin(page, admin);
	await mainNav(page, 'en').getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('link', { name: 'Open Backups' }).click();
	await expect(page).toHaveURL(/\/settings\/backups$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Backups' })).toBeVisible();
	await expect(page.getByText('No backups yet.')).toBeVisible();
	await expect(page.getByText(/npm run restore -- .*backups\/pinegate-…/)).toBeVisible();

	await page.getByRole('button', { name: 'Back up now' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Backup made' })).toContainText(
		/Backup made: pinegate-\d{4}-\d{2}-\d{2}T\d{6}Z-manual\.(pglite\.tar|postgres\.jsonl)\.gz \([\d.]+ (KB|MB)\)\./
	);
	const row = page.getByTestId('backup');
	await expect(row).toHaveCount(1);
	await expect(row).toHaveAttribute('data-label', 'manual');
	await expect(row).toContainText('Manual');
	await expect(row.getByTestId('backup-size')).toHaveText(/^[\d.]+ (KB|MB)$/);
	// The restore instructions now name the newest file.
	await expect(page.getByText(/npm run restore -- .*backups\/pinegate-.*-manual\./)).toBeVisible();

	await axeCheck(page, 'Backups');
	await page.setViewportSize({ width: 360, height: 740 });
	await expectNoHorizontalOverflow(page, 'Backups at 360 px');
	await page.setViewportSize({ width: 1280, height: 800 });

	await page.context().setOffline(true);
	await expect(page.getByText('You are offline. Backups are kept on the server')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Back up now' })).toBeDisabled();
	await page.context().setOffline(false);
	await expect(page.getByRole('button', { name: 'Back up now' })).toBeEnabled();
});

test('a seller is refused', async ({ page }) => {
	await login(page, admin);
	await openUsers(page);
	await createUser(page, { ...seller, role: 'seller' });
	await logout(page);

	await login(page, seller);
	await mainNav(page, 'en').getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByRole('link', { name: 'Open Backups' })).toHaveCount(0);
	await page.goto('/settings/backups');
	await expect(page.getByRole('heading', { name: 'For administrators' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Back up now' })).toHaveCount(0);
	expect((await callApi(page, 'backups.create', 'mutation')).appCode).toBe('FORBIDDEN');
	expect((await callApi(page, 'backups.list', 'query')).appCode).toBe('FORBIDDEN');
});
