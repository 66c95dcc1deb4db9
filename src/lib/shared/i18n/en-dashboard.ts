/** English messages of the dashboard's figures. */
export const enDashboard = {
	figures: 'Key figures',
	totalClients: 'Clients',
	activeClients: 'Active clients',
	openGrants: 'Open grants',
	expiringIn7Days: 'Expiring in 7 days',
	expiringTomorrow: 'Expiring tomorrow',
	tradingViewFailing: 'Failing on TradingView',
	revenueAtRisk: 'Revenue at risk this week',
	revenueAtRiskHint:
		'The last payment of each client whose paid grant ends in the next 7 days ({count} clients).',
	revenueAtRiskNone: 'No paid grant with a known payment ends in the next 7 days.',
	upcoming: 'Upcoming expirations',
	upcomingEmpty: 'No grant ends in the next 7 days.',
	seeAll: 'See all grants',
	loading: 'Reading this device’s data…',
	failed:
		'The figures could not be computed on this device: {reason}. Reload the page to try again.'
};
