import { describe, expect, it } from 'vitest';
import {
	activeUsersByIndicator,
	filterAndSort,
	listQuery,
	parseListParams,
	toggleSort,
	versionsNewestFirst,
	type ListParams
} from './list';

type Row = {
	id: string;
	name: string;
	status: 'development' | 'production' | 'retired';
	deletedAt: string | null;
};

const rows: Row[] = [
	{ id: '01', name: 'trend pulse', status: 'retired', deletedAt: null },
	{ id: '02', name: 'Alpha Bands', status: 'development', deletedAt: null },
	{ id: '03', name: 'Zeta Oscillator', status: 'production', deletedAt: null },
	{ id: '04', name: 'Éclair Volume', status: 'production', deletedAt: null },
	{ id: '05', name: 'Gone', status: 'production', deletedAt: '2025-01-01T00:00:00.000Z' },
	{ id: '06', name: 'RSI 10', status: 'development', deletedAt: null },
	{ id: '07', name: 'RSI 9', status: 'development', deletedAt: null }
];

const names = (list: Row[]) => list.map((row) => row.name);
const params = (overrides: Partial<ListParams>): ListParams => ({
	status: 'all',
	sort: 'name',
	dir: 'asc',
	...overrides
});

describe('filterAndSort', () => {
	it('sorts by name alphabetically, ignoring case and accents, numbers by value; drops tombstones', () => {
		expect(names(filterAndSort(rows, params({}), 'en'))).toEqual([
			'Alpha Bands',
			'Éclair Volume',
			'RSI 9',
			'RSI 10',
			'trend pulse',
			'Zeta Oscillator'
		]);
		expect(names(filterAndSort(rows, params({ dir: 'desc' }), 'en'))[0]).toBe('Zeta Oscillator');
	});

	it('sorts by status (production, development, retired), then by name', () => {
		expect(names(filterAndSort(rows, params({ sort: 'status' }), 'es'))).toEqual([
			'Éclair Volume',
			'Zeta Oscillator',
			'Alpha Bands',
			'RSI 9',
			'RSI 10',
			'trend pulse'
		]);
		// Descending flips the statuses; names stay A to Z within a status.
		expect(names(filterAndSort(rows, params({ sort: 'status', dir: 'desc' }), 'en'))).toEqual([
			'trend pulse',
			'Alpha Bands',
			'RSI 9',
			'RSI 10',
			'Éclair Volume',
			'Zeta Oscillator'
		]);
	});

	it('filters by status', () => {
		expect(names(filterAndSort(rows, params({ status: 'retired' }), 'en'))).toEqual([
			'trend pulse'
		]);
		expect(names(filterAndSort(rows, params({ status: 'production' }), 'en'))).toEqual([
			'Éclair Volume',
			'Zeta Oscillator'
		]);
	});

	it('does not touch its input', () => {
		const copy = structuredClone(rows);
		filterAndSort(rows, params({ sort: 'status', dir: 'desc' }), 'en');
		expect(rows).toEqual(copy);
	});
});

describe('list params in the URL', () => {
	it('reads known values and falls back to the defaults', () => {
		expect(parseListParams(new URLSearchParams('status=retired&sort=status&dir=desc'))).toEqual({
			status: 'retired',
			sort: 'status',
			dir: 'desc'
		});
		expect(parseListParams(new URLSearchParams('status=deleted&sort=pubId&dir=up'))).toEqual({
			status: 'all',
			sort: 'name',
			dir: 'asc'
		});
	});

	it('writes only what differs from the defaults, and reads back the same', () => {
		expect(listQuery(params({}))).toBe('');
		const state = params({ status: 'production', sort: 'status' });
		expect(listQuery(state)).toBe('status=production&sort=status');
		expect(parseListParams(new URLSearchParams(listQuery(state)))).toEqual(state);
	});

	it('a header click flips the same column and starts another ascending', () => {
		expect(toggleSort(params({}), 'name')).toMatchObject({ sort: 'name', dir: 'desc' });
		expect(toggleSort(params({ dir: 'desc' }), 'status')).toMatchObject({
			sort: 'status',
			dir: 'asc'
		});
	});
});

describe('versionsNewestFirst', () => {
	it('orders by release time, newest first, and by id within the same instant', () => {
		const versions = [
			{ id: 'a', releasedAt: '2025-01-01T00:00:00.000Z', v: '1.0' },
			{ id: 'c', releasedAt: '2025-03-01T00:00:00.000Z', v: '1.2' },
			{ id: 'b', releasedAt: '2025-03-01T00:00:00.000Z', v: '1.1' }
		];
		expect(versionsNewestFirst(versions).map((v) => v.v)).toEqual(['1.2', '1.1', '1.0']);
		expect(versions.map((v) => v.v)).toEqual(['1.0', '1.2', '1.1']);
	});
});

describe('activeUsersByIndicator', () => {
	it('counts open grants (active or expiring) per indicator', () => {
		const now = new Date('2025-06-01T00:00:00.000Z');
		const grant = (
			indicatorId: string,
			endsAt: string | null,
			revokedAt: string | null = null
		) => ({
			indicatorId,
			endsAt,
			revokedAt,
			deletedAt: null
		});
		const counts = activeUsersByIndicator(
			[
				grant('a', '2025-07-01T00:00:00.000Z'),
				grant('a', '2025-06-03T00:00:00.000Z'), // expiring: still open
				grant('a', null), // lifetime
				grant('a', '2025-05-01T00:00:00.000Z'), // expired
				grant('a', '2025-07-01T00:00:00.000Z', '2025-05-20T00:00:00.000Z'), // revoked
				grant('b', '2025-05-31T23:59:59.000Z')
			],
			now
		);
		expect(counts.get('a')).toBe(3);
		expect(counts.get('b') ?? 0).toBe(0);
		expect(counts.get('c') ?? 0).toBe(0);
	});
});
