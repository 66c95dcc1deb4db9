/** English messages of the bulk pages (a namespace of `en`, kept apart so features edit their own file). */
export const enBulk = {
	/** The button on the Clients list. */
	entry: 'Grant access to these clients',
	title: 'Grant access to many clients',
	intro:
		'Give indicators to every client of a filtered list at once. You see what will be created and what extended before anything changes.',
	filter: {
		all: 'All clients',
		active: 'Active clients',
		inactive: 'Inactive clients',
		matching: '{who} matching “{q}”',
		from: '{who} registered from {from}',
		to: '{who} registered until {to}',
		between: '{who} registered from {from} to {to}',
		count: '{filter}: {count}',
		change: 'Change the filter'
	},
	clients: {
		title: 'Clients',
		selectAll: 'Select all',
		selectNone: 'Select none',
		selected: '{selected} of {count} selected',
		notGrantable: 'Inactive: not grantable',
		loading: 'Loading clients: {loaded} of {total}',
		emptyTitle: 'No client in this list',
		emptyBody: 'No client matches this filter. Change the filter on the Clients page.',
		range: '{start}–{end} of {count}',
		pages: 'Pages of clients',
		previous: 'Previous',
		next: 'Next',
		pageOf: 'Page {page} of {pages}'
	},
	what: 'What to grant',
	preview: {
		title: 'Preview',
		create: 'New grants',
		extend: 'Extended',
		reopen: 'Reopened',
		refused: 'Refused',
		totals: '{create} new, {extend} extended, {reopen} reopened, {refused} refused',
		refusedRetired: '{count} refused: the indicator is retired',
		refusedInactive: '{count} refused: the client is inactive',
		refusedUsernameInvalid: '{count} refused: TradingView does not know the username',
		refusedEndNotLater: '{count} refused: the end date is not later than the current end',
		clients: 'Clients that get a grant: {count}',
		unselected: 'Not selected, left as they are: {count}',
		chooseIndicators: 'Choose at least one indicator to see what will happen.',
		chooseEnd: 'Choose the end date to see what will happen.',
		nothing: 'Nothing to grant: no selected client can receive these indicators.',
		table: 'What happens to each client',
		client: 'Client',
		result: 'What happens',
		pages: 'Pages of the preview'
	},
	confirm: 'Grant to {count} clients',
	confirmOne: 'Grant to 1 client',
	progress: {
		label: 'Applied on this device: {done} of {total}',
		working: 'Granting… Keep this page open until it finishes.',
		leave: 'Grants are still being applied. Stay on this page until they finish.'
	},
	result: {
		title: 'Result',
		applied: 'Granted on this device: {count} clients.',
		failed: 'Could not be applied: {count}. Nothing was changed for them.',
		failedRow: '{name}: {reason}',
		retry: 'Try the failed ones again',
		waiting: 'Waiting to sync: {count}. They are sent to the server automatically.',
		waitingOffline:
			'Waiting to sync: {count}. This device is offline: they are kept here and sent when you are back online.',
		synced: 'All of them reached the server.',
		rejected:
			'Refused by the server: {count}. Open the sync panel from the sync indicator in the header to see why.',
		again: 'Start another bulk grant',
		back: 'Back to clients'
	}
};
