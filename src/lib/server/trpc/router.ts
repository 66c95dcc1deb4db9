import { router } from './init';
import { accessesRouter } from './routers/accesses';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { backupsRouter } from './routers/backups';
import { clientsRouter } from './routers/clients';
import { jobsRouter } from './routers/jobs';
import { reportsRouter } from './routers/reports';
import { sessionsRouter } from './routers/sessions';
import { syncRouter } from './routers/sync';
import { tradingviewRouter } from './routers/tradingview';
import { usersRouter } from './routers/users';

export const appRouter = router({
	accesses: accessesRouter,
	audit: auditRouter,
	auth: authRouter,
	backups: backupsRouter,
	clients: clientsRouter,
	jobs: jobsRouter,
	reports: reportsRouter,
	sessions: sessionsRouter,
	sync: syncRouter,
	tradingview: tradingviewRouter,
	users: usersRouter
});

export type AppRouter = typeof appRouter;
