import {
	reconcileFixAllInput,
	reconcileFixInput,
	reconcileReportInput
} from '$lib/shared/schemas/reconcile';
import {
	tradingViewSessionInput,
	tradingViewSignInInput,
	tradingViewTwoFactorInput
} from '$lib/shared/schemas/tradingview';
import { AppError } from '$lib/shared/errors';
import { log } from '../../log';
import { clearSession, cleanCookie, saveSession } from '../../tradingview/connection';
import {
	fixAll,
	fixDrift,
	reconciliationReport,
	sessionClient,
	startReconciliation
} from '../../tradingview/reconcile';
import {
	connectionStatus,
	importMyScripts,
	serverSecretBox,
	signInWithPassword,
	signInWithTwoFactor,
	testConnection
} from '../../tradingview/service';
import { resumeAfterNewSession } from '../../tradingview/sync/queue';
import { actorOf, procedure, router } from '../init';

// Settings → TradingView (admins only, DESIGN.md §7). Cookie values go in, never come out.
export const tradingviewRouter = router({
	status: procedure('admin').query(({ ctx }) => connectionStatus(ctx.db)),

	saveSession: procedure('admin')
		.input(tradingViewSessionInput)
		.mutation(async ({ ctx, input }) => {
			await saveSession(
				ctx.db,
				serverSecretBox(),
				{
					sessionid: cleanCookie(input.sessionid, 'sessionid'),
					sessionidSign: cleanCookie(input.sessionidSign, 'sessionid_sign')
				},
				actorOf(ctx),
				ctx.meta
			);
			await resumeAfterNewSession(ctx.db);
			return connectionStatus(ctx.db);
		}),

	test: procedure('admin').mutation(({ ctx }) => testConnection(ctx.db)),

	importScripts: procedure('admin').mutation(({ ctx }) =>
		importMyScripts(ctx.db, actorOf(ctx), ctx.meta)
	),

	clear: procedure('admin').mutation(async ({ ctx }) => {
		await clearSession(ctx.db, actorOf(ctx), ctx.meta);
		return connectionStatus(ctx.db);
	}),

	signIn: procedure('admin')
		.input(tradingViewSignInInput)
		.mutation(({ ctx, input }) => signInWithPassword(ctx.db, input, actorOf(ctx), ctx.meta)),

	signInTwoFactor: procedure('admin')
		.input(tradingViewTwoFactorInput)
		.mutation(({ ctx, input }) => signInWithTwoFactor(ctx.db, input, actorOf(ctx), ctx.meta)),

	/**
	 * Reconciliation "Run now": starts a run (or finds the one running) and answers at once with its
	 * id; the page polls the report. Without a connection it says so instead of recording a failure.
	 */
	reconcileRun: procedure('admin').mutation(async ({ ctx }) => {
		if (!(await sessionClient(ctx.db))) throw new AppError('TV_NOT_CONNECTED');
		const { runId, started, done } = await startReconciliation(ctx.db, { actor: actorOf(ctx) });
		done.catch((error: unknown) => log.error({ err: error, runId }, 'reconciliation run failed'));
		return { runId, started };
	}),

	reconcileLatest: procedure('admin').query(({ ctx }) => reconciliationReport(ctx.db)),

	reconcileReport: procedure('admin')
		.input(reconcileReportInput)
		.query(({ ctx, input }) => reconciliationReport(ctx.db, input.runId)),

	reconcileFix: procedure('admin')
		.input(reconcileFixInput)
		.mutation(({ ctx, input }) => fixDrift(ctx.db, input.driftId, actorOf(ctx), ctx.meta)),

	reconcileFixAll: procedure('admin')
		.input(reconcileFixAllInput)
		.mutation(({ ctx, input }) => fixAll(ctx.db, input.runId, actorOf(ctx), ctx.meta, input.kind))
});
