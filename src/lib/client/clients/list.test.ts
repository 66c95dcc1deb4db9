import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientRow } from '$lib/shared/schemas/client';
import {
	ClientIndex,
	defaultFilters,
	filtersToParams,
	foldText,
	pageOf,
	parseFilters,
	searchTerms,
	type ClientFilters
} from './list';
import { ClientQuery, filterClients, registeredBounds } from './query';

let seq = 0;
function client(fields: Partial<ClientRow> & { tradingviewUsername: string }): ClientRow {
	seq++;
	const at = fields.registeredAt ?? new Date(Date.UTC(2025, 0, seq)).toISOString();
	return {
		id: `0190a000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
		tvUsernameState: 'unverified',
		email: null,
		fullName: null,
		status: 'active',
		notes: null,
		registeredAt: at,
		createdAt: at,
		updatedAt: at,
		version: 1,
		deletedAt: null,
		...fields
	};
}

const jose = client({
	tradingviewUsername: 'jnunez',
	fullName: 'José Núñez',
	email: 'JOSE@Example.com',
	registeredAt: '2025-03-10T12:00:00.000Z'
});
const ana = client({
	tradingviewUsername: 'ana.trader',
	fullName: 'Ana María López',
	email: 'ana@example.com',
	status: 'inactive',
	registeredAt: '2025-01-05T09:00:00.000Z'
});
const bob = client({
	tradingviewUsername: 'Bob_FX',
	fullName: null,
	email: null,
	registeredAt: '2025-06-01T00:00:00.000Z'
});
const zoe = client({
	tradingviewUsername: 'zz-top',
	fullName: 'Zoë Ångström',
	email: 'zoe@example.org',
	registeredAt: '2024-12-31T23:30:00.000Z'
});
const rows = [jose, ana, bob, zoe];

function run(filters: Partial<ClientFilters>): string[] {
	return filterClients(new ClientIndex(rows), { ...defaultFilters, ...filters }).map(
		(entry) => entry.row.tradingviewUsername
	);
}

describe('foldText and searchTerms', () => {
	it('folds case and accents (NFD, marks stripped, lower case)', () => {
		expect(foldText('José Núñez')).toBe('jose nunez');
		expect(foldText('ZOË ÅNGSTRÖM')).toBe('zoe angstrom');
		// Precomposed and decomposed forms fold the same.
		expect(foldText('Jose\u0301')).toBe(foldText('Jos\u00e9'));
	});

	it('splits a search into folded words', () => {
		expect(searchTerms('  Ana   LÓPEZ ')).toEqual(['ana', 'lopez']);
		expect(searchTerms('   ')).toEqual([]);
	});
});

describe('filterClients', () => {
	it('finds accented names without accents and in any case', () => {
		expect(run({ q: 'jose' })).toEqual(['jnunez']);
		expect(run({ q: 'NUNEZ' })).toEqual(['jnunez']);
		expect(run({ q: 'angstrom' })).toEqual(['zz-top']);
	});

	it('searches full name, email and username; every word must match', () => {
		expect(run({ q: 'example.org' })).toEqual(['zz-top']);
		expect(run({ q: 'bob_f' })).toEqual(['Bob_FX']);
		expect(run({ q: 'ana lopez' })).toEqual(['ana.trader']);
		expect(run({ q: 'ana nunez' })).toEqual([]);
	});

	it('filters by status', () => {
		expect(run({ status: 'inactive' })).toEqual(['ana.trader']);
		expect(run({ status: 'active', sort: { key: 'username', dir: 'asc' } })).toEqual([
			'Bob_FX',
			'jnunez',
			'zz-top'
		]);
	});

	it('filters by registration days, both ends inclusive, in local time', () => {
		const local = (iso: string) => {
			const d = new Date(iso);
			const pad = (n: number) => String(n).padStart(2, '0');
			return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
		};
		expect(run({ from: local(jose.registeredAt), to: local(jose.registeredAt) })).toEqual([
			'jnunez'
		]);
		expect(run({ from: local(ana.registeredAt), sort: { key: 'registered', dir: 'asc' } })).toEqual(
			['ana.trader', 'jnunez', 'Bob_FX']
		);
		expect(run({ to: local(zoe.registeredAt) })).toEqual(['zz-top']);
	});

	it('sorts by each column both ways', () => {
		// By display name: the full name, else the username; accents folded.
		expect(run({ sort: { key: 'name', dir: 'asc' } })).toEqual([
			'ana.trader',
			'Bob_FX',
			'jnunez',
			'zz-top'
		]);
		expect(run({ sort: { key: 'name', dir: 'desc' } })).toEqual([
			'zz-top',
			'jnunez',
			'Bob_FX',
			'ana.trader'
		]);
		expect(run({ sort: { key: 'status', dir: 'asc' } })).toEqual([
			'Bob_FX',
			'jnunez',
			'zz-top',
			'ana.trader'
		]);
		expect(run({ sort: { key: 'registered', dir: 'desc' } })).toEqual([
			'Bob_FX',
			'jnunez',
			'ana.trader',
			'zz-top'
		]);
	});
});

describe('ClientIndex', () => {
	it('reuses the keys of unchanged rows and recomputes changed ones', () => {
		const first = new ClientIndex(rows);
		const renamed = { ...jose, fullName: 'Pepe', version: 2 };
		const moved = { ...ana, status: 'active' as const, version: 3 };
		const second = new ClientIndex([renamed, moved, bob, zoe], first);
		expect(second.byId.get(jose.id)?.searchKey).toContain('pepe');
		expect(second.byId.get(ana.id)?.searchKey).toBe(first.byId.get(ana.id)?.searchKey);
		expect(second.byId.get(ana.id)?.row).toBe(moved);
	});

	it('a patched index sorts and searches like one built from scratch', () => {
		const base = Array.from({ length: 30 }, (_, i) =>
			client({
				tradingviewUsername: `u${i}`,
				fullName: i % 4 ? `${['Ana', 'José', 'Zoë'][i % 3]} ${i}` : null,
				status: i % 2 ? 'active' : 'inactive',
				registeredAt: new Date(Date.UTC(2025, 0, 1 + (i % 7))).toISOString()
			})
		);
		const sorts = [
			{ key: 'name', dir: 'asc' },
			{ key: 'name', dir: 'desc' },
			{ key: 'username', dir: 'asc' },
			{ key: 'status', dir: 'desc' },
			{ key: 'registered', dir: 'desc' }
		] as const;
		const change = fc.record({
			at: fc.nat({ max: 29 }),
			kind: fc.constantFrom('rename', 'delete', 'add', 'status'),
			name: fc.constantFrom('Ana', 'Álvaro', 'zed', null)
		});
		fc.assert(
			fc.property(fc.array(change, { maxLength: 8 }), (changes) => {
				let rows = [...base];
				let index = new ClientIndex(rows);
				for (const sort of sorts) index.inOrder(sort); // fill the caches to be patched
				const upserts: ClientRow[] = [];
				const deletes: string[] = [];
				for (const c of changes) {
					const target = rows[c.at % rows.length];
					if (!target) continue;
					if (c.kind === 'delete') {
						rows = rows.filter((r) => r.id !== target.id);
						deletes.push(target.id);
						continue;
					}
					const row: ClientRow =
						c.kind === 'add'
							? client({ tradingviewUsername: `new${upserts.length}`, fullName: c.name })
							: c.kind === 'rename'
								? { ...target, fullName: c.name }
								: { ...target, status: target.status === 'active' ? 'inactive' : 'active' };
					rows = [...rows.filter((r) => r.id !== row.id), row];
					upserts.push(row);
				}
				// Deleting a row then upserting it again is an upsert; the store sends each id once.
				const upsertIds = new Set(upserts.map((r) => r.id));
				const lastById = new Map(upserts.map((r) => [r.id, r]));
				index = index.patched(
					[...lastById.values()].filter((r) => rows.some((x) => x.id === r.id)),
					deletes.filter((id) => !rows.some((x) => x.id === id) || !upsertIds.has(id))
				);
				const fresh = new ClientIndex(rows);
				for (const sort of sorts) {
					const ids = (i: ClientIndex) => i.inOrder(sort).map((e) => e.row.id);
					expect(ids(index)).toEqual(ids(fresh));
				}
				expect(index.size).toBe(rows.length);
			})
		);
	});

	it('patched one change at a time, as the store does edit after edit, it still matches', () => {
		const base = Array.from({ length: 20 }, (_, i) =>
			client({
				tradingviewUsername: `p${i}`,
				fullName: i % 3 ? `Name ${i % 5}` : null,
				registeredAt: new Date(Date.UTC(2025, 0, 1 + (i % 4))).toISOString()
			})
		);
		const sorts = [
			{ key: 'name', dir: 'asc' },
			{ key: 'registered', dir: 'desc' },
			{ key: 'status', dir: 'asc' }
		] as const;
		const step = fc.record({
			at: fc.nat({ max: 40 }),
			kind: fc.constantFrom('rename', 'delete', 'add', 'status'),
			name: fc.constantFrom('Ana', 'Name 1', 'zed', null)
		});
		fc.assert(
			fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
				const rows = new Map(base.map((r) => [r.id, r]));
				let index = new ClientIndex([...rows.values()]);
				for (const sort of sorts) index.inOrder(sort);
				for (const [n, s] of steps.entries()) {
					const target = [...rows.values()][s.at % Math.max(rows.size, 1)];
					if (s.kind === 'delete' && target) {
						rows.delete(target.id);
						index = index.patched([], [target.id]);
						continue;
					}
					const row: ClientRow =
						s.kind === 'add' || !target
							? client({ tradingviewUsername: `added${n}`, fullName: s.name })
							: s.kind === 'rename'
								? { ...target, fullName: s.name }
								: { ...target, status: target.status === 'active' ? 'inactive' : 'active' };
					rows.set(row.id, row);
					index = index.patched([row], []);
				}
				const fresh = new ClientIndex([...rows.values()]);
				for (const sort of sorts) {
					const ids = (i: ClientIndex) => i.inOrder(sort).map((e) => e.row.id);
					expect(ids(index)).toEqual(ids(fresh));
				}
				expect(index.size).toBe(rows.size);
				expect(index.entries.map((e) => e.row.id).sort()).toEqual([...rows.keys()].sort());
				expect(index.byId.get([...rows.keys()][0] ?? '')?.row).toEqual([...rows.values()][0]);
			})
		);
	});

	it('caches each order', () => {
		const index = new ClientIndex(rows);
		const sort = { key: 'name', dir: 'asc' } as const;
		expect(index.inOrder(sort)).toBe(index.inOrder(sort));
	});
});

describe('ClientQuery', () => {
	const letters = fc.constantFrom('a', 'n', 'o', 'é', 'z', ' ', '.', 'x');
	it('narrowing a search gives the same result as searching from scratch', () => {
		const many = Array.from({ length: 40 }, (_, i) =>
			client({
				tradingviewUsername: `user${i}`,
				fullName:
					['Ana', 'José', 'Zoë', 'Noa', 'Xan'][i % 5] + ` ${['Núñez', 'Oz', 'Azar'][i % 3]}`,
				email: i % 2 ? `n${i}@x.org` : null,
				status: i % 4 ? 'active' : 'inactive'
			})
		);
		fc.assert(
			fc.property(
				fc.array(fc.string({ unit: letters, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
				fc.constantFrom<ClientFilters['status']>('all', 'active', 'inactive'),
				fc.constantFrom<ClientFilters['sort']>(
					{ key: 'name', dir: 'asc' },
					{ key: 'name', dir: 'desc' },
					{ key: 'registered', dir: 'asc' }
				),
				(queries, status, sort) => {
					const index = new ClientIndex(many);
					const query = new ClientQuery();
					for (const q of queries) {
						const filters: ClientFilters = { ...defaultFilters, q, status, sort };
						expect(query.run(index, filters)).toEqual(filterClients(index, filters));
					}
				}
			)
		);
	});

	it('past a large answer, typing on searches all clients again, with the same result', () => {
		// More matches than the query narrows (20,000): each letter is looked up in the index's text.
		const many = Array.from({ length: 24_000 }, (_, i) =>
			client({
				tradingviewUsername: `trader${i}`,
				fullName: `${['Ana', 'Anselmo', 'Noa'][i % 3]} ${i % 7 ? 'Núñez' : 'Oz'}`,
				email: i % 5 ? null : `a${i}@example.org`,
				status: i % 4 ? 'active' : 'inactive'
			})
		);
		const index = new ClientIndex(many);
		const query = new ClientQuery();
		const sort: ClientFilters['sort'] = { key: 'name', dir: 'desc' };
		for (const q of ['a', 'an', 'ans', 'ans nu', 'ans nuñ', 'a', 'tr', 'trader2', 'n oz']) {
			const filters: ClientFilters = { ...defaultFilters, q, sort };
			const expected = filterClients(index, filters);
			expect(query.run(index, filters)).toEqual(expected);
			expect(query.run(index, { ...filters, status: 'inactive' })).toEqual(
				filterClients(index, { ...filters, status: 'inactive' })
			);
		}
		expect(query.run(index, { ...defaultFilters, q: 'a', sort })).toHaveLength(24_000);
		expect(query.run(index, { ...defaultFilters, q: 'ans nu', sort })).toHaveLength(6_857);
	});

	it('typing letter by letter narrows and deleting widens again', () => {
		const index = new ClientIndex(rows);
		const query = new ClientQuery();
		const names = (q: string) =>
			query.run(index, { ...defaultFilters, q }).map((e) => e.row.tradingviewUsername);
		expect(names('a')).toHaveLength(3);
		expect(names('an')).toEqual(['ana.trader', 'zz-top']);
		expect(names('ana')).toEqual(['ana.trader']);
		expect(names('a')).toHaveLength(3);
	});
});

describe('URL filters', () => {
	it('round-trips and leaves defaults out', () => {
		expect(filtersToParams(defaultFilters).toString()).toBe('');
		const filters: ClientFilters = {
			q: 'José N',
			status: 'inactive',
			from: '2025-01-01',
			to: '2025-02-28',
			sort: { key: 'name', dir: 'asc' },
			page: 3
		};
		const params = filtersToParams(filters);
		expect(params.toString()).toBe(
			'q=Jos%C3%A9+N&status=inactive&from=2025-01-01&to=2025-02-28&sort=name&page=3'
		);
		expect(parseFilters(params)).toEqual(filters);
	});

	it('ignores malformed values', () => {
		expect(
			parseFilters(
				new URLSearchParams('status=gone&from=2025-02-30&to=yesterday&sort=-email&page=-2')
			)
		).toEqual(defaultFilters);
		expect(parseFilters(new URLSearchParams('sort=-name')).sort).toEqual({
			key: 'name',
			dir: 'desc'
		});
	});

	it('turns a day range into a half-open interval of instants', () => {
		const { from, to } = registeredBounds('2025-03-01', '2025-03-01');
		expect(from).toBe(new Date(2025, 2, 1).toISOString());
		expect(to).toBe(new Date(2025, 2, 2).toISOString());
		expect(registeredBounds(null, 'bad')).toEqual({ from: null, to: null });
	});
});

describe('pageOf', () => {
	it('slices pages and clamps the page number', () => {
		const items = Array.from({ length: 120 }, (_, i) => i);
		expect(pageOf(items, 1)).toMatchObject({ page: 1, pages: 3, start: 0, end: 50 });
		expect(pageOf(items, 3).items).toEqual(items.slice(100));
		expect(pageOf(items, 9)).toMatchObject({ page: 3, start: 100, end: 120 });
		expect(pageOf([], 2)).toMatchObject({ page: 1, pages: 1, start: 0, end: 0 });
	});
});
