import { roles, type Role } from '$lib/shared/permissions';

export { roles };

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
