import type { MessageKey } from '$lib/shared/i18n';
import type { Permission } from '$lib/shared/permissions';

export type NavIconName =
	| 'dashboard'
	| 'clients'
	| 'indicators'
	| 'accesses'
	| 'calendar'
	| 'analytics'
	| 'users'
	| 'jobs'
	| 'audit'
	| 'settings';

export interface NavItem {
	href:
		| '/'
		| '/clients'
		| '/indicators'
		| '/accesses'
		| '/calendar'
		| '/analytics'
		| '/users'
		| '/jobs'
		| '/audit'
		| '/settings';
	label: MessageKey;
	icon: NavIconName;
	/** Shown only to roles with this permission (the server enforces it anyway). */
	permission?: Permission;
}

/** The app's navigation, in order; the sidebar and the bottom bar both render this list. */
export const navItems: readonly NavItem[] = [
	{ href: '/', label: 'nav.dashboard', icon: 'dashboard' },
	{ href: '/clients', label: 'nav.clients', icon: 'clients' },
	{ href: '/indicators', label: 'nav.indicators', icon: 'indicators' },
	{ href: '/accesses', label: 'nav.accesses', icon: 'accesses' },
	{ href: '/calendar', label: 'nav.calendar', icon: 'calendar' },
	{ href: '/analytics', label: 'nav.analytics', icon: 'analytics' },
	{ href: '/users', label: 'nav.users', icon: 'users', permission: 'admin' },
	{ href: '/jobs', label: 'jobs.nav', icon: 'jobs', permission: 'admin' },
	{ href: '/audit', label: 'audit.nav', icon: 'audit', permission: 'admin' },
	{ href: '/settings', label: 'nav.settings', icon: 'settings' }
];

/** Whether `pathname` is inside the section `href` (the dashboard only matches itself). */
export function isActive(href: NavItem['href'], pathname: string): boolean {
	if (href === '/') return pathname === '/';
	return pathname === href || pathname.startsWith(`${href}/`);
}
