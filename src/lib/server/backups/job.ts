import type { JobContext, JobSummary } from '../jobs/definition';
import { backupTarget, createBackup } from './service';

/**
 * The `backup` job (docs/backups.md): on its schedule it makes the day's backup (weekly for the first
 * of an ISO week, else daily) unless that day has one; "Run now" on the Jobs page makes a manual one.
 */
export async function backupJob({ now, trigger }: JobContext): Promise<JobSummary> {
	const outcome = await createBackup(backupTarget(), {
		mode: trigger === 'schedule' ? 'scheduled' : 'manual',
		now
	});
	if (!outcome.created) return { skipped: 'this day has its backup' };
	const { file, size, label } = outcome.created;
	return { file, label, size, removed: outcome.removed.length };
}
