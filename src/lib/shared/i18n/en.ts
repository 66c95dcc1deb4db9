import type { ErrorCode } from '../errors';
import { enAnalytics } from './en-analytics';
import { enAudit } from './en-audit';
import { enBackups } from './en-backups';
import { enBulk } from './en-bulk';
import { enCalendar } from './en-calendar';
import { enGrants } from './en-grants';
import { enJobs } from './en-jobs';
import { enDashboard } from './en-dashboard';
import { enNotifications } from './en-notifications';
import { enReconcile } from './en-reconcile';
import { enTradingview } from './en-tradingview';

/**
 * English messages: the reference dictionary. Every other language is typed as `Messages`, so a
 * missing or extra key fails the type-check. `{name}` placeholders are filled by `translate()`.
 * Names marked "stable" are relied on by users and tests (DESIGN.md §8): change them with care.
 */
export const en = {
	app: {
		name: 'PineGate',
		tagline: 'Clients, indicators and TradingView access in one place',
		skipToContent: 'Skip to content'
	},
	nav: {
		label: 'Main',
		// stable
		dashboard: 'Dashboard',
		clients: 'Clients',
		indicators: 'Indicators',
		accesses: 'Accesses',
		calendar: 'Calendar',
		analytics: 'Analytics',
		settings: 'Settings',
		users: 'Users'
	},
	header: {
		language: 'Language',
		// stable
		logOut: 'Log out',
		loggingOut: 'Logging out…',
		account: 'Signed in as {name} ({role})',
		offline: 'Offline',
		offlineHint:
			'You are offline. PineGate shows what this device already has; actions that need the server will work again once you are back online.'
	},
	languages: {
		en: 'English',
		es: 'Español'
	},
	roles: {
		admin: 'Admin',
		seller: 'Seller',
		support: 'Support'
	},
	common: {
		// stable
		save: 'Save',
		saving: 'Saving…',
		cancel: 'Cancel',
		loading: 'Loading…',
		retry: 'Try again',
		dismiss: 'Dismiss'
	},
	auth: {
		// stable
		name: 'Name',
		email: 'Email',
		password: 'Password',
		logIn: 'Log in',
		confirmPassword: 'Confirm password',
		passwordHint:
			'At least 10 characters. A few unrelated words make a strong, memorable password.',
		loginTitle: 'Log in',
		loginIntro: 'Sign in with the email and password your administrator gave you.',
		loggingIn: 'Logging in…',
		setupTitle: 'Set up PineGate',
		setupIntro:
			'Welcome! Create the first administrator account. You can invite your team from Users afterwards.',
		setupSubmit: 'Create account',
		settingUp: 'Creating account…',
		offlineNotice: 'You are offline. Logging in needs a connection to the server.'
	},
	pages: {
		dashboard: {
			title: 'Dashboard',
			welcome: 'Welcome, {name}',
			emptyTitle: 'Nothing to show yet',
			emptyBody:
				'Your overview will appear here: accesses expiring soon, recent renewals and sales. Start by adding your indicators, then your clients.'
		},
		clients: {
			title: 'Clients',
			emptyTitle: 'No clients yet',
			emptyBody:
				'Your clients will be listed here with their TradingView username, contact details and the accesses they hold.',
			emptyBodyEdit: 'Add your first client or import a CSV.',
			emptyBodyView: 'Your team will add clients here; you will see them as soon as they do.'
		},
		indicators: {
			title: 'Indicators',
			emptyTitle: 'No indicators yet',
			emptyBody:
				'Your invite-only TradingView indicators will be listed here with their PUB ID, version and status.',
			emptyBodyEdit:
				'Add your first indicator: choose New indicator and paste its PUB ID from TradingView.',
			emptyBodyView: 'An administrator adds the indicators; they will show here once added.'
		},
		accesses: {
			title: 'Accesses',
			emptyTitle: 'No accesses yet',
			emptyBody:
				'Every access you grant on TradingView will be listed here, with its start, its expiry and whether TradingView confirmed it.',
			emptyBodyNext: 'Add an indicator and a client first; then you can grant access from here.'
		},
		calendar: {
			title: 'Calendar',
			emptyTitle: 'Nothing scheduled',
			emptyBody:
				'Upcoming expiries and renewals will appear here by day, so you can contact clients before their access ends.',
			emptyBodyNext: 'Accesses you grant will fill this calendar automatically.'
		},
		analytics: {
			title: 'Analytics',
			emptyTitle: 'No data to analyse yet',
			emptyBody:
				'Charts of active accesses, renewal rate and revenue per indicator will appear here once you have clients and accesses.',
			emptyBodyNext: 'Grant a few accesses first; the numbers build up from there.'
		},
		settings: {
			title: 'Settings',
			account: 'Your account'
		}
	},
	sessions: {
		title: 'Your sessions',
		intro:
			'Devices where you are signed in. Revoke any you do not recognise; revoking this device logs you out.',
		device: 'Device',
		ip: 'IP address',
		created: 'Signed in',
		lastSeen: 'Last seen',
		thisDevice: 'This device',
		revoke: 'Revoke',
		revokeLabel: 'Revoke session on {device}',
		revoked: 'Session revoked.',
		unknownDevice: 'Unknown device',
		unknownIp: 'Unknown',
		deviceOn: '{browser} on {os}',
		empty: 'No active sessions.'
	},
	users: {
		title: 'Users',
		intro:
			'Staff accounts. Admins manage everything; sellers handle clients and accesses; support renews accesses.',
		// stable
		newUser: 'New user',
		formTitle: 'New user',
		roleHint: 'What this person may do; you can change it later.',
		columnName: 'Name',
		columnEmail: 'Email',
		columnRole: 'Role',
		columnStatus: 'Status',
		role: 'Role',
		roleFor: 'Permissions for {name}',
		active: 'Active',
		disabled: 'Disabled',
		disable: 'Disable',
		enable: 'Enable',
		you: 'You',
		created: '{name} can now log in with {email}.',
		roleChanged: '{name} is now {role}.',
		disabledDone: '{name} is disabled and signed out everywhere.',
		enabledDone: '{name} can log in again.',
		empty: 'No users yet.',
		notAllowedTitle: 'Not allowed',
		notAllowed:
			'Only administrators can manage users. Ask an administrator if you need an account changed.'
	},
	indicators: {
		// stable
		newIndicator: 'New indicator',
		changesTitle: 'Changes to the details',
		name: 'Name',
		pubId: 'PUB ID',
		version: 'Version',
		status: 'Status',
		description: 'Description',
		intro:
			'Your invite-only TradingView indicators: their PUB ID, current version, status and how many clients use them.',
		statuses: {
			development: 'Development',
			production: 'Production',
			retired: 'Retired'
		},
		pubIdStates: {
			unverified: 'Unverified',
			valid: 'Verified',
			invalid: 'Not found on TradingView'
		},
		pubIdStateLabel: 'PUB ID check: {state}',
		pubIdStateHint:
			'PineGate checks PUB IDs against TradingView once the TradingView connection is set up.',
		lastUpdated: 'Last updated',
		activeUsers: 'Active users',
		none: '—',
		list: {
			filterStatus: 'Filter by status',
			allStatuses: 'All statuses',
			sortBy: 'Sort by',
			sortNameAsc: 'Name (A to Z)',
			sortNameDesc: 'Name (Z to A)',
			sortStatus: 'Status (in use first)',
			sortStatusDesc: 'Status (retired first)',
			sortByColumn: 'Sort by {column}',
			count: '{shown} of {total} indicators',
			noMatchTitle: 'No indicators match this filter',
			noMatchBody: 'Choose another status, or show every indicator.',
			showAll: 'Show all'
		},
		form: {
			newTitle: 'New indicator',
			editTitle: 'Edit {name}',
			pubIdHint: 'PUB; followed by 32 letters and digits, as TradingView shows it for the script.',
			versionHint: 'Optional, like 1.0. It becomes the first entry of the version history.',
			versionHintEdit:
				'Corrects the current version without adding to the history. To publish a new version, use Release version on the indicator’s page.',
			pubIdTakenLink: 'Open {name}, which has this PUB ID',
			notAllowedTitle: 'Not allowed',
			notAllowed:
				'Only administrators can add or edit indicators. Ask an administrator if something needs changing.'
		},
		page: {
			back: 'All indicators',
			details: 'Details',
			edit: 'Edit',
			added: 'Added',
			noVersion: 'No version yet',
			noDescription: 'No description.',
			notFoundTitle: 'Indicator not found',
			notFoundBody:
				'There is no indicator at this address on this device. It may have been deleted, or the link is incomplete. If it was just added on another device, it appears here after the next sync.',
			metricsTitle: 'Usage',
			activeUsersHint: 'Open grants: active or expiring.',
			expiring: 'Expiring in 7 days',
			expiringHint: 'Open grants that end within a week.',
			totalGrants: 'Total grants',
			totalGrantsHint: 'Every grant ever made, including ended and revoked ones.',
			renewalRate: 'Renewal rate',
			renewalRateDetail: '{renewed} of {total} ended terms renewed.',
			renewalRateNone: 'No term has ended yet.'
		},
		release: {
			action: 'Release version',
			title: 'Release a new version',
			notes: 'Notes',
			notesHint: 'What changed, for your team. Optional.',
			submit: 'Release',
			releasing: 'Releasing…',
			released: 'Version {version} released.',
			exists: 'Version {version} was already released for this indicator. Use a new version number.'
		},
		history: {
			title: 'Version history',
			empty: 'No versions released yet.',
			current: 'Current',
			releasedOn: 'Released {date}'
		},
		retire: {
			action: 'Retire',
			title: 'Retire {name}?',
			body: 'Clients who have access keep it until their grant ends. No new grants or renewals will be accepted for this indicator.',
			undo: 'You can make it available again later by editing its status.',
			confirm: 'Retire indicator',
			retiring: 'Retiring…',
			done: '{name} is retired.',
			notice: 'Retired: open grants run to their end; no new grants or renewals are accepted.'
		}
	},
	update: {
		available: 'New version available',
		body: 'Reload to use it. Nothing you have saved is lost.',
		reload: 'Reload',
		reloading: 'Reloading…'
	},
	sync: {
		// The header control's accessible name is the constant `Sync status` (DESIGN.md §8); this
		// is the visible text beside its icon.
		status: {
			synced: 'Synced',
			syncing: 'Syncing…',
			offline: 'Offline',
			pending: '{count} pending',
			stalled: 'Sync stalled',
			error: 'Sync error',
			pausedAuth: 'Sync paused',
			updateRequired: 'Update required'
		},
		explain: {
			synced: 'Everything on this device is saved on the server.',
			syncing: 'Sending and receiving changes…',
			offline:
				'Cannot reach the server. Your edits are kept on this device and sent when the connection returns.',
			pending: 'Edits are waiting to be sent to the server.',
			stalled:
				'Sync stalled: edits have waited more than a minute without reaching the server. PineGate keeps trying; check your connection.',
			error: 'The last sync failed. PineGate tries again automatically.',
			pausedAuth: 'Sync is paused because your session ended. Log in again; nothing is lost.',
			updateRequired:
				'This version of PineGate is too old for the server — reload to update. Your unsynced edits are kept.'
		},
		panelTitle: 'Sync',
		close: 'Close',
		lastSynced: 'Last synced {time}',
		neverSynced: 'Not synced yet on this device',
		nextAttempt: 'Next attempt {time}.',
		syncNow: 'Sync now',
		reload: 'Reload',
		firstSync: 'Downloading your data: {received} of {total} records',
		pendingTitle: 'Waiting to be sent',
		pendingEmpty: 'No edits are waiting.',
		sentAwaiting: 'sent, awaiting confirmation',
		rejectedTitle: 'Refused by the server',
		rejectedIntro:
			'These edits were not saved. Fix the record and try again, or dismiss the message.',
		dependsOn: 'Depended on an earlier refused edit.',
		openOther: 'Open the other client',
		dismissLabel: 'Dismiss: {what}',
		record: 'Record {id}',
		longOffline:
			'This device last synced {days} days ago. Others may have changed the same records since: once you are back online, PineGate shows you the current data with your edits on top and asks before sending them.',
		held: 'This device had not synced for {days} days. Your {count} edits are shown on top of the current data but not sent yet: check them, then send them.',
		sendHeld: 'Send my edits',
		lostEdits:
			'Unsynced edits lost because this browser cleared its storage: {count}. PineGate reloaded everything from the server; redo those edits if needed.',
		discardedEdits:
			'Unsynced edits of the previous user of this device, discarded when you signed in: {count}.',
		storageFailed:
			'PineGate cannot use this browser’s storage, so nothing can be kept offline. Check that storage is not blocked for this site, then reload.',
		justNow: 'just now',
		badge: {
			pending: 'Pending',
			pendingTitle: 'Saved on this device, not yet confirmed by the server',
			rejected: 'Rejected: {reason}',
			overwritten: 'Your change to {field} was replaced by a later edit.'
		},
		mutations: {
			clientCreate: 'New client',
			clientUpdate: 'Client edit',
			clientDelete: 'Client deletion',
			indicatorCreate: 'New indicator',
			indicatorUpdate: 'Indicator edit',
			unknown: 'Change'
		},
		fields: {
			tradingviewUsername: 'TradingView username',
			email: 'Email',
			fullName: 'Full name',
			status: 'Status',
			notes: 'Notes',
			name: 'Name',
			pubId: 'PUB ID',
			releaseVersion: 'Version',
			description: 'Description'
		}
	},
	storage: {
		title: 'Storage',
		intro:
			'PineGate keeps your data on this device so it works offline. Persistent storage stops the browser from clearing it to free space.',
		status: 'Persistent storage',
		granted: 'On: the browser will not clear PineGate’s data on its own.',
		denied:
			'Off: the browser may clear PineGate’s data when space runs low, losing unsynced edits. Install PineGate as an app or bookmark it, then ask again.',
		unsupported: 'This browser cannot make storage persistent. Sync often to keep edits safe.',
		unknown: 'Checking…',
		askAgain: 'Ask again',
		usage: 'Using {used} of {quota} available'
	},
	clients: {
		// stable
		title: 'Clients',
		newClient: 'New client',
		search: 'Search',
		intro: 'The people who buy access to your indicators, with their TradingView usernames.',
		fields: {
			// stable
			tradingviewUsername: 'TradingView username',
			email: 'Email',
			fullName: 'Full name',
			status: 'Status',
			notes: 'Notes',
			registeredAt: 'Registered'
		},
		statuses: {
			active: 'Active',
			inactive: 'Inactive'
		},
		tvStates: {
			unverified: 'unverified',
			valid: 'verified',
			invalid: 'not found on TradingView'
		},
		tvStateLabel: 'TradingView check: {state}',
		tvStateHint:
			'PineGate checks usernames with TradingView once the TradingView connection is set up.',
		list: {
			searchHint: 'Name, email or TradingView username',
			filters: 'Filters',
			statusAll: 'All',
			from: 'Registered from',
			to: 'Registered to',
			sortBy: 'Sort by',
			sortByColumn: 'Sort by {column}',
			sorts: {
				nameAsc: 'Name (A to Z)',
				nameDesc: 'Name (Z to A)',
				usernameAsc: 'Username (A to Z)',
				usernameDesc: 'Username (Z to A)',
				statusAsc: 'Status (active first)',
				statusDesc: 'Status (inactive first)',
				registeredDesc: 'Newest first',
				registeredAsc: 'Oldest first'
			},
			clearFilters: 'Clear filters',
			loading: 'Loading clients…',
			loadingAll: 'Loading all clients: {loaded} of {total}…',
			total: '{count} clients',
			totalOne: '1 client',
			matching: '{count} of {total} clients match',
			matchingSearch: '{count} of {total} clients match “{q}”',
			range: 'Showing {start}–{end} of {count}',
			pages: 'Pages',
			previous: 'Previous page',
			next: 'Next page',
			pageOf: 'Page {page} of {pages}',
			noResultsTitle: 'No clients match',
			noResultsBody:
				'Nothing matches this search and these filters. Check the spelling, or clear the filters.',
			importCsv: 'Import CSV',
			exportCsv: 'Export CSV',
			exported: 'Downloaded {count} clients as {file}.'
		},
		form: {
			newTitle: 'New client',
			editTitle: 'Edit {name}',
			usernameHint:
				'As on TradingView, without the @: letters, digits, dots, dashes and underscores.',
			emailHint: 'Optional. Used for reminders.',
			notesHint: 'Optional. Only your team sees these.',
			usernameTaken: 'Another client already has this TradingView username.',
			emailTaken: 'Another client already has this email.',
			openOther: 'Open that client',
			created: '{name} was added.',
			saved: 'Changes to {name} saved.',
			notAllowedTitle: 'Not allowed',
			notAllowed:
				'Your role can view clients but not add or edit them. Ask an administrator if you need to.'
		},
		profile: {
			back: 'All clients',
			details: 'Details',
			edit: 'Edit',
			updated: 'Last edited',
			notFoundTitle: 'Client not found',
			notFoundBody:
				'There is no client at this address on this device. It may have been deleted, or the link is incomplete. If it was just added on another device, it appears here after the next sync.',
			accessesTitle: 'Accesses',
			currentAccesses: 'Current accesses',
			pastAccesses: 'Past accesses',
			noAccesses:
				'No accesses yet. Accesses granted to this client will be listed here with their state.',
			noCurrent: 'No current access.',
			noPast: 'No past accesses.',
			lifetime: 'Lifetime',
			fromTo: '{from} to {to}',
			fromOn: 'From {from}, no end',
			unknownIndicator: 'Unknown indicator',
			grantStates: {
				active: 'active',
				expiring: 'expiring',
				expired: 'expired',
				revoked: 'revoked'
			},
			accessTypes: {
				trial: 'Trial',
				paid: 'Paid',
				complimentary: 'Complimentary'
			},
			historyTitle: 'History',
			historyGap: 'Edits made before the edit history was kept show only as “Details last edited”.',
			events: {
				granted: 'Access to {indicator} granted',
				renewed: 'Access to {indicator} renewed',
				revoked: 'Access to {indicator} revoked',
				expired: 'Access to {indicator} expired',
				restored: 'Access to {indicator} restored',
				tv_verified: 'TradingView confirmed access to {indicator}',
				tv_failed: 'TradingView did not accept access to {indicator}',
				conflict_flagged: 'Possible double renewal of {indicator}',
				conflict_resolved: 'Double renewal of {indicator} resolved',
				created: 'Client added',
				updated: 'Details last edited',
				edited: 'Details edited'
			},
			editChange: '{field}: {before} → {after}',
			noValue: '—',
			someone: 'a team member',
			endsChange: 'Ends: {from} → {to}',
			endsNew: 'Ends {to}',
			by: 'by {actor}',
			system: 'PineGate (automatic)',
			transactionsTitle: 'Transactions',
			noTransactions: 'No transactions yet.',
			transactionStatuses: {
				pending: 'pending',
				paid: 'paid',
				failed: 'failed',
				refunded: 'refunded'
			},
			notesTitle: 'Notes',
			noNotes: 'No notes.'
		},
		delete: {
			action: 'Delete client',
			title: 'Delete {name}?',
			body: 'The client is removed from every device once this syncs. This cannot be undone.',
			confirm: 'Delete',
			deleting: 'Deleting…',
			openGrants: 'This client has {count} open grants. Revoke them or use Revoke all and delete.',
			openGrantsOne: 'This client has 1 open grant. Revoke it or use Revoke all and delete.',
			revokeAll: 'Revoke all and delete',
			revokingAll: 'Revoking and deleting…',
			revokeAllReason: 'Client deleted',
			done: '{name} was deleted.'
		},
		import: {
			title: 'Import clients',
			intro:
				'Add many clients at once from a CSV file. Check the preview, then import the valid rows; it works offline too.',
			file: 'CSV file',
			fileHint:
				'The first line names the columns: tradingview_username (or username), email, full_name (or name), status, notes. Only the username is required.',
			reading: 'Reading the file…',
			previewTitle: 'Preview',
			summary:
				'{rows} rows: {valid} ready to import, {invalid} with errors, {duplicates} duplicates.',
			onlyProblems: 'Show only rows with problems',
			line: 'Line',
			result: 'Result',
			ready: 'Ready',
			moreRows: 'Showing the first {shown} of {count} rows.',
			ignoredColumns: 'Ignored columns: {columns}.',
			importValid: 'Import {count} valid rows',
			progress: 'Importing {done} of {total}…',
			done: 'Imported {count} clients.',
			failed: '{count} rows were not imported:',
			failedRow: 'Line {line}: {reason}',
			noValid: 'No row can be imported: fix the file and choose it again.',
			empty: 'This file has no rows to import.',
			malformed:
				'This file could not be read: a quoted value that starts on line {line} never ends. Fix the file and choose it again.',
			missingUsername:
				'The first line must name a tradingview_username (or username) column. Add it and choose the file again.',
			unreadable: 'This file could not be read. Choose a CSV file saved as text (UTF-8).',
			usernameInFile: 'Same TradingView username as line {line}.',
			emailInFile: 'Same email as line {line}.',
			invalidField: '{field}: {message}'
		}
	},
	grants: enGrants,
	bulk: enBulk,
	calendar: enCalendar,
	dashboard: enDashboard,
	audit: enAudit,
	backups: enBackups,
	notifications: enNotifications,
	tradingview: enTradingview,
	reconcile: enReconcile,
	jobs: enJobs,
	analytics: enAnalytics,
	errorPage: {
		notFoundTitle: 'Page not found',
		notFoundBody:
			'This address does not exist in PineGate. Check the link, or go back to the dashboard.',
		title: 'Something went wrong',
		body: 'PineGate hit an unexpected problem. Reload the page; if it keeps happening, tell your administrator.',
		reference: 'Reference: {id}',
		home: 'Go to the dashboard'
	},
	errors: {
		UNAUTHENTICATED: 'Your session has ended. Log in again to continue.',
		INVALID_CREDENTIALS: 'Wrong email or password. Check both and try again.',
		SESSION_EXPIRED: 'Your session has expired. Log in again to continue.',
		FORBIDDEN: 'Your role does not allow this. Ask an administrator if you need it.',
		ACCOUNT_DISABLED: 'This account is disabled. Ask an administrator to enable it.',
		SETUP_ALREADY_DONE: 'PineGate is already set up. Log in with your account instead.',
		FOREIGN_ORIGIN:
			'The request came from another site and was refused. Open PineGate from its own address.',
		VALIDATION: 'Some fields need attention. Correct them and try again.',
		NOT_FOUND:
			'That item no longer exists. It may have been removed; reload to see the current list.',
		EMAIL_TAKEN: 'A user with this email already exists. Use another email.',
		LAST_ADMIN: 'This is the last active admin. Make someone else an admin first.',
		USERNAME_TAKEN:
			'Another client already has this TradingView username. Open that client instead.',
		CLIENT_EMAIL_TAKEN:
			'Another client already has this email. Open that client or use another email.',
		PUB_ID_TAKEN: 'Another indicator already has this PUB ID. Check the ID on TradingView.',
		VERSION_EXISTS: 'This version was already released. Use a new version number.',
		ALREADY_EXISTS: 'This item already exists. Reload to see the current data.',
		RECORD_DELETED: 'This item was deleted on another device, so the change was not saved.',
		HAS_OPEN_GRANTS: 'This client still has open accesses. Revoke or let them end first.',
		CLIENT_INACTIVE:
			'{username} is inactive, so no access can be granted or renewed. Make the client active first.',
		INDICATOR_RETIRED:
			'{indicator} is retired: it takes no new grants or renewals. Choose another indicator.',
		GRANT_REVOKED:
			'This access was revoked on another device before your renewal arrived, so the renewal was not applied. Grant access again if it should continue.',
		END_NOT_LATER:
			'The end date must be later than now and than the current end. Choose a later date.',
		CONFLICT_RESOLVED: 'Someone already resolved this possible double renewal.',
		TV_USERNAME_INVALID:
			'TradingView does not know the username {username}, so no access can be granted. Correct the client’s TradingView username first.',
		TV_NOT_CONNECTED:
			'TradingView is not connected. Paste your sessionid and sessionid_sign cookies in Settings → TradingView.',
		TV_SESSION_INVALID:
			'TradingView did not accept the session: it has expired or the cookies are wrong. Log in to TradingView in your browser and paste both cookies again.',
		TV_SESSION_UNREADABLE:
			'The saved TradingView cookies cannot be read with this server’s key (SECRET_KEY changed?). Paste them again.',
		TV_UNREACHABLE:
			'TradingView could not be reached. Check the connection and try again in a minute.',
		TV_RATE_LIMITED: 'TradingView asks to slow down. Try again in {seconds} s.',
		TV_CAPTCHA:
			'TradingView wants a captcha for this login, which only a browser can solve. Log in there and paste the two cookies instead.',
		TV_INVALID_CREDENTIALS:
			'TradingView refused the username, password or code. Check them; PineGate does not retry by itself.',
		TV_UNEXPECTED:
			'TradingView answered in an unexpected way. Try again later; if it keeps happening, tell your administrator.',
		RECONCILE_STALE:
			'This difference changed since the run (a grant was made or changed, or is on its way to TradingView). Run reconciliation again.',
		RECONCILE_NOT_REMOVED:
			'TradingView still lists {username} after the removal. Try again in a few minutes.',
		UNKNOWN_MUTATOR:
			'The server does not know this change. Reload PineGate to get the latest version.',
		DEPENDS_ON_REJECTED:
			'This change depended on an earlier change that was refused, so it was not saved either.',
		CLIENT_SCHEMA_UNSUPPORTED:
			'This copy of PineGate is out of date. Reload to update it, then try again.',
		DEVICE_USER_MISMATCH:
			'These changes were made by another user on this device. Log in as that user to send them.',
		SELF_CHANGE: 'You cannot change your own role or disable yourself. Ask another admin.',
		BACKUPS_UNAVAILABLE:
			'Backups are not available on this server right now. Try again in a moment.',
		RATE_LIMITED: 'Too many failed attempts. Wait {minutes} min and try again.',
		INTERNAL:
			'The server hit an unexpected problem. Try again; if it keeps happening, tell your administrator.',
		OFFLINE: 'Cannot reach the server: you may be offline. Check your connection and try again.'
	} satisfies Record<ErrorCode | 'OFFLINE', string>,
	validation: {
		required: 'This field is required.',
		invalid: 'This value is not valid.',
		emailInvalid: 'Enter a valid email address, like name@example.com.',
		emailTooLong: 'This email is too long (254 characters at most).',
		passwordTooShort: 'The password needs at least 10 characters.',
		passwordTooLong: 'The password is too long (256 characters at most).',
		passwordMismatch: 'The passwords do not match. Type the same password twice.',
		nameTooLong: 'The name is too long (120 characters at most).',
		tooLong: 'This text is too long. Shorten it and try again.',
		usernameTooShort: 'The TradingView username needs at least 2 characters.',
		usernameTooLong: 'The TradingView username is too long (64 characters at most).',
		usernameChars: 'TradingView usernames use only letters, digits, dots, dashes and underscores.',
		statusInvalid: 'Choose one of the listed statuses.',
		emptyPatch: 'Nothing changed. Edit a field before saving.',
		pubIdFormat:
			'A PUB ID looks like PUB; followed by 32 letters and digits. Copy it from TradingView.',
		roleInvalid: 'Choose a role: Admin, Seller or Support.',
		idInvalid: 'This item is not valid. Reload the page and try again.',
		durationInvalid: 'Choose a duration, or a custom end date.',
		accessTypeInvalid: 'Choose an access type: Trial, Paid or Complimentary.',
		reasonRequired: 'Say why the access is revoked.',
		indicatorsRequired: 'Choose at least one indicator.',
		duplicateIndicator: 'The same indicator was chosen twice.',
		tooMany: 'Too many items at once. Choose fewer and try again.',
		twoFactorCode: 'Enter the 6-digit code from your authenticator app.'
	}
};

export type Messages = typeof en;
