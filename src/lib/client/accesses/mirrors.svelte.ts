import type { AccessRow } from '$lib/shared/schemas/access';
import type { TransactionRow } from '$lib/shared/schemas/transaction';
import { rowSetKind, type RowSet } from '../sync/row-set';
import { TableMirror } from '../sync/table-mirror.svelte';

/**
 * Every grant and every payment of the device in memory while the dashboard shows them, patched
 * row by row as they change instead of read whole again (sync/table-mirror.svelte.ts). The page
 * detaches them when it is left: at 300,000 grants and as many payments they are the largest
 * tables, and no other page keeps them.
 */
export const accessMirror = new TableMirror<AccessRow, RowSet<AccessRow>>(
	rowSetKind<AccessRow>('accesses')
);
export const transactionMirror = new TableMirror<TransactionRow, RowSet<TransactionRow>>(
	rowSetKind<TransactionRow>('transactions')
);
