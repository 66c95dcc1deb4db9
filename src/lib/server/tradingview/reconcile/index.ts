// TradingView reconciliation (issue 6, docs/tradingview-sync.md "Reconciliation"): find where
// TradingView and the grants differ, and fix it, each fix audited.
export { runReconciliation, startReconciliation, NOT_CONNECTED_ERROR, SESSION_ERROR } from './run';
export { fixDrift, fixAll, type FixResult, type FixAllResult } from './fix';
export { IMPORT_NOTE } from './fix-import';
export type { FixOptions } from './fix-context';
export { compareIndicator, type DriftFound, type GrantRow } from './compare';
export { reconciliationReport } from './report';
export { finishedSummary, STALE_RUN_MS } from './runs';
export { sessionClient } from './session';
export type { DriftKind, ReconciliationOptions, ReconciliationSummary } from './types';
