/**
 * Verified grant sync as a vendor meets it, against the fake TradingView: with the session pasted in
 * Settings, a grant made in PineGate turns "TradingView: verified" within seconds (the server wrote
 * it to TradingView and read it back), and a revoke removes the user from the script on TradingView.
 */
import { seedDemo } from '../fake-tradingview/state';
import { startFakeTradingView } from '../fake-tradingview/server';
import { apiDevice, given } from './support/api';
import { expect, test } from './support/app';
import { mainNav, setupAdmin, type Account } from './support/helpers';

test.describe.configure({ timeout: 120_000 });

const fake = await startFakeTradingView({ seed: seedDemo });
test.afterAll(() => fake.close());
test.use({
	appOptions: {
		env: { TRADINGVIEW_BASE_URL: fake.url, SECRET_KEY: 'e2e secret key, long enough to use!' }
	}
});

const admin: Account = {
	name: 'Val Vendor',
	email: 'val@example.com',
	password: 'verified access'
};
const PINE = 'PUB;0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e'; // "Volume Pulse" in the fake's demo data
/** The queue, TradingView's answers and the device's pull, on a loaded 2-core machine. */
const SECONDS = { timeout: 30_000 };

test('a grant turns verified on TradingView within seconds; a revoke removes it there', async ({
	page
}) => {
	await setupAdmin(page, admin);

	// Connect TradingView in Settings with the session cookies.
	await mainNav(page, 'en').getByRole('link', { name: 'Settings' }).click();
	await page.getByLabel('sessionid', { exact: true }).fill(fake.state.session.sessionid);
	await page.getByLabel('sessionid_sign', { exact: true }).fill(fake.state.session.sessionidSign);
	await page.getByRole('button', { name: 'Save and test' }).click();
	await expect(page.getByText(/Connected\. Your account can manage \d+ scripts:/)).toBeVisible();

	// Given a client whose username exists on TradingView and the indicator of a script the vendor owns.
	await apiDevice(page).push(
		given.client({ tradingviewUsername: 'DaveScalps', fullName: 'Dave Scalps' }),
		given.indicator({ name: 'Volume Pulse', pubId: PINE, status: 'production' })
	);

	// Grant it from the UI.
	await mainNav(page, 'en').getByRole('link', { name: 'Accesses' }).click();
	await page.getByRole('link', { name: 'Grant access' }).click();
	await page.getByRole('combobox', { name: 'Client' }).fill('dave');
	await page.getByRole('option', { name: /Dave Scalps/ }).click();
	await page.getByRole('checkbox', { name: 'Volume Pulse' }).check();
	await page.getByLabel('Duration', { exact: true }).selectOption({ label: '30 days' });
	await page.getByRole('button', { name: 'Grant access' }).click();
	const row = page.locator('[data-access-row]').filter({ hasText: 'Dave Scalps' });
	await expect(row).toContainText('TradingView: verified', SECONDS);

	// TradingView lists the user for the script, with PineGate's end date.
	const onTradingView = () => fake.state.grantOf(PINE, 'DaveScalps');
	expect(onTradingView()?.expiration).toBeInstanceOf(Date);
	const history = async () => {
		await row.getByRole('link').first().click();
		return page.locator('section', { has: page.getByRole('heading', { name: 'History' }) });
	};
	await expect(await history()).toContainText('TradingView confirmed');

	// Revoke: TradingView no longer lists the user for that script.
	await page.getByRole('button', { name: 'Revoke' }).click();
	const dialog = page.getByRole('dialog', { name: /Revoke access to Volume Pulse/ });
	await dialog.getByLabel('Reason').fill('Chargeback');
	await dialog.getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByText('Access revoked.')).toBeVisible();
	await expect(
		page.locator('dt', { hasText: 'TradingView' }).locator('xpath=following-sibling::dd[1]')
	).toContainText('TradingView: verified', SECONDS);
	expect(onTradingView()).toBeUndefined();
	const removals = fake.requests.filter((r) => r.path === '/pine_perm/remove/');
	expect(removals.at(-1)?.body).toMatchObject({ pine_id: PINE, username_recip: 'DaveScalps' });
});
