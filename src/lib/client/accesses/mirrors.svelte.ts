import type { AccessRow } from '$lib/shared/schemas/access';
import { clientStore } from '../clients/store.svelte';
import { rowSetKind, type RowSet } from '../sync/row-set';
import { syncState } from '../sync/sync.svelte';
import { TableMirror } from '../sync/table-mirror.svelte';

/**
 * Every grant of the device in memory while the Accesses page shows them, patched row by row as
 * they change instead of read whole again (sync/table-mirror.svelte.ts). The page detaches it
 * when it is left: at 300,000 grants it is the largest table a page keeps. (The dashboard's
 * figures are computed in a Worker instead: device-workers/dashboard.ts.)
 */
export const accessMirror = new TableMirror<AccessRow, RowSet<AccessRow>>(
	rowSetKind<AccessRow>('accesses')
);

/**
 * For a page that shows every grant (the Accesses page): holds `mirrors` and the
 * clients store while no many-page pull is storing rows, and reports that pull. During the first
 * sync above all, patching every grant the page holds after each stored page would compete with
 * the sync for IndexedDB and the main thread; the page waits instead, and reads once it is done.
 * Call during component initialisation.
 */
export function useMirrorsWhenSettled(
	...mirrors: ReadonlyArray<Pick<TableMirror<never, unknown>, 'hold'>>
): {
	readonly pulling: boolean;
} {
	const pulling = $derived(syncState.state.progress !== null);
	$effect(() => {
		if (!pulling) clientStore.attach(syncState.db);
	});
	$effect(() => {
		const db = syncState.db;
		if (pulling || !db) return;
		const releases = mirrors.map((mirror) => mirror.hold(db));
		return () => releases.forEach((release) => release());
	});
	return {
		get pulling() {
			return pulling;
		}
	};
}
