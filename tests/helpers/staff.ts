import { uuidv7 } from 'uuidv7';
import type { Db } from '../../src/lib/server/db/client';
import type { Duration } from '../../src/lib/shared/schemas/access';
import type { SessionUser } from '../../src/lib/shared/schemas/user';
import { clientArgs, envelope, pushOne } from './sync';

/**
 * A staff member's device for server tests: pushes mutations through the real push path (so rows,
 * events, versions and jobs are exactly what a device's edit produces) and fails on a rejection.
 */
export function staffDevice(db: () => Db, user: SessionUser) {
	const deviceId = uuidv7();
	let next = 0;
	async function applied(name: string, args: unknown): Promise<void> {
		next += 1;
		const response = await pushOne(db(), user, deviceId, [envelope(next, name, args)]);
		if (response.status !== 'ok') throw new Error(`push ${response.status}`);
		const [result] = response.results;
		if (result?.outcome !== 'applied') throw new Error(`${name}: ${JSON.stringify(result)}`);
	}
	return {
		applied,
		async client(overrides: Record<string, unknown> = {}): Promise<string> {
			const args = clientArgs(overrides);
			await applied('client.create', args);
			return args.id;
		},
		async indicator(fields: Record<string, unknown> = {}): Promise<string> {
			const id = uuidv7();
			const pubId = `PUB;${id.replaceAll('-', '').slice(0, 32)}`;
			await applied('indicator.create', {
				id,
				fields: { name: `Indicator ${id.slice(-4)}`, pubId, ...fields }
			});
			return id;
		},
		/** One grant; returns its id. */
		async grant(
			clientId: string,
			indicatorId: string,
			duration: Duration = { kind: 'preset', preset: '30d' }
		): Promise<string> {
			const accessId = uuidv7();
			await applied('access.grant', {
				clientId,
				items: [{ indicatorId, accessId, eventId: uuidv7() }],
				duration,
				accessType: 'paid',
				note: null
			});
			return accessId;
		},
		async renew(accessId: string, baseEndsAt: string | null, duration: Duration) {
			await applied('access.renew', {
				accessId,
				eventId: uuidv7(),
				conflictEventId: uuidv7(),
				notificationId: uuidv7(),
				baseEndsAt,
				duration,
				note: null
			});
		},
		async revoke(accessId: string, reason = 'refunded') {
			await applied('access.revoke', { accessId, eventId: uuidv7(), reason });
		}
	};
}
