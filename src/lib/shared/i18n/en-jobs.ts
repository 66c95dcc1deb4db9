/** English messages of the admin Jobs page (docs/jobs.md) and the session check line in Settings. */
export const enJobs = {
	nav: 'Jobs',
	title: 'Jobs',
	intro:
		'Work PineGate does by itself on a schedule. Each run is recorded with its outcome; Run now starts one at once.',
	notAllowedTitle: 'For administrators',
	notAllowed: 'Only administrators can see and run the scheduled jobs.',
	offline:
		'You are offline. The Jobs page reads from the server: it will load once you are back online, and Run now needs a connection too.',
	names: {
		'tradingview-session-check': 'TradingView session check',
		'tradingview-reconcile': 'TradingView reconciliation',
		'expiry-sweep': 'Expiry sweep',
		'expiry-reminders': 'Expiry reminders',
		'sync-purge': 'Sync history purge',
		backup: 'Backup'
	},
	schedule: {
		everyMinute: 'Every minute',
		everyMinutes: 'Every {minutes} minutes',
		hourly: 'Every hour, on the hour',
		hourlyAt: 'Every hour at minute {minute}',
		daily: 'Every day at {time} UTC',
		cron: 'Cron “{cron}” (UTC)'
	},
	columns: {
		job: 'Job',
		schedule: 'Schedule',
		lastRun: 'Last run',
		lastSuccess: 'Last success',
		nextRun: 'Next run',
		started: 'Started',
		duration: 'Duration',
		outcome: 'Outcome',
		trigger: 'Trigger',
		error: 'Error',
		summary: 'Summary or error',
		actions: 'Actions'
	},
	outcome: {
		running: 'Running',
		succeeded: 'Succeeded',
		failed: 'Failed'
	},
	trigger: {
		schedule: 'Schedule',
		manual: 'By hand'
	},
	never: 'Never',
	none: '—',
	runNow: 'Run now',
	runNowLabel: 'Run {job} now',
	running: 'Running…',
	ran: '{job}: {outcome}.',
	recentRuns: 'Recent runs',
	filter: 'Show runs of',
	allJobs: 'All jobs',
	noRuns: 'No runs yet. Jobs run on their schedule, or press Run now.',
	olderRuns: 'Show older runs',
	durationMs: '{ms} ms',
	durationS: '{s} s',
	durationMin: '{min} min {s} s',
	sessionCheck: {
		ok: 'Session last checked {date}: valid.',
		expired:
			'Session last checked {date}: TradingView refused it. Writes are paused until new cookies are saved.',
		unreachable: 'Session last checked {date}: TradingView could not be reached.'
	}
};
