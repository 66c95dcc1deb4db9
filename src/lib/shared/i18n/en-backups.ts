/** English messages of the admin Backups page (docs/backups.md) and its card in Settings. */
export const enBackups = {
	title: 'Backups',
	intro:
		'PineGate backs up its database every day at 02:30 UTC into a folder on the server. Back up now makes one at once.',
	back: 'Back to Settings',
	notAllowedTitle: 'For administrators',
	notAllowed: 'Only administrators can see and make backups.',
	offline:
		'You are offline. Backups are kept on the server: the list loads once you are back online, and Back up now needs a connection too.',
	card: {
		title: 'Backups',
		text: 'A backup of the whole database every day, kept for a week; one a week kept for a month.',
		open: 'Open Backups'
	},
	backUpNow: 'Back up now',
	backingUp: 'Backing up…',
	created: 'Backup made: {file} ({size}).',
	listTitle: 'Backups on the server',
	folder: 'Folder on the server: {dir}',
	empty: 'No backups yet. One is made every day at 02:30 UTC, or press Back up now.',
	columns: {
		when: 'Made',
		type: 'Type',
		database: 'Database',
		size: 'Size',
		file: 'File'
	},
	label: {
		daily: 'Daily',
		weekly: 'Weekly',
		manual: 'Manual'
	},
	source: {
		pglite: 'Embedded (data folder snapshot)',
		postgres: 'PostgreSQL (logical dump)'
	},
	retention:
		'Kept: the 7 newest daily backups, the 4 newest weekly ones (the first of each week) and the 10 newest manual ones; older ones are deleted after each backup.',
	restoreTitle: 'Restoring a backup',
	restoreIntro:
		'Restoring replaces every record with the backup’s. It is done on the server, with PineGate stopped:',
	restoreStop: 'Stop the PineGate server (every instance, with PostgreSQL).',
	restoreRun: 'In the PineGate folder on the server, run:',
	restoreStart:
		'Start the server again. Each device downloads everything again at its next sync; changes it had not sent yet are kept and sent.',
	restorePglite:
		'With the embedded database, the folder being replaced is kept next to it as pglite.before-restore-<time>.',
	security:
		'Backups hold password hashes and the encrypted TradingView session. Keep the folder private and copy it somewhere safe; keep SECRET_KEY (or secret.key in the data folder) with them, or the TradingView session has to be connected again after a restore on another machine.',
	size: {
		bytes: '{n} B',
		kb: '{n} KB',
		mb: '{n} MB',
		gb: '{n} GB'
	}
};
