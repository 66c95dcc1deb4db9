import {
	foldText,
	formatSort,
	isDay,
	searchTerms,
	type ClientFilters,
	type ClientIndex,
	type IndexedClient
} from './list';

// Filtering the clients list: the filters' test of one client, and the query runner each keystroke
// goes through (docs/decisions.md, "Clients list").

/** The half-open ISO interval [from, to) of registration times that a day range means. */
export function registeredBounds(
	from: string | null,
	to: string | null
): { from: string | null; to: string | null } {
	const startOf = (day: string, plusDays: number) => {
		const [y, m, d] = day.split('-').map(Number) as [number, number, number];
		return new Date(y, m - 1, d + plusDays).toISOString();
	};
	return {
		from: isDay(from) ? startOf(from, 0) : null,
		to: isDay(to) ? startOf(to, 1) : null
	};
}

type MatchFilters = Pick<ClientFilters, 'status' | 'from' | 'to'>;

function matcher(
	filters: MatchFilters,
	terms: readonly string[]
): (entry: IndexedClient) => boolean {
	const { from, to } = registeredBounds(filters.from, filters.to);
	const status = filters.status;
	return (entry) => {
		const row = entry.row;
		if (status !== 'all' && row.status !== status) return false;
		if (from !== null && row.registeredAt < from) return false;
		if (to !== null && row.registeredAt >= to) return false;
		for (const term of terms) if (!entry.searchKey.includes(term)) return false;
		return true;
	};
}

/** Filters and sorts in one go (no caching): the reference the cached list is tested against. */
export function filterClients(index: ClientIndex, filters: ClientFilters): IndexedClient[] {
	return index.inOrder(filters.sort).filter(matcher(filters, searchTerms(filters.q)));
}

/**
 * Typing on narrows the last answer while it is this small; a larger one is searched again in the
 * index's text, which costs the same whatever it finds (see `SearchText`).
 */
const NARROW_LIMIT = 20_000;

/**
 * The list's query runner: remembers its last answer so that typing more of the same search
 * only filters the previous matches (each new word or letter can only narrow them).
 */
export class ClientQuery {
	private last: {
		index: ClientIndex;
		filters: ClientFilters;
		folded: string;
		result: readonly IndexedClient[];
	} | null = null;

	run(index: ClientIndex, filters: ClientFilters): readonly IndexedClient[] {
		const folded = foldText(filters.q).trim().replace(/\s+/g, ' ');
		const last = this.last;
		const all = index.inOrder(filters.sort);
		let source = all;
		if (
			last &&
			last.index === index &&
			last.filters.status === filters.status &&
			last.filters.from === filters.from &&
			last.filters.to === filters.to &&
			formatSort(last.filters.sort) === formatSort(filters.sort) &&
			folded.startsWith(last.folded)
		) {
			if (folded === last.folded) return last.result;
			if (last.result.length <= NARROW_LIMIT) source = last.result;
		}
		const terms = searchTerms(folded);
		const unfiltered =
			terms.length === 0 && filters.status === 'all' && !filters.from && !filters.to;
		let result: readonly IndexedClient[];
		// Nothing to filter: the cached order itself (no pass over 100,000 rows).
		if (unfiltered) result = source;
		else if (terms.length === 0 || source !== all) result = source.filter(matcher(filters, terms));
		else {
			// The longest word finds the fewest: looked up in the text, the rest checked on its hits
			// (only when there is a rest: each check reads a client's scattered objects).
			const longest = terms.reduce((a, b) => (b.length > a.length ? b : a));
			const others = terms.filter((term) => term !== longest);
			const hits = index.searchText(filters.sort).find(longest);
			const found = hits.map((at) => source[at] as IndexedClient);
			const plain = others.length === 0 && filters.status === 'all' && !filters.from && !filters.to;
			result = plain ? found : found.filter(matcher(filters, others));
		}
		this.last = { index, filters, folded, result };
		return result;
	}
}
