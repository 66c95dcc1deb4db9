import { createUserInput, idInput, setRoleInput } from '$lib/shared/schemas/user';
import {
	createUser,
	listUsers,
	setUserDisabled,
	setUserRole,
	staffDirectory
} from '../../auth/users';
import { actorOf, procedure, router } from '../init';

export const usersRouter = router({
	list: procedure('admin').query(({ ctx }) => listUsers(ctx.db)),

	/** Names for history lines ("renewed by Ana"); everyone who can view history may read them. */
	directory: procedure('records.view').query(({ ctx }) => staffDirectory(ctx.db)),

	create: procedure('admin')
		.input(createUserInput)
		.mutation(({ ctx, input }) => createUser(ctx.db, input, actorOf(ctx), ctx.meta)),

	setRole: procedure('admin')
		.input(setRoleInput)
		.mutation(({ ctx, input }) =>
			setUserRole(ctx.db, input.id, input.role, actorOf(ctx), ctx.meta)
		),

	disable: procedure('admin')
		.input(idInput)
		.mutation(({ ctx, input }) => setUserDisabled(ctx.db, input.id, true, actorOf(ctx), ctx.meta)),

	enable: procedure('admin')
		.input(idInput)
		.mutation(({ ctx, input }) => setUserDisabled(ctx.db, input.id, false, actorOf(ctx), ctx.meta))
});
