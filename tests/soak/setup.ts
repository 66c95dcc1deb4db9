/**
 * Staff accounts for the devices, made the way a vendor makes them: the first admin through the
 * setup page's procedure, the others by that admin (`users.create`), and every device signs in
 * over HTTP (`auth.login`) for its own session cookie.
 */
import type { Role } from '../../src/lib/shared/permissions';
import { apiClient, Device, routedFetch } from './device';
import type { Instance } from './servers';

const PASSWORD = 'soak-password-123456';

/** Five devices: two admins (deletes, scripts) and three sellers (clients, grants). */
export const DEVICE_ROLES: Role[] = ['admin', 'seller', 'admin', 'seller', 'seller'];

async function signIn(instances: Instance[], random: () => number, email: string) {
	const cookie = { value: null as string | null };
	const api = apiClient(routedFetch(instances, random, cookie));
	const { user } = await api.auth.login.mutate({ email, password: PASSWORD });
	if (!cookie.value) throw new Error(`no session cookie after signing in ${email}`);
	return { user, token: cookie.value };
}

export async function createDevices(
	instances: Instance[],
	random: () => number,
	/** Each device's own random stream, so its choices do not depend on the others' timing. */
	deviceRandom: (index: number) => () => number,
	roles: Role[] = DEVICE_ROLES
): Promise<Device[]> {
	const adminCookie = { value: null as string | null };
	const admin = apiClient(routedFetch(instances, random, adminCookie));
	await admin.auth.setup.mutate({
		name: 'Soak Admin',
		email: 'admin@soak.test',
		password: PASSWORD
	});
	const emails = roles.map((role, i) => (i === 0 ? 'admin@soak.test' : `${role}${i}@soak.test`));
	for (const [i, role] of roles.entries()) {
		if (i === 0) continue;
		await admin.users.create.mutate({
			name: `Soak ${role} ${i}`,
			email: emails[i]!,
			password: PASSWORD,
			role
		});
	}
	const devices: Device[] = [];
	for (const [i, email] of emails.entries()) {
		const { user, token } = await signIn(instances, random, email);
		devices.push(
			new Device(`device ${i + 1} (${user.role})`, user, token, instances, deviceRandom(i))
		);
	}
	return devices;
}

/** A second engine per device's user with an empty store: its first pull is the server's view. */
export function observerOf(device: Device, instances: Instance[]): Device {
	const token = device.cookie.value;
	if (!token) throw new Error(`${device.name} has no session`);
	return new Device(`${device.name} observer`, device.user, token, instances, device.random);
}
