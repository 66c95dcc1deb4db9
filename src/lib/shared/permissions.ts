/**
 * The permission table of DESIGN.md §7, once. The server enforces it on every procedure and pushed
 * mutation; the UI reads the same table to hide what a role cannot do.
 */
export const roles = ['admin', 'seller', 'support'] as const;
export type Role = (typeof roles)[number];

export const permissionTable = {
	/** view clients, indicators, grants, analytics, history */
	'records.view': ['admin', 'seller', 'support'],
	/** create and edit clients */
	'clients.edit': ['admin', 'seller'],
	'clients.delete': ['admin'],
	/** create, edit, release, retire indicators */
	'indicators.manage': ['admin'],
	/** grant and revoke access */
	'access.grant': ['admin', 'seller'],
	'access.renew': ['admin', 'seller', 'support'],
	/** users, roles, settings, TradingView connection, reconciliation fixes, audit log */
	admin: ['admin']
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionTable;
export const permissions = Object.keys(permissionTable) as Permission[];

/** What a procedure requires: a permission, any signed-in user, or nobody at all. */
export type Requirement = Permission | 'authenticated' | 'public';

export function can(role: Role | null | undefined, permission: Permission): boolean {
	if (!role) return false;
	return (permissionTable[permission] as readonly Role[]).includes(role);
}

export function satisfies(role: Role | null | undefined, requirement: Requirement): boolean {
	if (requirement === 'public') return true;
	if (requirement === 'authenticated') return role != null;
	return can(role, requirement);
}
