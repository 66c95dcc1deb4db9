/**
 * Settings → TradingView as a vendor meets it, against the project's fake TradingView (a real HTTP
 * server): paste the two session cookies, see the account's manageable scripts; an expired session
 * is reported in words the admin can act on; a captcha on password login stops with a clear
 * message, without a second attempt.
 */
import { seedDemo } from '../fake-tradingview/state';
import { startFakeTradingView } from '../fake-tradingview/server';
import { expect, test } from './support/app';
import {
	axeCheck,
	expectNoHorizontalOverflow,
	mainNav,
	setupAdmin,
	type Account
} from './support/helpers';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const fake = await startFakeTradingView({ seed: seedDemo });
test.afterAll(() => fake.close());
test.use({
	appOptions: {
		env: { TRADINGVIEW_BASE_URL: fake.url, SECRET_KEY: 'e2e secret key, long enough to use!' }
	}
});

const admin: Account = {
	name: 'Tess Vendor',
	email: 'tess@example.com',
	password: 'scripts for sale'
};

test('connect TradingView by pasting the cookies, see the scripts, and a session that expired', async ({
	page
}) => {
	await setupAdmin(page, admin);
	await mainNav(page, 'en').getByRole('link', { name: 'Settings' }).click();
	const section = page.getByRole('region', { name: 'TradingView' }).first();
	await expect(page.getByTestId('tradingview-status')).toHaveText('Not connected.');
	await expect(page.getByText(`Calls go to ${new URL(fake.url).host}.`)).toBeVisible();

	const { sessionid, sessionidSign } = fake.state.session;
	await page.getByLabel('sessionid', { exact: true }).fill(`sessionid=${sessionid};`);
	await page.getByLabel('sessionid_sign', { exact: true }).fill(sessionidSign);
	await page.getByRole('button', { name: 'Save and test' }).click();
	await expect(page.getByText('Cookies saved.')).toBeVisible();
	await expect(page.getByText(/Connected\. Your account can manage \d+ scripts:/)).toBeVisible();
	for (const script of fake.state.scripts.values())
		if (script.owner === 'vendor' && script.access === 3)
			await expect(section).toContainText(script.name);
	await expect(page.getByTestId('tradingview-status')).toContainText(
		'Connected with cookies saved on'
	);
	// The cookies went to the fake as TradingView wants them, and never came back to the page.
	const listed = fake.requests.filter((r) => r.path === '/pine_perm/list_scripts/');
	expect(listed.at(-1)?.cookies).toMatchObject({ sessionid, sessionid_sign: sessionidSign });
	expect(await page.content()).not.toContain(sessionid);

	// Import my scripts fills the catalogue with the scripts' names and versions, once.
	await page.getByRole('button', { name: 'Import my scripts' }).click();
	await expect(
		page.getByText('3 scripts added to Indicators; 0 were there already.')
	).toBeVisible();
	await mainNav(page, 'en').getByRole('link', { name: 'Indicators' }).click();
	for (const name of ['Trend Rider', 'Volume Pulse', 'Session Ranges'])
		await expect(page.getByRole('main')).toContainText(name, { timeout: 20_000 });
	await expect(page.getByRole('main')).not.toContainText('Someone Else');
	await mainNav(page, 'en').getByRole('link', { name: 'Settings' }).click();
	await page.getByLabel('sessionid', { exact: true }).fill(sessionid);
	await page.getByLabel('sessionid_sign', { exact: true }).fill(sessionidSign);
	await page.getByRole('button', { name: 'Save and test' }).click();
	await expect(page.getByText(/Connected\. Your account can manage \d+ scripts:/)).toBeVisible();

	// The session ends on TradingView's side: the test says so and what to do.
	fake.state.expireSession();
	await page.getByRole('button', { name: 'Test connection' }).click();
	await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toContainText(
		'TradingView did not accept the session'
	);

	await axeCheck(page, 'settings with TradingView');
	await page.setViewportSize({ width: 360, height: 740 });
	await expectNoHorizontalOverflow(page, 'settings (360 px)');
});

test('password login: a captcha stops it with a clear message, and it is not retried', async ({
	page
}) => {
	await page.goto('/login');
	await page.getByLabel('Email', { exact: true }).fill(admin.email);
	await page.getByLabel('Password', { exact: true }).fill(admin.password);
	await page.getByRole('button', { name: 'Log in', exact: true }).click();
	await mainNav(page, 'en').getByRole('link', { name: 'Settings' }).click();
	fake.faults.login = 'captcha';
	const before = fake.requests.filter((r) => r.path === '/accounts/signin/').length;
	await page.getByText('Or log in with your TradingView password').click();
	await page.getByLabel('TradingView username or email').fill('vendor');
	await page.getByLabel('TradingView password').fill('whatever it is');
	await page.getByRole('button', { name: 'Log in to TradingView' }).click();
	await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toContainText(
		'TradingView wants a captcha'
	);
	expect(fake.requests.filter((r) => r.path === '/accounts/signin/').length).toBe(before + 1);
});
