import type { DashboardRequest, DashboardResult } from './dashboard';
import { useComputation } from './use-computation.svelte';

/**
 * The dashboard's figures and expiring grants, computed in a Worker from the device database: on a
 * phone, reading every grant, payment and client on the page was most of its main-thread work.
 * Call during component initialisation.
 */
export function useDashboard(input: () => DashboardRequest) {
	return useComputation<DashboardRequest, DashboardResult>(
		// Vite bundles the worker from this exact form; nothing renders the URL.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		() => new Worker(new URL('./dashboard-worker.ts', import.meta.url), { type: 'module' }),
		input
	);
}
