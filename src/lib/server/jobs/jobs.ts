import { systemActor } from '../audit';
import { backupJob } from '../backups/job';
import { NOT_CONNECTED_ERROR, runReconciliation } from '../tradingview/reconcile';
import { purgeSyncHistory } from '../sync/purge';
import { checkSessionHealth } from '../tradingview/session-health';
import { JobRegistry, type JobContext } from './definition';
import { sweepExpired } from './expiry-sweep';
import { sendReminders } from './reminders';

/** The daily reconciliation; a failed pass fails the run (the next tick retries), no connection does not. */
async function reconcile({ db, now }: JobContext) {
	const summary = await runReconciliation(db, { actor: systemActor, now: () => now });
	if (summary.state === 'failed') {
		if (summary.error === NOT_CONNECTED_ERROR) return { notConnected: true };
		throw new Error(summary.error ?? 'TradingView reconciliation failed');
	}
	return { ...summary };
}

// Every scheduled job of the app, one entry each (docs/jobs.md): name, UTC cron, and a function of
// (now, db) that must be safe to run twice. The Jobs page names it through `jobs.names.<name>` in
// the dictionaries (it shows the raw name until one is added).
export const appJobs = new JobRegistry([
	// Every minute: an end is recorded (and its TradingView removal queued) a minute or two late at most.
	{
		name: 'expiry-sweep',
		schedule: '* * * * *',
		run: async ({ db, now }) => ({ ...(await sweepExpired(db, now)) })
	},
	{
		name: 'expiry-reminders',
		schedule: '*/5 * * * *',
		run: async ({ db, now }) => ({ ...(await sendReminders(db, now)) })
	},
	{
		name: 'tradingview-session-check',
		schedule: '0 * * * *',
		run: ({ db, now }) => checkSessionHealth(db, now)
	},
	{ name: 'tradingview-reconcile', schedule: '0 3 * * *', run: reconcile },
	{
		name: 'sync-purge',
		schedule: '0 4 * * *',
		run: async ({ db, now }) => ({ ...(await purgeSyncHistory(db, now)) })
	},
	{ name: 'backup', schedule: '30 2 * * *', run: backupJob }
]);
