import type { AnalyticsRequest, AnalyticsResult } from './analytics';
import { useComputation } from './use-computation.svelte';

/**
 * The analytics report for the page, computed in a Worker from the device database: on a phone the
 * reads of every grant and event and the computation were most of the page's main-thread work.
 * Call during component initialisation.
 */
export function useAnalyticsReport(input: () => AnalyticsRequest) {
	return useComputation<AnalyticsRequest, AnalyticsResult>(
		// Vite bundles the worker from this exact form; nothing renders the URL.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		() => new Worker(new URL('./analytics-worker.ts', import.meta.url), { type: 'module' }),
		input
	);
}
