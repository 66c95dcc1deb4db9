import { syncState } from '../sync/sync.svelte';
import type { ComputationAnswer, ComputationRequest } from './live-computation';

/**
 * For a page: a computation worker started with the page and stopped with it, told which device
 * database to read and the latest request. While a many-page pull stores rows (the first sync
 * above all) the worker is told to close: re-reading whole tables after every stored page would
 * compete with the sync for IndexedDB, and the page keeps what it shows. `result` is null until
 * the first answer. Call during component initialisation.
 */
export function useComputation<Request, Result>(
	start: () => Worker,
	input: () => Request
): { readonly result: Result | null; readonly error: string | null } {
	let result = $state.raw<Result | null>(null);
	let error = $state<string | null>(null);
	let worker: Worker | null = null;
	const send = (message: ComputationRequest<Request>) => worker?.postMessage(message);

	$effect(() => {
		const started = start();
		started.onmessage = (event: MessageEvent<ComputationAnswer<Result>>) => {
			const answer = event.data;
			if (answer.kind === 'error') {
				error = answer.message;
				return;
			}
			error = null;
			result = answer.result;
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
		if (db && syncState.state.progress === null) send({ kind: 'open', dbName: db.name });
		else send({ kind: 'close' });
	});
	$effect(() => {
		// A plain copy: a page's $state proxy cannot be posted to a worker. (svelte-check types the
		// snapshot as `Snapshot<Request>`; the typed lint resolves it to `Request`.)
		// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
		const request = $state.snapshot(input()) as Request;
		send({ kind: 'request', request });
	});

	return {
		get result() {
			return result;
		},
		get error() {
			return error;
		}
	};
}
