import type { AnalyticsReport } from '$lib/shared/analytics';
import type { RangeChoice } from '$lib/shared/analytics-range';
import { syncState } from '../sync/sync.svelte';
import type { ReportAnswer, ReportRequest } from './report-server';

/**
 * The analytics report for the page, computed in a Worker from the device database: on a phone
 * the reads of every grant and event and the computation were most of the page's main-thread
 * work. `report` is null until the first answer; it then follows the range, the clock and every
 * change to the rows. Call during component initialisation.
 */
export function useAnalyticsReport(input: () => { choice: RangeChoice; nowMs: number }): {
	readonly report: AnalyticsReport | null;
	readonly empty: boolean;
	readonly error: string | null;
} {
	let report = $state.raw<AnalyticsReport | null>(null);
	let empty = $state(false);
	let error = $state<string | null>(null);
	let worker: Worker | null = null;
	const send = (message: ReportRequest) => worker?.postMessage(message);

	$effect(() => {
		// Vite bundles the worker from this exact form; nothing renders the URL.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const started = new Worker(new URL('./report-worker.ts', import.meta.url), {
			type: 'module'
		});
		started.onmessage = (event: MessageEvent<ReportAnswer>) => {
			const answer = event.data;
			if (answer.kind === 'error') {
				error = answer.message;
				return;
			}
			error = null;
			report = answer.report;
			empty = answer.empty;
		};
		// The worker's script could not be loaded or threw outside a request: say so, not spin.
		started.onerror = (event: ErrorEvent) => {
			error = event.message || 'the worker did not start';
		};
		worker = started;
		return () => {
			started.terminate();
			if (worker === started) worker = null;
		};
	});
	$effect(() => {
		const db = syncState.db;
		if (db) send({ kind: 'open', dbName: db.name });
	});
	$effect(() => {
		const { choice, nowMs } = input();
		send({ kind: 'report', choice: $state.snapshot(choice), nowMs });
	});

	return {
		get report() {
			return report;
		},
		get empty() {
			return empty;
		},
		get error() {
			return error;
		}
	};
}
