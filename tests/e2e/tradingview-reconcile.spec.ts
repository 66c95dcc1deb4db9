/**
 * Reconciliation as a vendor meets it, against the fake TradingView: TradingView gives access to a
 * client who has no grant in PineGate (a leak) and to a customer PineGate has never heard of. "Run
 * now" reports both; importing the stranger makes a client, fixing the leak removes it on
 * TradingView.
 */
import { startFakeTradingView } from '../fake-tradingview/server';
import { apiDevice, given } from './support/api';
import { expect, test } from './support/app';
import {
	axeCheck,
	expectNoHorizontalOverflow,
	mainNav,
	setupAdmin,
	type Account
} from './support/helpers';

test.describe.configure({ timeout: 120_000 });

const PINE = 'PUB;7a1e2c3d4b5f60718293a4b5c6d7e8f9';
const DAY = 86_400_000;
const fake = await startFakeTradingView({
	seed: (state) => {
		state.addScript({ pineId: PINE, name: 'Trend Rider', version: '4.0' });
		// A client in PineGate without a grant, still on TradingView: a leak.
		state.grant(PINE, 'JohnDoe', new Date(state.now().getTime() + 30 * DAY));
		// A customer the vendor added by hand on TradingView before PineGate.
		state.grant(PINE, 'NewTrader', null);
	}
});
test.afterAll(() => fake.close());
test.use({
	appOptions: {
		env: { TRADINGVIEW_BASE_URL: fake.url, SECRET_KEY: 'e2e secret key, long enough to use!' }
	}
});

const admin: Account = {
	name: 'Rita Reconcile',
	email: 'rita@example.com',
	password: 'no drift at all'
};
/** A run and the device's pull on a loaded 2-core machine. */
const SECONDS = { timeout: 30_000 };

test('Run now reports a leak and an unknown user; import one, fix the other', async ({ page }) => {
	await setupAdmin(page, admin);
	await mainNav(page, 'en').getByRole('link', { name: 'Settings' }).click();
	// The section has its status from the server before the cookies go in (as in tradingview.spec).
	await expect(page.getByTestId('tradingview-status')).toHaveText('Not connected.');
	await page.getByLabel('sessionid', { exact: true }).fill(fake.state.session.sessionid);
	await page.getByLabel('sessionid_sign', { exact: true }).fill(fake.state.session.sessionidSign);
	await page.getByRole('button', { name: 'Save and test' }).click();
	// Saving tests the session against TradingView: on CI beside the static checks, over 10 s once.
	await expect(page.getByText(/Connected\. Your account can manage \d+ scripts:/)).toBeVisible(
		SECONDS
	);
	await apiDevice(page).push(
		given.client({ tradingviewUsername: 'JohnDoe', fullName: 'John Doe' }),
		given.indicator({ name: 'Trend Rider', pubId: PINE, status: 'production' })
	);

	await page.getByRole('link', { name: 'Open reconciliation' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Reconciliation' })).toBeVisible();
	await expect(page.getByText('No reconciliation has run yet.')).toBeVisible();
	await page.getByRole('button', { name: 'Run now' }).click();
	await expect(page.getByTestId('reconcile-last-run')).toContainText('Finished', SECONDS);
	await expect(page.getByTestId('reconcile-last-run')).toContainText('Rita Reconcile');

	const leaks = page.getByRole('region', { name: /On TradingView without an open grant/ });
	const unknown = page.getByRole('region', { name: /Not in PineGate/ });
	await expect(leaks.getByRole('row', { name: /John Doe/ })).toContainText('No open grant');
	await expect(unknown.getByRole('row', { name: /NewTrader/ })).toContainText('Lifetime');
	await axeCheck(page, 'reconciliation report');
	await page.setViewportSize({ width: 360, height: 800 });
	await expectNoHorizontalOverflow(page, 'reconciliation report at 360 px');
	await page.setViewportSize({ width: 1280, height: 800 });

	await unknown.getByRole('button', { name: /Import as client/ }).click();
	await expect(page.getByText('Fixed: NewTrader on Trend Rider.')).toBeVisible(SECONDS);
	await expect(unknown).toContainText('Imported as client');

	await leaks.getByRole('button', { name: /^Fix: JohnDoe/ }).click();
	await expect(leaks).toContainText('Removed from TradingView', SECONDS);
	expect(fake.state.grantOf(PINE, 'JohnDoe')).toBeUndefined();
	expect(fake.state.grantOf(PINE, 'NewTrader')).toBeDefined();

	await mainNav(page, 'en').getByRole('link', { name: 'Clients' }).click();
	await expect(page.getByText('NewTrader').first()).toBeVisible(SECONDS);
});
