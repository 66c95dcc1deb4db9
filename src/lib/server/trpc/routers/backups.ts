import { AppError } from '$lib/shared/errors';
import type { BackupList, BackupView } from '$lib/shared/schemas/backups';
import { audit } from '../../audit';
import { listBackupFiles, type BackupFile } from '../../backups/files';
import { backupTarget, createBackup, type BackupTarget } from '../../backups/service';
import { now } from '../../clock';
import { actorOf, procedure, router } from '../init';

// The admin Backups page (docs/backups.md): the backups in BACKUP_DIR and "Back up now". Restoring
// needs the server stopped, so it is a command (`npm run restore`), not a button.

function target(): BackupTarget {
	try {
		return backupTarget();
	} catch {
		// Only a process without the runtime (tests calling the router directly) has no target.
		throw new AppError('BACKUPS_UNAVAILABLE');
	}
}

function view(file: BackupFile): BackupView {
	const { file: name, createdAt, label, source, format, size } = file;
	return { file: name, createdAt, label, source, format, size };
}

export const backupsRouter = router({
	list: procedure('admin').query((): BackupList => {
		const { database, dir } = target();
		return { dir, database: database.kind, backups: listBackupFiles(dir).map(view) };
	}),

	create: procedure('admin').mutation(async ({ ctx }) => {
		const outcome = await createBackup(target(), { mode: 'manual', now: now() });
		const created = outcome.created!; // a manual backup is always made
		await audit(ctx.db, {
			actor: actorOf(ctx),
			action: 'backup.create',
			entity: 'backup',
			entityId: created.file,
			after: { file: created.file, size: created.size, removed: outcome.removed },
			meta: ctx.meta
		});
		return view(created);
	})
});
