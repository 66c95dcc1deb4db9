import type { ClientRow } from '$lib/shared/schemas/client';
import { TableMirror } from '../sync/table-mirror.svelte';
import { ClientIndex } from './list';

/**
 * Rows per read transaction while loading: short transactions keep the sync engine unblocked. Not
 * smaller: the list shows once every chunk is in, and at 100,000 clients chunks of 500 put the
 * first rows at 336–367 ms p50 instead of 165 ms (bench:crm, 2026-11-28; a doubling 500 → 4,000
 * was no better, 367 ms), for a gain on a 2,000-client phone that Lighthouse did not show.
 */
const CHUNK = 2_000;

/**
 * Every client of the device in memory, with its search keys (DESIGN: docs/decisions.md, "Clients
 * list"): a table mirror (sync/table-mirror.svelte.ts) whose value is the `ClientIndex`. So
 * returning to the list is instant, and an edit costs a `bulkGet` of one row instead of re-reading
 * 100,000.
 *
 * It is kept while the same device database is open (memory: roughly the size of the clients
 * table) and dropped on logout or when the database is reopened.
 */
class ClientStore extends TableMirror<ClientRow, ClientIndex> {
	constructor() {
		super({
			table: 'clients',
			chunk: CHUNK,
			build: (rows, previous) => new ClientIndex(rows, previous ?? undefined),
			patch: (index, upserts, deletes) => index.patched(upserts, deletes),
			size: (index) => index.size
		});
	}

	/** The clients and their keys, or null until the first full load finishes. */
	get index(): ClientIndex | null {
		return this.value;
	}
}

export const clientStore = new ClientStore();
