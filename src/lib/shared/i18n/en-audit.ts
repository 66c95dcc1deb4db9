/** English messages of the audit log page. */
export const enAudit = {
	nav: 'Audit log',
	title: 'Audit log',
	intro:
		'Every critical operation: logins, users and roles, settings and the TradingView connection, grants, renewals, revokes, deletions, reconciliation fixes and job runs.',
	notAllowedTitle: 'Admins only',
	notAllowed: 'Only an admin can read the audit log.',
	offline: 'The audit log is kept on the server: connect to the internet to read it.',
	filters: 'Filters',
	action: 'Action',
	allActions: 'All actions',
	entity: 'Record type',
	actor: 'Who (e-mail contains)',
	from: 'From',
	to: 'To',
	apply: 'Apply filters',
	clear: 'Clear',
	exportCsv: 'Export CSV',
	exported: '{count} entries exported to {file}.',
	exportedTruncated:
		'The first {count} entries were exported to {file}; narrow the filters for the rest.',
	empty: 'No entry matches these filters.',
	older: 'Older entries',
	when: 'When',
	who: 'Who',
	what: 'Action',
	record: 'Record',
	details: 'Before and after',
	before: 'Before',
	after: 'After',
	none: '—'
};
