import { z } from 'zod';
import { uuidSchema } from './common';

// TradingView reconciliation on the wire (Settings → TradingView → Reconciliation, admins only).

export const driftKinds = ['missing', 'leak', 'expiry_mismatch', 'unknown_user'] as const;
export type DriftKindName = (typeof driftKinds)[number];

export const reconcileReportInput = z.object({ runId: uuidSchema });
export const reconcileFixInput = z.object({ driftId: uuidSchema });
export const reconcileFixAllInput = z.object({
	runId: uuidSchema,
	kind: z.enum(driftKinds).optional()
});

export interface ReconcileRunView {
	id: string;
	state: 'running' | 'done' | 'failed';
	startedAt: Date;
	finishedAt: Date | null;
	error: string | null;
	/** `system` (the daily job) or a staff user id; `actorName` is that user's name. */
	actor: string;
	actorName: string | null;
	indicatorsScanned: number;
	entriesScanned: number;
	grantsCompared: number;
	calls: number;
	counts: Record<DriftKindName, number>;
}

export interface ReconcileDriftView {
	id: string;
	kind: DriftKindName;
	indicatorId: string;
	indicatorName: string;
	clientId: string | null;
	clientName: string | null;
	accessId: string | null;
	username: string;
	tvExpiration: Date | null;
	crmEndsAt: Date | null;
	fixedAt: Date | null;
	fixedByName: string | null;
	fix: 'resynced' | 'removed' | 'imported' | null;
}

export interface ReconcileReport {
	run: ReconcileRunView | null;
	drifts: ReconcileDriftView[];
}
