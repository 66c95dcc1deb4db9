/**
 * The username check as a new user meets it, connected to the fake TradingView: a client whose
 * username TradingView does not know shows it as not found, and granting access to that client is
 * refused with a clear message (TV_USERNAME_INVALID) — nothing reaches TradingView; a username
 * TradingView knows shows as verified, in TradingView's own spelling.
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
		env: {
			TRADINGVIEW_BASE_URL: fake.url,
			TRADINGVIEW_SESSIONID: fake.state.session.sessionid,
			TRADINGVIEW_SESSIONID_SIGN: fake.state.session.sessionidSign
		}
	}
});

const admin: Account = {
	name: 'Uma Username',
	email: 'uma@example.com',
	password: 'usernames matter'
};
const PINE = 'PUB;7a1e2c3d4b5f60718293a4b5c6d7e8f9'; // "Trend Rider" in the fake's demo data
/** The check runs after the push; the device then pulls the result (loaded 2-core machine). */
const SECONDS = { timeout: 30_000 };

async function newClient(page: import('@playwright/test').Page, username: string, name: string) {
	await mainNav(page, 'en').getByRole('link', { name: 'Clients' }).click();
	await page.getByRole('link', { name: 'New client' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'New client' })).toBeVisible();
	await page.getByLabel('TradingView username', { exact: true }).fill(username);
	await page.getByLabel('Full name', { exact: true }).fill(name);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('a username TradingView does not know is shown invalid and granting to it is refused; a known one is verified in TradingView’s spelling', async ({
	page
}) => {
	await setupAdmin(page, admin);
	await apiDevice(page).push(
		given.indicator({ name: 'Trend Rider', pubId: PINE, status: 'production' })
	);

	// A client with a username TradingView does not know.
	await newClient(page, 'no_such_trader', 'Nobody Known');
	const details = page.locator('section', { has: page.getByRole('heading', { name: 'Details' }) });
	await expect(
		details.getByText('TradingView check: not found on TradingView', { exact: true })
	).toBeAttached(SECONDS);

	// Granting access to it is refused with the reason, and nothing is sent to TradingView.
	await mainNav(page, 'en').getByRole('link', { name: 'Accesses' }).click();
	await page.getByRole('link', { name: 'Grant access' }).click();
	await page.getByRole('combobox', { name: 'Client' }).fill('nobody');
	await page.getByRole('option', { name: /Nobody Known/ }).click();
	await page.getByRole('checkbox', { name: 'Trend Rider' }).check();
	await page.getByLabel('Duration', { exact: true }).selectOption({ label: '30 days' });
	await page.getByRole('button', { name: 'Grant access' }).click();
	await expect(
		page.getByText(/TradingView does not know (the|this) username/).first()
	).toBeVisible();
	expect(fake.requests.filter((r) => r.path === '/pine_perm/add/')).toHaveLength(0);

	// A username TradingView knows, typed in another case: verified, stored as TradingView spells it.
	await newClient(page, 'johndoe', 'John Doe');
	await expect(details.getByText('TradingView check: verified', { exact: true })).toBeAttached(
		SECONDS
	);
	await expect(details.getByText('JohnDoe', { exact: true })).toBeVisible();
});
