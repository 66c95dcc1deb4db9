/**
 * Access grants as a vendor meets them (issue 5): grant three indicators to a client for 30 days in
 * one go, renew one by 7 days, revoke one with a reason, and read the states and the history. A
 * retired indicator cannot be chosen. A grant about to end shows in "Expiring in 7 days" and renews
 * with one click. Then the same renewal made offline on two devices: both apply, the double renewal
 * shows on the grant and on the Accesses page, and "Undo the second" settles it with one click.
 * Last, the pages at phone size (nothing scrolls sideways) and axe on each of them.
 *
 * The tests share one server and build on each other, so they run in order.
 */
import type { Browser, Page } from '@playwright/test';
import { apiDevice, given, pubIdFor } from './support/api';
import { expect, test } from './support/app';
import {
	axeCheck,
	expectNoHorizontalOverflow,
	login,
	mainNav,
	setupAdmin,
	type Account
} from './support/helpers';

test.describe.configure({ mode: 'serial', timeout: 150_000 });

const admin: Account = {
	name: 'Gina Grants',
	email: 'gina@example.com',
	password: 'grant it all now'
};
const DAY = 86_400_000;
/** Pokes and pulls on a loaded 2-core machine. */
const SYNCED = { timeout: 20_000 };

const client = { username: 'ana_trader', fullName: 'Ana Trader' };
const indicators = ['Alpha Bands', 'Beta Flow', 'Gamma Trend'];
const retired = 'Old Oscillator';
const shortClient = { username: 'bo_short', fullName: 'Bo Short' };

const dateText = (ms: number) =>
	new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(ms));

async function device(browser: Browser, baseURL: string, viewport = { width: 1280, height: 900 }) {
	const context = await browser.newContext({
		baseURL,
		locale: 'en-US',
		timezoneId: 'UTC',
		viewport
	});
	return { context, page: await context.newPage() };
}

async function openAccesses(page: Page) {
	await mainNav(page, 'en').getByRole('link', { name: 'Accesses' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Accesses' })).toBeVisible();
}

function accessRow(page: Page, indicator: string) {
	return page.locator('[data-access-row]').filter({ hasText: indicator });
}

function detail(page: Page, label: string) {
	return page.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
}

async function openGrant(page: Page, indicator: string) {
	await openAccesses(page);
	await accessRow(page, indicator)
		.filter({ hasText: client.fullName })
		.getByRole('link')
		.first()
		.click();
	await expect(
		page.getByRole('heading', { level: 1, name: `${indicator} for ${client.fullName}` })
	).toBeVisible();
}

test('grant three indicators for 30 days in one go, renew one, revoke one, read states and history', async ({
	page
}) => {
	await setupAdmin(page, admin);
	// Given (as another device would have entered them): the clients and the catalogue.
	const api = apiDevice(page);
	await api.push(
		given.client({ tradingviewUsername: client.username, fullName: client.fullName }),
		given.client({ tradingviewUsername: shortClient.username, fullName: shortClient.fullName }),
		...indicators.map((name) =>
			given.indicator({ name, pubId: pubIdFor(name), status: 'production' })
		),
		given.indicator({ name: retired, pubId: pubIdFor(retired), status: 'retired' })
	);

	// An empty Accesses page says what to do, and offers Grant access.
	await openAccesses(page);
	await expect(page.getByText('No accesses yet')).toBeVisible();
	await page.getByRole('link', { name: 'Grant access' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Grant access' })).toBeVisible();

	// The client, searched as you type.
	const search = page.getByRole('combobox', { name: 'Client' });
	await search.fill('ana');
	await page.getByRole('option', { name: /Ana Trader/ }).click();
	await expect(page.getByRole('group', { name: 'Client' })).toContainText('@ana_trader');

	// A retired indicator cannot be chosen; the three live ones can.
	await expect(page.getByRole('checkbox', { name: new RegExp(retired) })).toBeDisabled();
	for (const name of indicators) await page.getByRole('checkbox', { name }).check();
	await page.getByLabel('Duration', { exact: true }).selectOption({ label: '30 days' });
	await page.getByLabel('Access type').selectOption({ label: 'Paid' });
	const end30 = dateText(Date.now() + 30 * DAY);
	const preview = page.getByRole('region', { name: 'What will happen' });
	for (const name of indicators)
		await expect(preview).toContainText(`New access to ${name}, until ${end30}`);
	await page.getByRole('button', { name: 'Grant access' }).click();

	// Back on the list: three active grants, pending on TradingView, counted per state.
	await expect(page.getByRole('heading', { level: 1, name: 'Accesses' })).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'Access granted' })).toBeVisible();
	for (const name of indicators) {
		await expect(accessRow(page, name)).toContainText('active');
		await expect(accessRow(page, name)).toContainText(end30);
		await expect(accessRow(page, name)).toContainText('TradingView: pending');
	}
	await expect(page.getByRole('button', { name: /^Active 3$/ })).toBeVisible();

	// Renew one by 7 days: from its current end, not from today.
	await openGrant(page, 'Beta Flow');
	await page.getByRole('button', { name: 'Renew' }).click();
	const renew = page.getByRole('dialog', { name: /Renew access to Beta Flow/ });
	await renew.getByLabel('Duration', { exact: true }).selectOption({ label: '7 days' });
	await renew.getByRole('button', { name: 'Renew' }).click();
	await expect(page.getByText('Access renewed.')).toBeVisible();
	const end37 = dateText(Date.now() + 37 * DAY);
	await expect(detail(page, 'Ends')).toContainText(end37);
	const history = page
		.getByRole('region', { name: 'History' })
		.or(page.locator('section', { has: page.getByRole('heading', { name: 'History' }) }));
	await expect(history).toContainText('Renewed');
	await expect(history).toContainText(`Ends: ${end30} → ${end37}`);
	await expect(history).toContainText('Duration: 7 days');
	await expect(history).toContainText(`by ${admin.name}`);

	// Revoke another with a reason.
	await openGrant(page, 'Gamma Trend');
	await page.getByRole('button', { name: 'Revoke' }).click();
	const revoke = page.getByRole('dialog', { name: /Revoke access to Gamma Trend/ });
	await revoke.getByRole('button', { name: 'Revoke' }).click();
	await expect(revoke.getByText('Say why the access is revoked.')).toBeVisible();
	await revoke.getByLabel('Reason').fill('Refund requested');
	await revoke.getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByText('Access revoked.')).toBeVisible();
	await expect(detail(page, 'State')).toContainText('revoked');
	await expect(detail(page, 'Reason')).toContainText('Refund requested');
	await expect(
		page.locator('section', { has: page.getByRole('heading', { name: 'History' }) })
	).toContainText('Reason: Refund requested');
	await expect(page.getByRole('button', { name: 'Revoke' })).toHaveCount(0);

	// The list and the client's profile agree, after the server confirmed (a reload reads IndexedDB
	// again, refilled by the pull).
	await page.reload();
	await openAccesses(page);
	await expect(accessRow(page, 'Gamma Trend')).toContainText('revoked');
	await expect(page.getByRole('button', { name: /^Revoked 1$/ })).toBeVisible();
	await page.getByRole('button', { name: /^Revoked 1$/ }).click();
	await expect(page.locator('[data-access-row]')).toHaveCount(1);
	await expect(page).toHaveURL(/state=revoked/, SYNCED);
});

test('a grant in its last 7 days shows in "Expiring in 7 days" and renews with one click', async ({
	page
}) => {
	await login(page, admin);
	const api = apiDevice(page);
	await openAccesses(page);
	// Given: Bo holds Alpha Bands for 7 days (sold earlier on another device). The context is new:
	// its device has the rows only once its first pull is stored.
	await expect
		.poll(async () => {
			const { clients, indicators } = await idsByName(page);
			return Boolean(clients[shortClient.username] && indicators['Alpha Bands']);
		}, SYNCED)
		.toBe(true);
	const ids = await idsByName(page);
	await api.push(
		given.grant(ids.clients[shortClient.username] ?? '', [ids.indicators['Alpha Bands'] ?? ''], {
			kind: 'preset',
			preset: '7d'
		})
	);

	const week = page.getByRole('region', { name: /Expiring in 7 days/ });
	await expect(week).toContainText(`${shortClient.fullName} · Alpha Bands`, SYNCED);
	await expect(
		accessRow(page, 'Alpha Bands').filter({ hasText: shortClient.fullName })
	).toContainText('expiring');
	await week.getByRole('button', { name: /Renew 7 days: Bo Short, Alpha Bands/ }).click();
	await expect(page.getByText('Access renewed.')).toBeVisible();
	await expect(week).not.toContainText(shortClient.fullName);
	await expect(
		accessRow(page, 'Alpha Bands').filter({ hasText: shortClient.fullName })
	).toContainText(dateText(Date.now() + 14 * DAY));
});

/** Ids of the seeded rows, read from the device's IndexedDB through the app's own pages. */
async function idsByName(page: Page) {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('pinegate');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error ?? new Error('open failed'));
		});
		const request = <T>(store: string, read: (s: IDBObjectStore) => IDBRequest) =>
			new Promise<T>((resolve, reject) => {
				const req = read(db.transaction(store).objectStore(store));
				req.onsuccess = () => resolve(req.result as T);
				req.onerror = () => reject(req.error ?? new Error('read failed'));
			});
		type Row = { id: string; __deletedInBase?: 1 };
		// A large table's rows from its first sync sit in packed pieces (docs/decisions.md §24),
		// under what its own store holds since.
		const all = async <T extends { id: string }>(store: string): Promise<T[]> => {
			const own = await request<Row[]>(store, (s) => s.getAll());
			const base = db.objectStoreNames.contains('bases')
				? await request<{ data: Array<{ id: string; sliced?: true }> } | undefined>('bases', (s) =>
						s.get(store)
					)
				: undefined;
			const packed: Row[] = [];
			for (const ref of base?.data ?? []) {
				// A sliced piece is stored as records `<piece id>:<first key>`.
				const stored = ref.sliced
					? await request<Array<{ body: string }>>('pieces', (s) =>
							s.getAll(IDBKeyRange.bound(`${ref.id}:`, `${ref.id}:\uffff`))
						)
					: [await request<{ body: string }>('pieces', (s) => s.get(ref.id))];
				for (const piece of stored) {
					const body = JSON.parse(piece.body) as {
						columns?: string[];
						values?: unknown[][];
						rows?: Row[];
					};
					if (body.columns && body.values)
						for (const value of body.values)
							packed.push(
								Object.fromEntries(body.columns.map((c, i) => [c, value[i]])) as unknown as Row
							);
					else packed.push(...(body.rows ?? []));
				}
			}
			const ownIds = new Set(own.map((row) => row.id));
			return [
				...packed.filter((row) => !ownIds.has(row.id)),
				...own.filter((row) => !('__deletedInBase' in row))
			] as unknown as T[];
		};
		const clients = await all<{ id: string; tradingviewUsername: string }>('clients');
		const indicators = await all<{ id: string; name: string }>('indicators');
		db.close();
		return {
			clients: Object.fromEntries(clients.map((c) => [c.tradingviewUsername, c.id])),
			indicators: Object.fromEntries(indicators.map((i) => [i.name, i.id]))
		};
	});
}

test('the same renewal made offline on two devices: both apply, flagged, undone with one click', async ({
	browser,
	baseURL
}) => {
	const a = await device(browser, baseURL!);
	const b = await device(browser, baseURL!);
	try {
		await login(a.page, admin);
		await login(b.page, admin);
		await openGrant(a.page, 'Alpha Bands');
		await openGrant(b.page, 'Alpha Bands');
		const base = await detail(a.page, 'Ends').innerText();
		await expect(detail(b.page, 'Ends')).toHaveText(base);

		// Both go offline and sell the same 30-day renewal.
		for (const { page } of [a, b]) {
			await page.context().setOffline(true);
			await page.getByRole('button', { name: 'Renew' }).click();
			const dialog = page.getByRole('dialog', { name: /Renew access to Alpha Bands/ });
			await dialog.getByLabel('Duration', { exact: true }).selectOption({ label: '30 days' });
			await dialog.getByRole('button', { name: 'Renew' }).click();
			await expect(page.getByText('Access renewed.')).toBeVisible();
		}

		// Back online one after the other: both renewals apply (+60 days), and the second is flagged.
		await a.page.context().setOffline(false);
		await expect(a.page.getByRole('button', { name: 'Sync status' })).toHaveAttribute(
			'data-status',
			'synced',
			SYNCED
		);
		await b.page.context().setOffline(false);
		const banner = (page: Page) => page.getByRole('group', { name: 'Possible double renewal' });
		await expect(banner(b.page)).toBeVisible(SYNCED);
		await expect(banner(a.page)).toBeVisible(SYNCED);
		// Ana's grant was sold for 30 days in the first test, minutes ago.
		const soldAt = Date.now();
		await expect(banner(a.page)).toContainText(`same end date (${dateText(soldAt + 30 * DAY)})`);
		await expect(detail(a.page, 'Ends')).toContainText(dateText(soldAt + 90 * DAY), SYNCED);
		const history = a.page.locator('section', {
			has: a.page.getByRole('heading', { name: 'History' })
		});
		await expect(history).toContainText('Possible double renewal');

		// The dashboard (where a vendor starts) and the Accesses page list it too.
		await mainNav(b.page, 'en').getByRole('link', { name: 'Dashboard' }).click();
		await expect(b.page.getByRole('heading', { name: 'Possible double renewals' })).toBeVisible();
		await expect(banner(b.page).getByRole('link')).toHaveText(`${client.fullName} · Alpha Bands`);
		await openAccesses(b.page);
		await expect(b.page.getByRole('heading', { name: 'Possible double renewals' })).toBeVisible();

		// One click settles it for everyone: the second renewal is taken back.
		await banner(a.page).getByRole('button', { name: 'Undo the second' }).click();
		await expect(a.page.getByText('The second renewal was undone.')).toBeVisible();
		await expect(banner(a.page)).toHaveCount(0);
		await expect(detail(a.page, 'Ends')).toContainText(dateText(soldAt + 60 * DAY), SYNCED);
		await expect(history).toContainText('The second renewal was undone');
		await expect(b.page.getByRole('heading', { name: 'Possible double renewals' })).toHaveCount(
			0,
			SYNCED
		);
	} finally {
		await a.context.close();
		await b.context.close();
	}
});

test('a client with open grants: "Revoke all and delete" revokes them, then deletes the client', async ({
	page
}) => {
	await login(page, admin);
	await mainNav(page, 'en').getByRole('link', { name: 'Clients' }).click();
	await page.locator('[data-client-row] th a').filter({ hasText: shortClient.fullName }).click();
	await expect(page.getByRole('heading', { level: 1, name: shortClient.fullName })).toBeVisible();
	await page.getByRole('button', { name: 'Delete client' }).click();
	const dialog = page.getByRole('dialog', { name: `Delete ${shortClient.fullName}?` });
	await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(dialog).toContainText('This client has 1 open grant.');
	await dialog.getByRole('button', { name: 'Revoke all and delete' }).click();
	await expect(page.getByText(`${shortClient.fullName} was deleted.`)).toBeVisible();

	// The server applied both (after a reload the device reads what the pull stored).
	await expect(page.getByRole('button', { name: 'Sync status' })).toHaveAttribute(
		'data-status',
		'synced',
		SYNCED
	);
	await page.reload();
	await openAccesses(page);
	await page.getByRole('button', { name: /^Revoked / }).click();
	await expect(
		page.locator('[data-access-row]').filter({ hasText: 'Alpha Bands' }).filter({ hasText: '—' })
	).toHaveCount(1, SYNCED);
});

test('at phone size nothing scrolls sideways, and axe finds no serious problem', async ({
	browser,
	baseURL
}) => {
	const { context, page } = await device(browser, baseURL!, { width: 360, height: 740 });
	try {
		await login(page, admin);
		await page.goto('/accesses');
		await expect(accessRow(page, 'Beta Flow')).toBeVisible();
		await expectNoHorizontalOverflow(page, 'accesses (360 px)');
		await axeCheck(page, 'accesses (360 px)');

		await page.getByRole('link', { name: 'Grant access' }).first().click();
		await page.getByRole('combobox', { name: 'Client' }).fill('a');
		await expect(
			page.getByRole('listbox', { name: 'Client' }).getByRole('option').first()
		).toBeVisible();
		await expectNoHorizontalOverflow(page, 'grant form (360 px)');
		await axeCheck(page, 'grant form (360 px)');

		await page.goto('/accesses');
		await accessRow(page, 'Beta Flow').getByRole('link').first().click();
		await expect(page.getByRole('heading', { level: 1, name: /Beta Flow for/ })).toBeVisible();
		await expectNoHorizontalOverflow(page, 'grant page (360 px)');
		await axeCheck(page, 'grant page (360 px)');
		await page.getByRole('button', { name: 'Revoke' }).click();
		await expect(page.getByRole('dialog')).toBeVisible();
		await axeCheck(page, 'revoke dialog (360 px)');

		await page.setViewportSize({ width: 1280, height: 900 });
		await page.goto('/accesses');
		await expect(accessRow(page, 'Beta Flow')).toBeVisible();
		await axeCheck(page, 'accesses (1280 px)');
		await page.goto('/accesses/new');
		await axeCheck(page, 'grant form (1280 px)');
	} finally {
		await context.close();
	}
});
