/** English messages of Settings → TradingView → Reconciliation. */
export const enReconcile = {
	title: 'Reconciliation',
	intro:
		'Compares each indicator’s access list on TradingView with the grants in PineGate and lists the differences. It runs every day; run it now after changes made directly on TradingView.',
	link: 'Open reconciliation',
	linkIntro: 'Compare TradingView’s access lists with your grants and fix the differences.',
	notAllowedTitle: 'Not allowed',
	notAllowed: 'Only admins can run reconciliation and fix what it finds.',
	back: 'Back to Settings',
	runNow: 'Run now',
	starting: 'Starting…',
	running: 'Running: {indicators} indicators checked so far…',
	offline:
		'Reconciliation works through the server with TradingView, so it needs a connection. You are offline: reconnect to run it or to fix differences.',
	never: 'No reconciliation has run yet. Press “Run now” to compare TradingView with your grants.',
	lastRun: 'Last run',
	started: 'Started',
	by: 'By',
	dailyJob: 'Daily job',
	unknownUser: 'A former user',
	duration: 'Duration',
	seconds: '{seconds} s',
	result: 'Result',
	states: {
		running: 'Running',
		done: 'Finished',
		failed: 'Failed'
	},
	scanned: '{indicators} indicators, {entries} TradingView entries, {grants} grants compared.',
	failed: 'The run stopped: {error}',
	warning: 'Finished with a warning: {error}',
	noDrift: 'No differences: TradingView matches your grants.',
	report: 'Differences',
	kinds: {
		missing: 'Paid but missing on TradingView',
		leak: 'On TradingView without an open grant',
		expiry_mismatch: 'Expiry differs',
		unknown_user: 'Not in PineGate'
	},
	kindHelp: {
		missing:
			'The grant is open in PineGate but TradingView does not list the user. Fix sends the grant to TradingView again.',
		leak: 'TradingView gives access that no open grant backs. Fix removes the user from the script on TradingView.',
		expiry_mismatch:
			'TradingView’s expiration is not the grant’s end. Fix sets TradingView to the grant’s end.',
		unknown_user:
			'TradingView lists a user no client has. Import adds the client with a paid grant that ends when TradingView’s access does.'
	},
	columns: {
		client: 'Client',
		indicator: 'Indicator',
		crmEnd: 'PineGate end',
		tvEnd: 'TradingView expiration',
		action: 'Action'
	},
	lifetime: 'Lifetime',
	notListed: 'Not listed',
	noGrant: 'No open grant',
	fix: 'Fix',
	import: 'Import as client',
	fixAll: 'Fix all',
	importAll: 'Import all',
	fixing: 'Fixing…',
	fixLabel: 'Fix: {username} on {indicator}',
	importLabel: 'Import as client: {username}',
	fixAllLabel: '{action}: {kind}',
	fixes: {
		resynced: 'Sent to TradingView again',
		removed: 'Removed from TradingView',
		imported: 'Imported as client'
	},
	fixedBy: 'By {name} on {date}',
	fixedNow: 'Fixed: {username} on {indicator}.',
	fixedAll: '{fixed} fixed.',
	fixedSome: '{fixed} fixed; {failed} could not be fixed: {reason}'
};
