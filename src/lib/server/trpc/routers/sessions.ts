import { idInput } from '$lib/shared/schemas/user';
import { audit } from '../../audit';
import { listOwnSessions, revokeOwnSession } from '../../auth/sessions';
import { actorOf, procedure, router } from '../init';

export const sessionsRouter = router({
	list: procedure('authenticated').query(({ ctx }) => {
		const actor = actorOf(ctx);
		return listOwnSessions(ctx.db, actor.id ?? '', ctx.session?.id ?? '');
	}),

	revoke: procedure('authenticated')
		.input(idInput)
		.mutation(async ({ ctx, input }) => {
			const actor = actorOf(ctx);
			await revokeOwnSession(ctx.db, actor.id ?? '', input.id);
			await audit(ctx.db, {
				actor,
				action: 'session.revoke',
				entity: 'session',
				entityId: input.id,
				meta: ctx.meta
			});
			if (input.id === ctx.session?.id) ctx.setSessionCookie(null);
			return { ok: true as const };
		})
});
