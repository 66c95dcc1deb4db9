import { router } from './init';
import { authRouter } from './routers/auth';
import { sessionsRouter } from './routers/sessions';
import { usersRouter } from './routers/users';

export const appRouter = router({
	auth: authRouter,
	sessions: sessionsRouter,
	users: usersRouter
});

export type AppRouter = typeof appRouter;
