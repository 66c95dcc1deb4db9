/**
 * Issue 8, "Bad input": markup saved in every text field is shown as text, never run. The data is
 * arranged through the sync API as another device would save it (the forms accept the same
 * strings); the test is what each page does with it: list, profile, indicator, accesses,
 * notifications, audit log, users, dashboard.
 */
import { uuidv7 } from 'uuidv7';
import type { Page } from '@playwright/test';
import { expect, test } from './support/app';
import { apiDevice, given, pubIdFor } from './support/api';
import { callApi, setupAdmin, type Account } from './support/helpers';

const IMG = '<img src=x onerror=window.__xss=1>';
const SCRIPT = '<script>window.__xss=1</script>';
const SVG = '"><svg onload=window.__xss=1>';

// The admin's own name is markup too: it shows in the header, the dashboard and history lines.
const admin: Account = {
	name: `Eve ${IMG}`,
	email: 'eve@example.com',
	password: 'a long password 42'
};

async function expectInert(page: Page, url: string, texts: string[]): Promise<void> {
	await page.goto(url);
	await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
	for (const text of texts)
		await expect(page.getByText(text).first(), `${text} on ${url}`).toBeVisible();
	// Nothing ran, and no element was made from the payloads.
	expect(
		await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss),
		url
	).toBeUndefined();
	await expect(page.locator('img[src="x"], svg[onload], main script')).toHaveCount(0);
}

test('markup saved in text fields is shown literally and never runs', async ({ page }) => {
	test.setTimeout(180_000);
	page.on('dialog', (dialog) => void dialog.dismiss());
	await setupAdmin(page, admin);

	const device = apiDevice(page);
	const client = given.client({
		tradingviewUsername: 'xss_client',
		fullName: `${IMG} Ann`,
		email: 'ann@example.com'
	});
	const indicator = given.indicator({ name: `${SVG} Trend`, pubId: pubIdFor('hostile') });
	const clientId = client.args.id;
	const indicatorId = indicator.args.id;
	const plain = given.grant(clientId, [indicatorId], { kind: 'preset', preset: '30d' });
	const grant = { ...plain, args: { ...plain.args, note: `${SCRIPT} paid twice` } };
	await device.push(
		client,
		indicator,
		grant,
		{
			name: 'client.update',
			args: { id: clientId, base: null, patch: { notes: `${SCRIPT}\n${SVG}` } }
		},
		{
			name: 'indicator.update',
			args: { id: indicatorId, base: null, patch: { description: `${IMG} description` } }
		}
	);
	const accessId = grant.args.items[0]?.accessId ?? '';
	await device.push({
		name: 'access.revoke',
		args: { accessId, eventId: uuidv7(), reason: `${SVG} refunded` }
	});
	const created = await callApi(page, 'users.create', 'mutation', {
		name: `${SCRIPT} Sid`,
		email: 'sid@example.com',
		password: 'another long password',
		role: 'seller'
	});
	expect(created.status).toBe(200);

	await expectInert(page, '/', [admin.name]);
	await expectInert(page, '/clients', [`${IMG} Ann`]);
	await expectInert(page, `/clients/${clientId}`, [`${IMG} Ann`, SCRIPT, `${SVG} Trend`]);
	await expectInert(page, '/indicators', [`${SVG} Trend`]);
	await expectInert(page, `/indicators/${indicatorId}`, [`${SVG} Trend`, `${IMG} description`]);
	await expectInert(page, '/accesses?state=all', [`${IMG} Ann`]);
	await expectInert(page, `/accesses/${accessId}`, [`${SVG} Trend`]);
	await expectInert(page, '/notifications', [`${IMG} Ann`]);
	await expectInert(page, '/audit', []);
	await expect(page.getByText(SCRIPT).first()).toBeAttached();
	await expectInert(page, '/users', [`${SCRIPT} Sid`, admin.name]);
});
