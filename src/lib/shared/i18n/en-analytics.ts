/** English messages of the analytics page. */
export const enAnalytics = {
	intro: 'Computed on this device from its data, so it works offline. Times are in UTC.',
	loading: 'Reading this device’s data…',
	failed:
		'The charts could not be computed on this device: {reason}. Reload the page to try again.',
	emptyTitle: 'No data to analyse yet',
	emptyBody: 'The charts fill in once you have clients and grants.',
	emptyNext: 'Add a client and grant an indicator; the numbers build up from there.',
	range: {
		label: 'Date range',
		'30d': 'Last 30 days',
		'90d': 'Last 90 days',
		'12m': 'Last 12 months',
		custom: 'Custom',
		from: 'From',
		to: 'To',
		invalid: 'Choose a start date on or before the end date.',
		showing: '{from} – {to}, per {period}',
		week: 'week',
		month: 'month'
	},
	chartLabel: '{title}: chart. The table below gives the same numbers.',
	clients: {
		title: 'Clients over time',
		caption: 'Clients at the end of each period',
		hint: 'All: clients registered by then. Active: status active and a grant open at that time.',
		period: 'Period',
		weekOf: 'Week of {date}',
		all: 'All clients',
		active: 'Active clients'
	},
	indicators: {
		title: 'Most popular indicators',
		caption: 'Open grants now, and terms sold (new and renewed) in the last 30 and 90 days',
		indicator: 'Indicator',
		openGrants: 'Open grants',
		terms30: 'Terms, 30 days',
		terms90: 'Terms, 90 days',
		unknown: 'Unknown indicator',
		none: 'No indicator has open grants or recent sales.'
	},
	subscriptions: {
		title: 'Subscriptions per month',
		caption: 'Terms sold per month, new grants and renewals',
		month: 'Month',
		new: 'New',
		renewal: 'Renewals',
		total: 'Total'
	},
	renewals: {
		title: 'Renewal rate per month',
		caption: 'Terms ending each month that were renewed',
		hint: 'A term counts as renewed when renewed before its end or up to 7 days after. Lifetime, revoked and still-undecided terms are left out.',
		month: 'Month',
		renewed: 'Renewed',
		ended: 'Ended',
		rate: 'Rate',
		overall: 'Whole range',
		overallValue: 'Overall: {rate} ({renewed} of {total})',
		noRate: '—'
	},
	expirations: {
		title: 'Expirations per week ahead',
		caption: 'Open grants ending in each of the next 8 weeks',
		week: 'Week',
		weekRange: '{from} – {to}',
		count: 'Grants ending'
	}
};
