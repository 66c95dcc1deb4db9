// The admin Backups page's answers (docs/backups.md).

export type BackupLabel = 'daily' | 'weekly' | 'manual';

export interface BackupView {
	file: string;
	createdAt: Date;
	label: BackupLabel;
	/** The database it was made from. */
	source: 'pglite' | 'postgres';
	/** `snapshot`: PGlite's data folder; `logical`: every table's rows. */
	format: 'snapshot' | 'logical';
	/** Bytes. */
	size: number;
}

export interface BackupList {
	/** The server's backup folder (BACKUP_DIR). */
	dir: string;
	database: 'pglite' | 'postgres';
	backups: BackupView[];
}
