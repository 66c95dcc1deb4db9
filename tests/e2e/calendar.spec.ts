/**
 * The calendar, as a new user meets it: empty at first, with a way to the Accesses page; then,
 * with grants made on another device, each grant's end on its day of the month in the browser's
 * time zone (not UTC's), coloured and named by state, opening the grant; the agenda of upcoming
 * days; an .ics file of upcoming expirations made on the device, even offline. Lifetime and
 * revoked grants have no expiration and never show. Last, the page at phone size (a list, no
 * sideways scroll) and axe on each view.
 *
 * The browser runs in Kiritimati (UTC+14) so a local day differs from the UTC day for most of it:
 * an end at 11:00 UTC falls on the next day there, and the calendar must show it on that day.
 *
 * The tests share one server and build on each other, so they run in order.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
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

const ZONE = 'Pacific/Kiritimati';
test.use({ timezoneId: ZONE, locale: 'en-US', serviceWorkers: 'block' });
// Several page loads and axe runs per test on a shared 2-core machine.
test.describe.configure({ mode: 'serial', timeout: 150_000 });

const admin: Account = {
	name: 'Cleo Calendar',
	email: 'cleo@example.com',
	password: 'every day counts here'
};

const DAY_MS = 86_400_000;
/** An instant `days` UTC days from today, at 11:00 UTC: 01:00 the day after in Kiritimati. */
function endIn(days: number, hour = 11): Date {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, hour));
}

const fullDate = (date: Date, timeZone = ZONE) =>
	new Intl.DateTimeFormat('en', { dateStyle: 'full', timeZone }).format(date);
const mediumDate = (date: Date) =>
	new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: ZONE }).format(date);
const monthName = (date: Date) =>
	new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: ZONE }).format(date);

/** `YYYY-MM-DD` of an instant in the browser's zone. */
function localDay(date: Date): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {
			timeZone: ZONE,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit'
		})
			.formatToParts(date)
			.map((part) => [part.type, part.value])
	);
	return `${parts.year}-${parts.month}-${parts.day}`;
}

const icsTime = (date: Date) =>
	date
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/[-:]/g, '');

// The grants of this story. Trader Joe's ends in 5 days (expiring), Pine Ann's in 30 (active);
// Busy Bee has four indicators ending an hour after Joe's, the same local day (a busy day).
const END_SOON = endIn(5);
const END_BUSY = endIn(5, 12);
const END_LATER = endIn(30);
const ids = { joe: '', ann: '', busy: [] as string[] };

async function openCalendar(page: Page): Promise<void> {
	await mainNav(page, 'en').getByRole('link', { name: ui.en.nav.calendar }).click();
	await expect(page).toHaveURL(/\/calendar(\?.*)?$/);
	await expect(page.getByRole('heading', { level: 1, name: ui.en.nav.calendar })).toBeVisible();
}

/** Pages the month view forward until it shows the month of `date`. */
async function showMonthOf(page: Page, date: Date): Promise<void> {
	const target = localDay(date).slice(0, 7);
	for (let step = 0; step < 3; step++) {
		const url = new URL(page.url());
		const shown = url.searchParams.get('month') ?? localDay(new Date()).slice(0, 7);
		if (shown === target) break;
		await page.getByRole('button', { name: 'Next month' }).click();
	}
	// This month is shown without a `month` in the address (the default view).
	if (target !== localDay(new Date()).slice(0, 7))
		await expect(page).toHaveURL(new RegExp(`[?&]month=${target}(&|$)`));
	await expect(page.getByRole('heading', { level: 2, name: monthName(date) })).toBeVisible();
}

/** The month view's cell of the day `date` falls on in the browser's zone. */
function dayCell(page: Page, date: Date): Locator {
	return page.getByRole('cell').filter({ hasText: fullDate(date) });
}

/** The agenda's day (its heading and its list) of the day `date` falls on. */
function agendaDay(page: Page, date: Date): Locator {
	return page
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { level: 3, name: fullDate(date) }) });
}

test('a new admin finds an empty calendar that says where to grant access', async ({ page }) => {
	await setupAdmin(page, admin);
	await openCalendar(page);
	await expect(
		page.getByRole('heading', { level: 2, name: message('en', 'calendar.emptyTitle') })
	).toBeVisible();
	await expect(page.getByText(message('en', 'calendar.emptyNext'))).toBeVisible();
	await expect(page.getByRole('button', { name: 'Export .ics' })).toHaveCount(0);
	await page.getByRole('link', { name: 'Go to Accesses' }).click();
	await expect(page).toHaveURL(/\/accesses$/);
});

test('the calendar entry of a grant: on its local day, opening the grant', async ({ page }) => {
	await login(page, admin);
	// Given, from another device: clients, indicators and grants, one lifetime, one revoked.
	const api = apiDevice(page);
	const joe = given.client({ tradingviewUsername: 'trader_joe', fullName: 'Joe Trader' });
	const ann = given.client({ tradingviewUsername: 'pine_ann' });
	const busy = given.client({ tradingviewUsername: 'busy_bee' });
	const lifer = given.client({ tradingviewUsername: 'lifer_lou' });
	const rick = given.client({ tradingviewUsername: 'revoked_rick' });
	const indicators = ['Trend Pulse', 'Night Owl Bands', 'Volume Wave', 'Range Finder'].map((name) =>
		given.indicator({ name, pubId: pubIdFor(name), status: 'production' })
	);
	const [trend, owl] = indicators.map((i) => i.args.id) as [string, string];
	const until = (date: Date) => ({ kind: 'until' as const, endsAt: date.toISOString() });
	const joeGrant = given.grant(joe.args.id, [trend], until(END_SOON));
	const annGrant = given.grant(ann.args.id, [owl], until(END_LATER));
	const busyGrant = given.grant(
		busy.args.id,
		indicators.map((i) => i.args.id),
		until(END_BUSY)
	);
	const lifeGrant = given.grant(lifer.args.id, [trend], { kind: 'preset', preset: 'lifetime' });
	const rickGrant = given.grant(rick.args.id, [owl], { kind: 'preset', preset: '30d' });
	await api.push(joe, ann, busy, lifer, rick, ...indicators);
	await api.push(joeGrant, annGrant, busyGrant, lifeGrant, rickGrant);
	const rickAccess = rickGrant.args.items[0]!.accessId;
	await api.push({
		name: 'access.revoke',
		args: { accessId: rickAccess, eventId: uuidv7(), reason: 'Chargeback' }
	});
	ids.joe = joeGrant.args.items[0]!.accessId;
	ids.ann = annGrant.args.items[0]!.accessId;
	ids.busy = busyGrant.args.items.map((item) => item.accessId);

	// Wide screen: the month view by default, this month first.
	await openCalendar(page);
	await expect(page.getByRole('button', { name: 'Month', pressed: true })).toBeVisible();
	await expect(page.getByRole('table', { name: /^Expirations in / })).toBeVisible();
	await showMonthOf(page, END_SOON);

	// Joe's grant ends at 11:00 UTC: 01:00 the next day here, so it is on that day, not the UTC one.
	expect(localDay(END_SOON)).not.toBe(END_SOON.toISOString().slice(0, 10));
	const cell = dayCell(page, END_SOON);
	const joeEntry = cell.getByRole('link', { name: /trader_joe/ });
	await expect(joeEntry).toBeVisible({ timeout: 30_000 });
	await expect(joeEntry).toContainText('Trend Pulse');
	await expect(joeEntry).toHaveAccessibleName(/Expiring/);
	await expect(joeEntry).toHaveAccessibleName(/ends at 1:00\sAM/);
	await expect(
		dayCell(page, new Date(END_SOON.getTime() - DAY_MS)).getByRole('link', { name: /trader_joe/ })
	).toHaveCount(0);
	// A busy day shows two entries and how many more; the rest are a click away.
	await expect(cell.getByRole('link', { name: /busy_bee/ })).toHaveCount(1);
	const more = cell.getByRole('link', { name: /^\+3 more/ });
	await expect(more).toBeVisible();

	// The entry opens the grant's page; Back returns to the same month.
	const monthUrl = page.url();
	await joeEntry.click();
	await expect(page).toHaveURL(new RegExp(`/accesses/${ids.joe}$`));
	await page.goBack();
	await expect(page).toHaveURL(monthUrl);
	await expect(dayCell(page, END_SOON).getByRole('link', { name: /trader_joe/ })).toBeVisible();

	// "+3 more" lists that whole day in the agenda.
	await dayCell(page, END_SOON)
		.getByRole('link', { name: /^\+3 more/ })
		.click();
	await expect(page).toHaveURL(new RegExp(`view=agenda.*from=${localDay(END_SOON)}`));
	await expect(
		page.getByRole('heading', { level: 2, name: `Expirations from ${mediumDate(END_SOON)}` })
	).toBeVisible();
	await expect(agendaDay(page, END_SOON).getByRole('link')).toHaveCount(5);

	// Ann's grant, a month away, is active.
	await page.getByRole('button', { name: 'Month' }).click();
	await expect(page).toHaveURL(/view=month/);
	await showMonthOf(page, END_LATER);
	const annEntry = dayCell(page, END_LATER).getByRole('link', { name: /pine_ann/ });
	await expect(annEntry).toHaveAccessibleName(/Active/);
	await axeCheck(page, 'calendar, month view, 1280 px');
});

test('the agenda lists upcoming days, and the .ics export works offline', async ({ page }) => {
	await login(page, admin);
	await openCalendar(page);
	await page.getByRole('button', { name: 'Agenda' }).click();
	await expect(page).toHaveURL(/view=agenda/);
	await expect(page.getByRole('button', { name: 'Agenda', pressed: true })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'Upcoming expirations' })).toBeVisible();

	// Days in order, each with its entries; lifetime and revoked grants never appear.
	const soon = agendaDay(page, END_SOON);
	const later = agendaDay(page, END_LATER);
	await expect(soon.getByRole('link')).toHaveCount(5, { timeout: 30_000 });
	await expect(soon.getByRole('link').first()).toContainText('trader_joe');
	await expect(soon.getByRole('link').first()).toContainText('Joe Trader');
	await expect(later.getByRole('link', { name: /pine_ann/ })).toContainText(/active/i);
	const headings = page.getByRole('heading', { level: 3 });
	await expect(headings).toHaveText([
		new RegExp(fullDate(END_SOON)),
		new RegExp(fullDate(END_LATER))
	]);
	await expect(page.getByRole('link', { name: /lifer_lou|revoked_rick/ })).toHaveCount(0);

	// The view survives a reload (it is in the URL).
	await page.reload();
	await expect(page.getByRole('button', { name: 'Agenda', pressed: true })).toBeVisible();
	await axeCheck(page, 'calendar, agenda, 1280 px');

	// The file is made on the device: it downloads without a network.
	await page.context().setOffline(true);
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export .ics' }).click();
	const download = await downloading;
	await page.context().setOffline(false);
	expect(download.suggestedFilename()).toBe('pinegate-expirations.ics');
	await expect(page.getByRole('status').filter({ hasText: 'Downloaded' })).toHaveText(
		'Downloaded 6 upcoming expirations as pinegate-expirations.ics.'
	);
	const ics = await readFile(await download.path(), 'utf8');
	expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
	expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
	expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
	const unfolded = ics.replace(/\r\n /g, '');
	expect(unfolded.match(/^BEGIN:VEVENT$/gm)).toHaveLength(6);
	const origin = new URL(page.url()).origin;
	const joeEvent = unfolded.slice(unfolded.indexOf(`UID:${ids.joe}@pinegate`));
	expect(joeEvent.slice(0, joeEvent.indexOf('END:VEVENT'))).toContain(
		[
			`DTSTART:${icsTime(END_SOON)}`,
			`DTEND:${icsTime(new Date(END_SOON.getTime() + 15 * 60_000))}`,
			'SUMMARY:Access to Trend Pulse ends — trader_joe'
		].join('\r\n')
	);
	expect(unfolded).toContain(`URL:${origin}/accesses/${ids.joe}\r\n`);
	expect(unfolded).toContain(`UID:${ids.ann}@pinegate\r\n`);
	for (const id of ids.busy) expect(unfolded).toContain(`UID:${id}@pinegate\r\n`);
	expect(unfolded).not.toMatch(/lifer_lou|revoked_rick/);
});

test('on a phone the calendar is a list: no sideways scroll, no serious axe problem', async ({
	page
}) => {
	await page.setViewportSize({ width: 360, height: 740 });
	await login(page, admin);
	await openCalendar(page);
	// Phones open on the agenda: a 7-column month does not fit 360 px.
	await expect(page.getByRole('button', { name: 'Agenda', pressed: true })).toBeVisible();
	await expect(agendaDay(page, END_SOON).getByRole('link')).toHaveCount(5, { timeout: 30_000 });
	await expectNoHorizontalOverflow(page, 'calendar, agenda, 360 px');
	await axeCheck(page, 'calendar, agenda, 360 px');

	// The month view on a phone lists the month's days instead of a table.
	await page.getByRole('button', { name: 'Month' }).click();
	await showMonthOf(page, END_SOON);
	await expect(page.getByRole('table')).toHaveCount(0);
	await expect(agendaDay(page, END_SOON).getByRole('link', { name: /trader_joe/ })).toBeVisible();
	await expectNoHorizontalOverflow(page, 'calendar, month, 360 px');
	await axeCheck(page, 'calendar, month, 360 px');
});
