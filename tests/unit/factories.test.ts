import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as schema from '../../src/lib/server/db/schema';
import {
	clientEmailSchema,
	clientRowSchema,
	tradingViewUsernameSchema
} from '../../src/lib/shared/schemas/client';
import { indicatorRowSchema, PUB_ID_REGEX } from '../../src/lib/shared/schemas/indicator';
import { accessEventRowSchema } from '../../src/lib/shared/schemas/access-event';
import { accessRowSchema } from '../../src/lib/shared/schemas/access';
import { indicatorVersionRowSchema } from '../../src/lib/shared/schemas/indicator-version';
import { transactionRowSchema } from '../../src/lib/shared/schemas/transaction';
import {
	buildDataset,
	DAY_MS,
	idStream,
	makeClients,
	Random,
	type AccessEventRecord,
	type AccessRecord,
	type ClientRecord,
	type DatasetOptions,
	type IndicatorRecord,
	type IndicatorVersionRecord,
	type MaterialisedDataset,
	type TransactionRecord
} from '../factories';

// The factories live in tests/factories; this file sits in tests/unit because vitest only collects
// src/**/*.test.ts and tests/unit/**/*.test.ts.

const NOW = new Date('2026-03-01T00:00:00.000Z');
const OPTIONS: DatasetOptions = {
	seed: 7,
	clients: 2_000,
	indicators: 12,
	accesses: 6_000,
	now: NOW
};
const data = buildDataset(OPTIONS);

type State = 'active' | 'expiring' | 'expired' | 'revoked' | 'lifetime';
/** DESIGN.md §3 grant states at NOW, with lifetime (never expiring) counted apart. */
function stateOf(access: AccessRecord): State {
	if (access.revokedAt) return 'revoked';
	if (access.endsAt === null) return 'lifetime';
	const left = access.endsAt.getTime() - NOW.getTime();
	if (left <= 0) return 'expired';
	return left <= 7 * DAY_MS ? 'expiring' : 'active';
}

function tally<T>(items: Iterable<T>, key: (item: T) => string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
	return out;
}

/** Dates as ISO strings and a version, the shape the device mirror stores. */
function asSynced(row: object): Record<string, unknown> {
	const out: Record<string, unknown> = { version: 0 };
	for (const [key, value] of Object.entries(row))
		out[key] = value instanceof Date ? value.toISOString() : value;
	return out;
}

function checkGrantRules(dataset: MaterialisedDataset, now: Date): void {
	const clients = new Map(dataset.clients.map((c) => [c.id, c]));
	const indicators = new Map(dataset.indicators.map((i) => [i.id, i]));
	const eventsByAccess = new Map<string, MaterialisedDataset['accessEvents']>();
	for (const event of dataset.accessEvents) {
		const list = eventsByAccess.get(event.accessId) ?? [];
		list.push(event);
		eventsByAccess.set(event.accessId, list);
	}
	const byPair = new Map<string, AccessRecord[]>();
	for (const access of dataset.accesses) {
		const key = `${access.clientId}/${access.indicatorId}`;
		byPair.set(key, [...(byPair.get(key) ?? []), access]);
		const client = clients.get(access.clientId);
		const indicator = indicators.get(access.indicatorId);
		expect(client && indicator).toBeTruthy();
		if (!client || !indicator) continue;
		const start = access.startsAt.getTime();
		expect(start).toBeGreaterThanOrEqual(client.registeredAt.getTime());
		expect(start).toBeGreaterThanOrEqual(indicator.createdAt.getTime());
		expect(start).toBeLessThanOrEqual(now.getTime());
		if (access.endsAt) expect(access.endsAt.getTime()).toBeGreaterThan(start);
		if (access.revokedAt) {
			expect(access.revokedAt.getTime()).toBeGreaterThanOrEqual(start);
			expect(access.revokedAt.getTime()).toBeLessThanOrEqual(now.getTime());
		}
		if (client.status === 'inactive') expect(['expired', 'revoked']).toContain(stateOf(access));

		// History: one `granted` at the start, renewals extending the end, `revoked` iff revoked.
		const events = [...(eventsByAccess.get(access.id) ?? [])].sort(
			(a, b) => a.at.getTime() - b.at.getTime()
		);
		expect(events[0]?.kind).toBe('granted');
		expect(events[0]?.at).toEqual(access.startsAt);
		expect(events.filter((e) => e.kind === 'granted')).toHaveLength(1);
		expect(events.filter((e) => e.kind === 'revoked')).toHaveLength(access.revokedAt ? 1 : 0);
		let end: Date | null = null;
		for (const event of events) {
			expect(event.actor).toBe('system');
			expect(event.clientId).toBe(access.clientId);
			expect(event.indicatorId).toBe(access.indicatorId);
			expect(event.at.getTime()).toBeLessThanOrEqual(now.getTime());
			if (event.kind === 'granted') end = event.newEndsAt;
			if (event.kind === 'renewed') {
				expect(event.previousEndsAt).toEqual(end);
				const previous = event.previousEndsAt?.getTime() ?? 0;
				// Extends from max(renewal time, current end).
				expect(event.newEndsAt?.getTime()).toBeGreaterThan(Math.max(previous, event.at.getTime()));
				end = event.newEndsAt;
				if (indicator.status === 'retired')
					expect(event.at.getTime()).toBeLessThanOrEqual(indicator.updatedAt.getTime());
			}
			if (event.kind === 'revoked') expect(event.at).toEqual(access.revokedAt);
		}
		expect(end).toEqual(access.endsAt);
		if (indicator.status === 'retired')
			expect(start).toBeLessThanOrEqual(indicator.updatedAt.getTime());
	}
	// At most one open grant per pair; earlier grants of a pair were revoked before the next began.
	for (const grants of byPair.values()) {
		expect(grants.filter((g) => !g.revokedAt).length).toBeLessThanOrEqual(1);
		const sorted = [...grants].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
		for (let i = 1; i < sorted.length; i++) {
			const previous = sorted[i - 1] as AccessRecord;
			expect(previous.revokedAt).not.toBeNull();
			expect(previous.revokedAt?.getTime()).toBeLessThanOrEqual(
				(sorted[i] as AccessRecord).startsAt.getTime()
			);
		}
	}
}

describe('factories', () => {
	it('are deterministic: the same options give the same rows, ids included', () => {
		expect(buildDataset(OPTIONS)).toEqual(data);
		const other = buildDataset({ ...OPTIONS, seed: 8 });
		expect(other.clients[0]?.id).not.toBe(data.clients[0]?.id);
		expect(other.clients.map((c) => c.tradingviewUsername)).not.toEqual(
			data.clients.map((c) => c.tradingviewUsername)
		);
	});

	it('draw each kind of record from its own stream: more grants leave clients and indicators alone', () => {
		const more = buildDataset({ ...OPTIONS, accesses: OPTIONS.accesses + 500 });
		expect(more.clients).toEqual(data.clients);
		expect(more.indicators).toEqual(data.indicators);
		expect(more.indicatorVersions).toEqual(data.indicatorVersions);
	});

	it('use no Math.random and no clock', () => {
		const random = Math.random;
		const dateNow = Date.now;
		Math.random = () => {
			throw new Error('Math.random used');
		};
		Date.now = () => {
			throw new Error('Date.now used');
		};
		try {
			expect(() => buildDataset({ ...OPTIONS, clients: 50, accesses: 150 })).not.toThrow();
		} finally {
			Math.random = random;
			Date.now = dateNow;
		}
	});

	it('make UUIDv7 ids, unique across every table', () => {
		const ids = [
			...data.clients,
			...data.indicators,
			...data.indicatorVersions,
			...data.accesses,
			...data.accessEvents,
			...data.transactions
		].map((row) => row.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids.slice(0, 2_000))
			expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		// Within a table, ids sort in creation order.
		const clientIds = data.clients.map((c) => c.id);
		expect([...clientIds].sort()).toEqual(clientIds);
		const next = idStream('x', 0);
		expect(next()).not.toBe(next());
	});

	it('have exactly the columns of their tables (all of them, version aside)', () => {
		// Compile-time: a column added to a table fails the type check until the factory fills it.
		type Row<T extends { $inferInsert: object }> = Required<Omit<T['$inferInsert'], 'version'>>;
		expectTypeOf<ClientRecord>().toEqualTypeOf<Row<typeof schema.clients>>();
		expectTypeOf<IndicatorRecord>().toEqualTypeOf<Row<typeof schema.indicators>>();
		expectTypeOf<IndicatorVersionRecord>().toEqualTypeOf<Row<typeof schema.indicatorVersions>>();
		expectTypeOf<AccessRecord>().toEqualTypeOf<Row<typeof schema.accesses>>();
		expectTypeOf<AccessEventRecord>().toMatchTypeOf<Row<typeof schema.accessEvents>>();
		expectTypeOf<TransactionRecord>().toMatchTypeOf<Row<typeof schema.transactions>>();
	});

	it('give rows the shared row schemas accept (as the device mirror stores them)', () => {
		const sample = <T>(rows: T[]) => rows.filter((_, i) => i % 37 === 0);
		for (const row of sample(data.clients)) clientRowSchema.parse(asSynced(row));
		for (const row of data.indicators) indicatorRowSchema.parse(asSynced(row));
		for (const row of data.indicatorVersions) indicatorVersionRowSchema.parse(asSynced(row));
		for (const row of sample(data.accesses)) accessRowSchema.parse(asSynced(row));
		for (const row of sample(data.accessEvents)) accessEventRowSchema.parse(asSynced(row));
		for (const row of sample(data.transactions)) transactionRowSchema.parse(asSynced(row));
	});

	it('make clients with unique usernames and emails (case-insensitively), some without email', () => {
		const usernames = data.clients.map((c) => c.tradingviewUsername.toLowerCase());
		expect(new Set(usernames).size).toBe(usernames.length);
		const emails = data.clients.flatMap((c) => (c.email ? [c.email.toLowerCase()] : []));
		expect(new Set(emails).size).toBe(emails.length);
		expect(emails.length).toBeLessThan(data.clients.length * 0.95);
		expect(emails.length).toBeGreaterThan(data.clients.length * 0.7);
		for (const client of data.clients) {
			// What a person would type is stored unchanged.
			expect(tradingViewUsernameSchema.parse(client.tradingviewUsername)).toBe(
				client.tradingviewUsername
			);
			if (client.email) expect(clientEmailSchema.parse(client.email)).toBe(client.email);
			expect(client.email ?? '').not.toMatch(/@(gmail|hotmail|yahoo|outlook)\./);
		}
		// Mixed-case handles exist, so case-insensitive uniqueness is really exercised.
		expect(data.clients.some((c) => /[A-Z]/.test(c.tradingviewUsername))).toBe(true);
		expect(data.clients.some((c) => /[áéíóúñÁÉÍÓÚÑ]/.test(c.fullName ?? ''))).toBe(true);
		const statuses = tally(data.clients, (c) => c.status);
		expect(statuses.active ?? 0).toBeGreaterThan(data.clients.length * 0.8);
		expect(statuses.inactive ?? 0).toBeGreaterThan(0);
		// Registered over the 3 years before now.
		const times = data.clients.map((c) => c.registeredAt.getTime());
		expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime());
		expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW.getTime() - 3 * 365 * DAY_MS);
		expect(Math.min(...times)).toBeLessThan(NOW.getTime() - 2.5 * 365 * DAY_MS);
	});

	it('keeps usernames and emails unique when names repeat a lot (30k clients)', () => {
		const many = makeClients({ seed: 3, count: 30_000, now: NOW });
		const usernames = new Set(many.map((c) => c.tradingviewUsername.toLowerCase()));
		expect(usernames.size).toBe(many.length);
		const emails = many.flatMap((c) => (c.email ? [c.email] : []));
		expect(new Set(emails).size).toBe(emails.length);
	});

	it('make indicators with unique PUB IDs, a retired one, and their releases', () => {
		const pubIds = data.indicators.map((i) => i.pubId);
		expect(new Set(pubIds).size).toBe(pubIds.length);
		for (const pubId of pubIds) expect(pubId).toMatch(PUB_ID_REGEX);
		const statuses = tally(data.indicators, (i) => i.status);
		expect(statuses.retired).toBeGreaterThanOrEqual(1);
		expect(statuses.development).toBeGreaterThanOrEqual(1);
		expect(statuses.production).toBeGreaterThanOrEqual(data.indicators.length / 2);
		for (const indicator of data.indicators) {
			const releases = data.indicatorVersions
				.filter((v) => v.indicatorId === indicator.id)
				.sort((a, b) => a.releasedAt.getTime() - b.releasedAt.getTime());
			expect(indicator.releaseVersion).toBe(releases.at(-1)?.releaseVersion ?? null);
			expect(indicator.lastUpdatedAt).toEqual(releases.at(-1)?.releasedAt ?? null);
			expect(new Set(releases.map((r) => r.releaseVersion)).size).toBe(releases.length);
			for (const release of releases) {
				expect(release.releaseVersion).toMatch(/^\d+\.\d+\.\d+$/);
				expect(release.releasedAt.getTime()).toBeGreaterThanOrEqual(indicator.createdAt.getTime());
				expect(release.releasedAt.getTime()).toBeLessThanOrEqual(indicator.updatedAt.getTime());
			}
		}
		// Two indicators: one of them is retired.
		const two = buildDataset({ ...OPTIONS, indicators: 2, accesses: 100 });
		expect(two.indicators.map((i) => i.status).sort()).toEqual(['production', 'retired']);
	});

	it('make grants that keep the grant rules, with a consistent history', () => {
		expect(data.accesses).toHaveLength(OPTIONS.accesses);
		checkGrantRules(data, NOW);
	});

	it('keep the rules when few pairs must take many grants (long revoked histories)', () => {
		const dense = buildDataset({
			seed: 'dense',
			clients: 3,
			indicators: 2,
			accesses: 120,
			now: NOW
		});
		expect(dense.accesses).toHaveLength(120);
		checkGrantRules(dense, NOW);
	});

	it('make a mix of states, types and payments', () => {
		const states = tally(data.accesses, stateOf);
		const share = (n = 0) => n / data.accesses.length;
		expect(share(states.active)).toBeGreaterThan(0.15);
		expect(share(states.expiring)).toBeGreaterThan(0.02);
		expect(share(states.expired)).toBeGreaterThan(0.15);
		expect(share(states.revoked)).toBeGreaterThan(0.05);
		expect(share(states.lifetime)).toBeGreaterThan(0.02);
		const types = tally(data.accesses, (a) => a.accessType);
		expect(Object.keys(types).sort()).toEqual(['complimentary', 'paid', 'trial']);
		const tv = tally(data.accesses, (a) => a.tvState);
		expect(share(tv.pending)).toBeGreaterThan(0.6);
		expect(Object.keys(tv).sort()).toEqual(['not_applicable', 'pending']);
		const kinds = tally(data.accessEvents, (e) => e.kind);
		expect(kinds.granted).toBe(data.accesses.length);
		expect(kinds.renewed ?? 0).toBeGreaterThan(data.accesses.length * 0.2);
		expect(kinds.revoked).toBe(states.revoked);

		// Payments belong to clients with paid grants, in USD or EUR minor units.
		const payers = new Set(
			data.accesses.filter((a) => a.accessType === 'paid').map((a) => a.clientId)
		);
		for (const payment of data.transactions) {
			expect(payers.has(payment.clientId)).toBe(true);
			expect(Number.isSafeInteger(payment.amount) && payment.amount > 0).toBe(true);
			expect(['USD', 'EUR']).toContain(payment.currency);
		}
		expect(Object.keys(tally(data.transactions, (t) => t.currency)).sort()).toEqual(['EUR', 'USD']);
		expect(tally(data.transactions, (t) => t.status).paid).toBeGreaterThan(
			data.transactions.length * 0.8
		);
		const stripeRefs = data.transactions
			.filter((t) => t.source === 'stripe')
			.map((t) => t.paymentReference);
		expect(stripeRefs.length).toBeGreaterThan(0);
		expect(new Set(stripeRefs).size).toBe(stripeRefs.length);
		// One settled payment per paid term (the grant and each renewal).
		const paidGrants = new Set(
			data.accesses.filter((a) => a.accessType === 'paid').map((a) => a.id)
		);
		const paidTerms = data.accessEvents.filter(
			(e) => e.kind !== 'revoked' && paidGrants.has(e.accessId)
		).length;
		const settled = data.transactions.filter((t) => t.status !== 'failed').length;
		expect(settled).toBe(paidTerms);
	});

	it('Random draws are spread as asked', () => {
		const random = new Random('spread');
		const counts = [0, 0, 0];
		for (let i = 0; i < 30_000; i++)
			counts[
				random.weighted([
					[0, 1],
					[1, 2],
					[2, 3]
				] as const)
			]!++;
		expect(counts[0]! / 30_000).toBeCloseTo(1 / 6, 1);
		expect(counts[2]! / 30_000).toBeCloseTo(1 / 2, 1);
		for (let i = 0; i < 1_000; i++) {
			const x = random.between(3, 5);
			expect(x >= 3 && x <= 5).toBe(true);
		}
	});
});
