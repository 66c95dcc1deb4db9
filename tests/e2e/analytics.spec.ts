/**
 * The analytics page, computed on the device: grants made on another device with a history (the
 * server's test clock moves 15 days forward between sales), then every chart drawn with its
 * summary table holding the numbers worked out below; the range changed to 30 days and to a
 * custom range before any sale; axe, and no sideways scroll at 360 px.
 *
 * The story, from the day of the first sales (day 0):
 * - clients joe, ann and rick are active, lou inactive (after his grant); indicators Trend Pulse and Night Owl Bands.
 * - day 0: joe Trend 7 d, ann Trend 7 d, ann Owl 30 d, lou Owl lifetime, rick Owl 30 d (revoked).
 * - day 5: joe's Trend renewed for 30 d (before its end, so it runs day 7 → 37).
 * - day 15: now. Ann's Trend ended on day 7 and was not renewed within 7 days.
 */
import type { Page } from '@playwright/test';
import { uuidv7 } from 'uuidv7';
import { expect, test } from './support/app';
import { apiDevice, given, pubIdFor } from './support/api';
import {
	axeCheck,
	expectNoHorizontalOverflow,
	login,
	mainNav,
	message,
	setupAdmin,
	ui,
	type Account
} from './support/helpers';

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ appOptions: { env: { TEST_CLOCK: 'on', JOBS: 'off', TRADINGVIEW_SYNC: 'off' } } });

const admin: Account = {
	name: 'Ana Lytics',
	email: 'ana@example.com',
	password: 'numbers tell it all'
};
const DAY = 86_400_000;
const SYNCED = { timeout: 30_000 };
const charts = ['clients', 'indicators', 'subscriptions', 'renewals', 'expirations'] as const;

async function moveServerClock(page: Page, advanceMs: number): Promise<void> {
	const response = await page.request.post('/api/test/clock', {
		data: { advanceMs },
		headers: { origin: new URL(page.url()).origin }
	});
	expect(response.ok()).toBe(true);
}

async function openAnalytics(page: Page): Promise<void> {
	await mainNav(page, 'en').getByRole('link', { name: ui.en.nav.analytics }).click();
	await expect(page.getByRole('heading', { level: 1, name: ui.en.nav.analytics })).toBeVisible();
}

const table = (page: Page, chart: string) => page.getByTestId(`${chart}-table`);
/** A row of a summary table by its header cell, as its cells' text. */
const row = (page: Page, chart: string, head: string | RegExp) =>
	table(page, chart)
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name: head }) });

test('an empty device says how the charts fill in', async ({ page }) => {
	await setupAdmin(page, admin);
	await openAnalytics(page);
	await expect(
		page.getByRole('heading', { level: 2, name: message('en', 'analytics.emptyTitle') })
	).toBeVisible();
});

test('every chart and its table, for a history made on another device', async ({ page }) => {
	await login(page, admin);
	const api = apiDevice(page);
	const joe = given.client({ tradingviewUsername: 'joe_joe' });
	const ann = given.client({ tradingviewUsername: 'ann_ann' });
	const lou = given.client({ tradingviewUsername: 'lou_lou' });
	const rick = given.client({ tradingviewUsername: 'rick_rick' });
	const trend = given.indicator({
		name: 'Trend Pulse',
		pubId: pubIdFor('trend'),
		status: 'production'
	});
	const owl = given.indicator({
		name: 'Night Owl Bands',
		pubId: pubIdFor('owl'),
		status: 'production'
	});
	await api.push(joe, ann, lou, rick, trend, owl);
	const preset = (p: string) => ({ kind: 'preset' as const, preset: p });
	const joeTrend = given.grant(joe.args.id, [trend.args.id], preset('7d'));
	const rickOwl = given.grant(rick.args.id, [owl.args.id], preset('30d'));
	await api.push(
		joeTrend,
		given.grant(ann.args.id, [trend.args.id], preset('7d')),
		given.grant(ann.args.id, [owl.args.id], preset('30d')),
		given.grant(lou.args.id, [owl.args.id], preset('lifetime'), 'complimentary'),
		rickOwl
	);
	await api.push(
		{
			name: 'access.revoke',
			args: { accessId: rickOwl.args.items[0]!.accessId, eventId: uuidv7(), reason: 'Chargeback' }
		},
		// Inactive clients take no grants: lou became inactive after his.
		{ name: 'client.update', args: { id: lou.args.id, base: null, patch: { status: 'inactive' } } }
	);
	await moveServerClock(page, 5 * DAY);
	await api.push({
		name: 'access.renew',
		args: {
			accessId: joeTrend.args.items[0]!.accessId,
			eventId: uuidv7(),
			conflictEventId: uuidv7(),
			notificationId: uuidv7(),
			baseEndsAt: null,
			duration: preset('30d'),
			note: null
		}
	});
	await moveServerClock(page, 10 * DAY);

	// Nothing was pushed after the last move: a reload syncs and measures the server's clock again.
	await page.reload();
	await openAnalytics(page);
	for (const chart of charts) {
		const section = page.locator(`section[data-chart="${chart}"]`);
		// A chart is drawn when it nears the viewport.
		await section.scrollIntoViewIfNeeded();
		await expect(
			section.getByRole('img', { name: /: chart\. The table below gives the same numbers\.$/ })
		).toBeVisible();
		await expect(section.locator('svg').first()).toBeVisible();
		await expect(table(page, chart)).toBeVisible();
	}

	// Clients at the end of the last period (now): 4 registered; active: joe and ann (lou is
	// inactive, rick's only grant revoked).
	await expect(table(page, 'clients').getByRole('row').last()).toContainText(/4\s*2$/, SYNCED);
	// Now: Owl open for ann and lou; Trend for joe only. Terms sold in 30 days: 3 each.
	await expect(row(page, 'indicators', 'Night Owl Bands')).toHaveText(/2\s*3\s*3$/);
	await expect(row(page, 'indicators', 'Trend Pulse')).toHaveText(/1\s*3\s*3$/);
	await expect(table(page, 'indicators').getByRole('rowheader').first()).toHaveText(
		'Night Owl Bands'
	);
	// Five new grants and one renewal over the range.
	await expect(row(page, 'subscriptions', 'Whole range')).toHaveText(/5\s*1\s*6$/);
	// Ended and decided: joe's first term (renewed) and ann's Trend (not); revoked and lifetime out.
	await expect(page.getByTestId('renewal-overall')).toHaveText('Overall: 50% (1 of 2)');
	await expect(row(page, 'renewals', 'Whole range')).toHaveText(/1\s*2\s*50%$/);
	// Ann's Owl ends in 15 days (third week ahead), joe's Trend in 22 (fourth).
	const weeks = table(page, 'expirations').locator('tbody tr td');
	await expect(weeks).toHaveText(['0', '0', '1', '1', '0', '0', '0', '0']);
});

test('the range: 30 days per week, in the address; a custom range before any sale', async ({
	page
}) => {
	await login(page, admin);
	await openAnalytics(page);
	await page.getByLabel('Date range').selectOption('30d');
	await expect(page).toHaveURL(/[?&]range=30d/);
	await expect(page.getByTestId('analytics-range-shown')).toContainText('per week');
	await expect(table(page, 'clients').getByRole('rowheader').first()).toHaveText(/^Week of /);
	await expect(table(page, 'clients').getByRole('row').last()).toContainText(/4\s*2$/);
	await expect(row(page, 'subscriptions', 'Whole range')).toHaveText(/5\s*1\s*6$/);

	await page.getByLabel('Date range').selectOption('custom');
	const before = new Date(Date.now() - 40 * DAY).toISOString().slice(0, 10);
	await page.getByLabel('From', { exact: true }).fill(before);
	await page.getByLabel('To', { exact: true }).fill(before);
	await expect(page).toHaveURL(new RegExp(`range=custom&from=${before}&to=${before}`));
	await expect(row(page, 'subscriptions', 'Whole range')).toHaveText(/0\s*0\s*0$/);
	await expect(page.getByTestId('renewal-overall')).toHaveText('Overall: — (0 of 0)');
	// Expirations look ahead of now whatever the range.
	await expect(table(page, 'expirations').locator('tbody tr td')).toHaveText([
		'0',
		'0',
		'1',
		'1',
		'0',
		'0',
		'0',
		'0'
	]);

	await page.getByLabel('Date range').selectOption('12m');
	await axeCheck(page, 'analytics');
	await page.setViewportSize({ width: 360, height: 800 });
	await page.reload();
	await expect(table(page, 'expirations')).toBeVisible(SYNCED);
	await expectNoHorizontalOverflow(page, 'analytics at 360 px');
	await axeCheck(page, 'analytics at 360 px');
});
