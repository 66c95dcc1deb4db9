import { checkSessionHealth } from '../tradingview/session-health';
import { JobRegistry } from './definition';

// Every scheduled job of the app, one line each (docs/jobs.md): name, UTC cron, and a function of
// (now, db) that must be safe to run twice. The Jobs page names it through `jobs.names.<name>` in
// the dictionaries (it shows the raw name until one is added).
export const appJobs = new JobRegistry([
	{
		name: 'tradingview-session-check',
		schedule: '0 * * * *',
		run: ({ db, now }) => checkSessionHealth(db, now)
	}
]);
