import { loginInput, setupInput } from '$lib/shared/schemas/user';
import { login, needsSetup, setupFirstAdmin } from '../../auth/service';
import { revokeSessionById } from '../../auth/sessions';
import { audit } from '../../audit';
import { actorOf, procedure, router } from '../init';

export const authRouter = router({
	status: procedure('public').query(async ({ ctx }) => ({ needsSetup: await needsSetup(ctx.db) })),

	me: procedure('public').query(({ ctx }) => ({ user: ctx.session?.user ?? null })),

	setup: procedure('public')
		.input(setupInput)
		.mutation(async ({ ctx, input }) => {
			const result = await setupFirstAdmin(ctx.db, input, ctx.meta);
			ctx.setSessionCookie(result.session.token, result.session.expiresAt);
			return { user: result.user };
		}),

	login: procedure('public')
		.input(loginInput)
		.mutation(async ({ ctx, input }) => {
			const result = await login(ctx.db, input, ctx.meta);
			// The session this browser had until now ends: a login always leaves exactly one new
			// session behind the cookie, never a still-valid earlier one (session fixation).
			if (ctx.session) await revokeSessionById(ctx.db, ctx.session.id);
			ctx.setSessionCookie(result.session.token, result.session.expiresAt);
			return { user: result.user };
		}),

	logout: procedure('authenticated').mutation(async ({ ctx }) => {
		const actor = actorOf(ctx);
		if (ctx.session) {
			await revokeSessionById(ctx.db, ctx.session.id);
			await audit(ctx.db, {
				actor,
				action: 'auth.logout',
				entity: 'session',
				entityId: ctx.session.id,
				meta: ctx.meta
			});
		}
		ctx.setSessionCookie(null);
		return { ok: true as const };
	})
});
