/** English messages of the calendar pages (a namespace of `en`, kept apart so features edit their own file). */
export const enCalendar = {
	intro: 'When each access ends, day by day, so you can contact clients before it runs out.',
	timeZone: 'Times in {zone}.',
	views: {
		label: 'View',
		month: 'Month',
		agenda: 'Agenda'
	},
	previousMonth: 'Previous month',
	nextMonth: 'Next month',
	today: 'Today',
	tomorrow: 'Tomorrow',
	monthCaption: 'Expirations in {month}',
	monthEmpty: 'No access ends in {month}.',
	more: '+{count} more',
	moreDay: 'on {date}, in the agenda',
	legend: 'Colours',
	states: {
		expiring: 'Expiring within 7 days',
		active: 'Active',
		expired: 'Expired'
	},
	entryStates: {
		expiring: 'Expiring',
		active: 'Active',
		expired: 'Expired'
	},
	agendaTitle: 'Upcoming expirations',
	agendaFromTitle: 'Expirations from {date}',
	agendaEmpty: 'No access ends from {date} on.',
	agendaEmptyNext: 'Lifetime accesses never expire, and revoked ones are not listed.',
	showMore: 'Show more days',
	fromToday: 'From today',
	entryAt: 'ends at {time}',
	unknownClient: 'Client not on this device yet',
	unknownIndicator: 'Indicator not on this device yet',
	emptyTitle: 'No expirations yet',
	emptyBody:
		'The calendar shows when each access with an end date runs out. Lifetime and revoked accesses never expire, so they are not here.',
	emptyNext: 'Grant access to a client from the Accesses page; its end date will appear here.',
	goToAccesses: 'Go to Accesses',
	export: 'Export .ics',
	exportHint:
		'Upcoming expirations as a calendar file for Google Calendar, Outlook or Apple Calendar, made on this device (works offline).',
	exportedOne: 'Downloaded 1 upcoming expiration as {file}.',
	exportedMany: 'Downloaded {count} upcoming expirations as {file}.',
	exportNone: 'No upcoming expirations to export.',
	ics: {
		name: 'PineGate expirations',
		summary: 'Access to {indicator} ends — {client}',
		description:
			'TradingView access of {client} to {indicator} ends. Renew it in PineGate to keep it.'
	}
};
