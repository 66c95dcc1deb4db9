import { untrack } from 'svelte';
import { afterNavigate, goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { navigating, page } from '$app/state';

/** List pages whose filters live in the URL. */
type ListPath = '/clients' | '/accesses' | '/analytics';

const URL_DEBOUNCE_MS = 300;

/**
 * Keeps a list page's filters in its URL (shareable, kept on reload and back): written once typing
 * pauses, and read back when another navigation (back/forward, the nav link) lands on the page with
 * another query. Call during component initialisation.
 */
export function syncFiltersWithUrl<F>(options: {
	path: ListPath;
	filters: () => F;
	setFilters: (filters: F) => void;
	parse: (params: URLSearchParams) => F;
	toParams: (filters: F) => URLSearchParams;
}): void {
	/** The query string this page last wrote, to tell its own URL updates from navigation. */
	let written = untrack(() => options.toParams(options.parse(page.url.searchParams)).toString());

	$effect(() => {
		const search = options.toParams(options.filters()).toString();
		if (search === written) return;
		const timer = setTimeout(() => {
			// A click on a row while typing paused would otherwise be overridden by this replaceState
			// navigation back to the list.
			if (navigating.to) return;
			written = search;
			void goto(resolve(search ? `${options.path}?${search}` : options.path), {
				replaceState: true,
				keepFocus: true,
				noScroll: true
			});
		}, URL_DEBOUNCE_MS);
		return () => clearTimeout(timer);
	});

	// The page's own URL updates (`goto`) are left out: one finishing late must not undo typing.
	afterNavigate(({ type, to }) => {
		if (type === 'goto' || type === 'enter' || !to) return;
		const next = options.parse(to.url.searchParams);
		const search = options.toParams(next).toString();
		if (search === written) return;
		written = search;
		options.setFilters(next);
	});
}
