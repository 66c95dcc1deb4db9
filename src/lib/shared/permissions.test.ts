import { describe, expect, it } from 'vitest';
import { can, permissionTable, satisfies } from './permissions';

describe('permission table (DESIGN.md §7)', () => {
	// The design's table, written out independently so a change to the code is a visible decision.
	const expected = {
		'records.view': { admin: true, seller: true, support: true },
		'clients.edit': { admin: true, seller: true, support: false },
		'clients.delete': { admin: true, seller: false, support: false },
		'indicators.manage': { admin: true, seller: false, support: false },
		'access.grant': { admin: true, seller: true, support: false },
		'access.renew': { admin: true, seller: true, support: true },
		admin: { admin: true, seller: false, support: false }
	} as const;

	it('matches the design for every permission and role', () => {
		expect(Object.keys(permissionTable).sort()).toEqual(Object.keys(expected).sort());
		for (const [permission, byRole] of Object.entries(expected)) {
			for (const [role, allowed] of Object.entries(byRole)) {
				expect(can(role as 'admin', permission as 'admin'), `${role} ${permission}`).toBe(allowed);
			}
		}
	});

	it('nobody without a role can do anything', () => {
		expect(can(null, 'records.view')).toBe(false);
		expect(satisfies(undefined, 'authenticated')).toBe(false);
		expect(satisfies(null, 'public')).toBe(true);
		expect(satisfies('support', 'authenticated')).toBe(true);
	});
});
