import {
	tradingViewSessionInput,
	tradingViewSignInInput,
	tradingViewTwoFactorInput
} from '$lib/shared/schemas/tradingview';
import { clearSession, cleanCookie, saveSession } from '../../tradingview/connection';
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
		.mutation(({ ctx, input }) => signInWithTwoFactor(ctx.db, input, actorOf(ctx), ctx.meta))
});
