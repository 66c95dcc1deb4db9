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
import { slidingWindowLimit } from '../../rate-limit';
import type { Context } from '../context';
import { actorOf, procedure, router } from '../init';

/**
 * Each of these makes TradingView calls on the vendor's account; a stuck button or a script must
 * not turn them into a flood TradingView answers with captchas or a locked account
 * (docs/security.md). Per person, in this process's memory.
 */
export const tradingViewLimits = {
	test: slidingWindowLimit({ max: 10, windowMs: 60_000 }),
	signIn: slidingWindowLimit({ max: 5, windowMs: 15 * 60_000 })
};

function limited(limit: keyof typeof tradingViewLimits, ctx: Context): void {
	const waitMs = tradingViewLimits[limit].take(actorOf(ctx).id ?? '');
	if (waitMs > 0) throw new AppError('TV_RATE_LIMITED', { seconds: Math.ceil(waitMs / 1000) });
}

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

	test: procedure('admin').mutation(({ ctx }) => {
		limited('test', ctx);
		return testConnection(ctx.db);
	}),

	importScripts: procedure('admin').mutation(({ ctx }) =>
		importMyScripts(ctx.db, actorOf(ctx), ctx.meta)
	),

	clear: procedure('admin').mutation(async ({ ctx }) => {
		await clearSession(ctx.db, actorOf(ctx), ctx.meta);
		return connectionStatus(ctx.db);
	}),

	signIn: procedure('admin')
		.input(tradingViewSignInInput)
		.mutation(({ ctx, input }) => {
			limited('signIn', ctx);
			return signInWithPassword(ctx.db, input, actorOf(ctx), ctx.meta);
		}),

	signInTwoFactor: procedure('admin')
		.input(tradingViewTwoFactorInput)
		.mutation(({ ctx, input }) => {
			limited('signIn', ctx);
			return signInWithTwoFactor(ctx.db, input, actorOf(ctx), ctx.meta);
		}),

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
