import type { ClientRow } from '$lib/shared/schemas/client';
import { SearchText } from './search-text';

// The clients list, as pure functions over rows in memory: URL filters, accent-insensitive search
// keys, filter and sort. The page reads every client once per data change (one Dexie read) and runs
// each keystroke here; see docs/decisions.md, "Clients list".

export const statusFilters = ['active', 'inactive', 'all'] as const;
export type StatusFilter = (typeof statusFilters)[number];

export const sortKeys = ['name', 'username', 'status', 'registered'] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';

export interface SortSpec {
	key: SortKey;
	dir: SortDir;
}

export interface ClientFilters {
	/** Free text as typed; matched by `searchTerms`. */
	q: string;
	status: StatusFilter;
	/** Registered on or after this day (YYYY-MM-DD, the user's timezone), or null. */
	from: string | null;
	/** Registered on or before this day (inclusive), or null. */
	to: string | null;
	sort: SortSpec;
	/** 1-based page of PAGE_SIZE rows. */
	page: number;
}

export const PAGE_SIZE = 50;

/** Newest first: what was just added or imported is on top. */
export const defaultSort: SortSpec = { key: 'registered', dir: 'desc' };

export const defaultFilters: ClientFilters = {
	q: '',
	status: 'all',
	from: null,
	to: null,
	sort: defaultSort,
	page: 1
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(value: string | null): value is string {
	if (!value || !DAY.test(value)) return false;
	const [y, m, d] = value.split('-').map(Number) as [number, number, number];
	const date = new Date(y, m - 1, d);
	return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
}

/** `name`, `-registered`, … → a sort; anything else → the default. */
export function parseSort(value: string | null): SortSpec {
	if (!value) return defaultSort;
	const dir: SortDir = value.startsWith('-') ? 'desc' : 'asc';
	const key = value.replace(/^[-+]/, '');
	return (sortKeys as readonly string[]).includes(key) ? { key: key as SortKey, dir } : defaultSort;
}

export function formatSort(sort: SortSpec): string {
	return `${sort.dir === 'desc' ? '-' : ''}${sort.key}`;
}

/** Reads `?q=&status=&from=&to=&sort=&page=`; unknown or malformed values fall back to defaults. */
export function parseFilters(params: URLSearchParams): ClientFilters {
	const status = params.get('status');
	const from = params.get('from');
	const to = params.get('to');
	const page = Number.parseInt(params.get('page') ?? '', 10);
	return {
		q: params.get('q') ?? '',
		status: (statusFilters as readonly (string | null)[]).includes(status)
			? (status as StatusFilter)
			: defaultFilters.status,
		from: isDay(from) ? from : null,
		to: isDay(to) ? to : null,
		sort: parseSort(params.get('sort')),
		page: Number.isFinite(page) && page >= 1 ? page : 1
	};
}

/** The query string for filters, leaving out defaults (so a plain list is a plain `/clients`). */
export function filtersToParams(filters: ClientFilters): URLSearchParams {
	const params = new URLSearchParams();
	if (filters.q.trim() !== '') params.set('q', filters.q);
	if (filters.status !== defaultFilters.status) params.set('status', filters.status);
	if (filters.from) params.set('from', filters.from);
	if (filters.to) params.set('to', filters.to);
	const sort = formatSort(filters.sort);
	if (sort !== formatSort(defaultSort)) params.set('sort', sort);
	if (filters.page > 1) params.set('page', String(filters.page));
	return params;
}

/**
 * Text folded for matching and ordering: Unicode NFD, combining marks removed, lower case. "José
 * Núñez" → "jose nunez"; so "jose" finds "José" and "NUNEZ" finds "Núñez".
 */
export function foldText(value: string): string {
	return value
		.normalize('NFD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase();
}

/** The words of a search; a client matches when each word appears in its name, email or username. */
export function searchTerms(query: string): string[] {
	return foldText(query)
		.split(/\s+/)
		.filter((term) => term !== '');
}

/** One client with its precomputed keys. */
export interface IndexedClient {
	row: ClientRow;
	/** Folded "full name \n email \n username" (`\n` keeps a word from spanning two fields). */
	searchKey: string;
	/** Folded display name: the full name, else the username. */
	nameKey: string;
	usernameKey: string;
}

function indexRow(row: ClientRow): IndexedClient {
	const name = row.fullName ?? '';
	const email = row.email ?? '';
	return {
		row,
		searchKey: foldText(`${name}\n${email}\n${row.tradingviewUsername}`),
		nameKey: foldText(name || row.tradingviewUsername),
		usernameKey: foldText(row.tradingviewUsername)
	};
}

function sameKeys(a: ClientRow, b: ClientRow): boolean {
	return (
		a.fullName === b.fullName &&
		a.email === b.email &&
		a.tradingviewUsername === b.tradingviewUsername
	);
}

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

const comparators: Record<SortKey, (a: IndexedClient, b: IndexedClient) => number> = {
	name: (a, b) =>
		compareText(a.nameKey, b.nameKey) ||
		compareText(a.usernameKey, b.usernameKey) ||
		compareText(a.row.id, b.row.id),
	username: (a, b) => compareText(a.usernameKey, b.usernameKey) || compareText(a.row.id, b.row.id),
	status: (a, b) => compareText(a.row.status, b.row.status) || comparators.name(a, b),
	registered: (a, b) =>
		compareText(a.row.registeredAt, b.row.registeredAt) || compareText(a.row.id, b.row.id)
};

/** Above this many changed rows, a patch re-sorts from scratch instead of inserting one by one. */
const PATCH_SORTED_LIMIT = 500;

function comparatorFor(sort: SortSpec): (a: IndexedClient, b: IndexedClient) => number {
	const compare = comparators[sort.key];
	return sort.dir === 'asc' ? compare : (a, b) => compare(b, a);
}

/** The first position in a sorted list where `entry` belongs. */
function lowerBound(
	list: readonly IndexedClient[],
	entry: IndexedClient,
	compare: (a: IndexedClient, b: IndexedClient) => number
): number {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (compare(list[mid] as IndexedClient, entry) < 0) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Every client with its search and sort keys, built once per data change (not per keystroke).
 * Keys of rows whose searchable fields did not change are reused from the previous index, so an
 * edit elsewhere costs one pass over the rows, not 100,000 Unicode normalisations. Sorted orders
 * are computed on first use and kept; `patched` carries them over a small change.
 */
export class ClientIndex {
	readonly byId: ReadonlyMap<string, IndexedClient>;
	private readonly sorted = new Map<string, readonly IndexedClient[]>();
	private readonly texts = new Map<string, SearchText>();

	constructor(rows: readonly ClientRow[] | Map<string, IndexedClient>, previous?: ClientIndex) {
		if (rows instanceof Map) {
			this.byId = rows;
			return;
		}
		const byId = new Map<string, IndexedClient>();
		for (const row of rows) {
			const old = previous?.byId.get(row.id);
			byId.set(row.id, old && sameKeys(old.row, row) ? { ...old, row } : indexRow(row));
		}
		this.byId = byId;
	}

	get size(): number {
		return this.byId.size;
	}

	private list: readonly IndexedClient[] | null = null;

	/** Every client, in no particular order (listed on first use). */
	get entries(): readonly IndexedClient[] {
		return (this.list ??= [...this.byId.values()]);
	}

	/** All clients in this order (cached per sort). */
	inOrder(sort: SortSpec): readonly IndexedClient[] {
		const key = formatSort(sort);
		let list = this.sorted.get(key);
		if (!list) {
			const ascending = this.sorted.get(sort.key);
			if (sort.dir === 'desc' && ascending) list = [...ascending].reverse();
			else list = [...this.entries].sort(comparatorFor(sort));
			this.sorted.set(key, list);
		}
		return list;
	}

	/** The search keys of `inOrder(sort)` as one text (made on first use, cached per sort). */
	searchText(sort: SortSpec): SearchText {
		const key = formatSort(sort);
		let text = this.texts.get(key);
		if (!text) {
			text = new SearchText(this.inOrder(sort).map((entry) => entry.searchKey));
			this.texts.set(key, text);
		}
		return text;
	}

	/**
	 * A new index with these rows added or replaced and these ids removed. Unchanged rows keep
	 * their keys, and cached orders are patched (binary search) rather than re-sorted.
	 *
	 * It takes this index's map over instead of copying it, so this index must not be read after:
	 * the store keeps only the newest. A copy of 100,000 entries per edit, and the same filtered out
	 * of each cached order, cost 70–120 ms of main thread on a loaded 2-core machine (Node, the same
	 * V8), twice per edit (the optimistic write, then the pull), and the next edit waited for it.
	 */
	patched(upserts: readonly ClientRow[], deletes: readonly string[]): ClientIndex {
		const byId = this.byId as Map<string, IndexedClient>;
		const removed: IndexedClient[] = [];
		const fresh: IndexedClient[] = [];
		for (const id of deletes) {
			const old = byId.get(id);
			if (old) removed.push(old);
			byId.delete(id);
		}
		for (const row of upserts) {
			const old = byId.get(row.id);
			if (old) removed.push(old);
			const entry = old && sameKeys(old.row, row) ? { ...old, row } : indexRow(row);
			byId.set(row.id, entry);
			fresh.push(entry);
		}
		const next = new ClientIndex(byId);
		if (removed.length + fresh.length <= PATCH_SORTED_LIMIT) {
			for (const [key, list] of this.sorted) {
				const compare = comparatorFor(parseSort(key));
				// A new array, as a page's derived order must see a new value; then edits in place. An
				// old entry is found by binary search: entries are never changed, so it sorts as before.
				const kept = list.slice();
				for (const old of removed) {
					const found = lowerBound(kept, old, compare);
					const at = kept[found] === old ? found : kept.indexOf(old);
					if (at >= 0) kept.splice(at, 1);
				}
				for (const entry of fresh) kept.splice(lowerBound(kept, entry, compare), 0, entry);
				next.sorted.set(key, kept);
			}
		}
		return next;
	}
}

/** The rows of one page, and the page actually shown (clamped to the last one). */
export function pageOf<T>(
	items: readonly T[],
	page: number,
	size: number = PAGE_SIZE
): { items: readonly T[]; page: number; pages: number; start: number; end: number } {
	const pages = Math.max(1, Math.ceil(items.length / size));
	const current = Math.min(Math.max(1, Math.floor(page)), pages);
	const start = (current - 1) * size;
	const end = Math.min(items.length, start + size);
	return { items: items.slice(start, end), page: current, pages, start, end };
}
