/** English messages of the notification centre. */
export const enNotifications = {
	title: 'Notifications',
	bell: 'Notifications',
	bellUnread: 'Notifications, {count} unread',
	intro: 'What needs your attention: ends coming up, TradingView problems, new clients.',
	empty: 'No notifications. Reminders appear here 7 days and 1 day before a grant ends.',
	markAllRead: 'Mark all as read',
	marked: 'All notifications are marked as read.',
	unread: 'Unread',
	filterUnread: 'Only unread',
	showMore: 'Show more',
	open: 'Open',
	someone: 'Someone',
	kinds: {
		expiring_7d: '{client} · {indicator} ends in 7 days or less ({date}).',
		expiring_1d: '{client} · {indicator} ends tomorrow or sooner ({date}).',
		expired: '{client} · {indicator} has expired ({date}).',
		tradingview_sync_failed: 'TradingView did not accept {client} · {indicator}: {reason}',
		tradingview_session_expired:
			'The TradingView session expired: changes wait until new cookies are saved in Settings.',
		new_client: 'New client: {client}.',
		double_renewal: '{client} · {indicator} may have been renewed twice.',
		edit_overwritten: 'Your change to {field} was overwritten by a later edit.',
		unknown: 'Notification about {entity}.'
	}
};
