/**
 * Random edits a person makes on a device, through the app's real mutators (optimistic apply +
 * outbox): clients, indicators and grants (grant, renew, revoke), which queue TradingView work.
 * Targets are picked from what the device has stored, so some edits conflict with other devices'
 * (a taken username, a deleted client, a revoked grant) and are refused by the server, visibly.
 */
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../src/lib/shared/errors';
import {
	accessGrant,
	accessRenew,
	accessRevoke,
	clientCreate,
	clientDelete,
	clientUpdate,
	indicatorCreate,
	indicatorUpdate
} from '../../src/lib/shared/mutators';
import type { Mutator } from '../../src/lib/shared/sync/mutator';
import type { Device } from './device';

export const ACTION_KINDS = [
	'client.create',
	'client.update',
	'client.delete',
	'indicator.create',
	'indicator.update',
	'access.grant',
	'access.renew',
	'access.revoke'
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** What the fake TradingView knows: the vendor's scripts and its users (plus a few unknown). */
export interface Catalogue {
	pineIds: string[];
	usernames: string[];
	unknownUsernames: string[];
}

const PRESETS = ['7d', '30d', '90d', '365d', 'lifetime'] as const;

const WEIGHTS: Record<ActionKind, number> = {
	'client.create': 14,
	'client.update': 14,
	'client.delete': 3,
	'indicator.create': 3,
	'indicator.update': 4,
	'access.grant': 26,
	'access.renew': 18,
	'access.revoke': 10
};

function pick<T>(items: readonly T[], random: () => number): T | undefined {
	return items[Math.floor(random() * items.length)];
}

function weighted(random: () => number): ActionKind {
	const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
	let roll = random() * total;
	for (const kind of ACTION_KINDS) {
		roll -= WEIGHTS[kind];
		if (roll < 0) return kind;
	}
	return 'client.create';
}

/** The arguments for one edit of `kind` on this device's data, or null when it has no target. */
async function argsFor(
	device: Device,
	kind: ActionKind,
	catalogue: Catalogue
): Promise<{ mutator: Mutator<never>; args: Record<string, unknown> } | null> {
	const r = device.random;
	const m = <A>(mutator: Mutator<A>) => mutator as unknown as Mutator<never>;
	switch (kind) {
		case 'client.create': {
			const unknown = r() < 0.04;
			const username = pick(unknown ? catalogue.unknownUsernames : catalogue.usernames, r);
			return {
				mutator: m(clientCreate),
				args: {
					id: uuidv7(),
					fields: { tradingviewUsername: username, fullName: `Client ${uuidv7().slice(-5)}` }
				}
			};
		}
		case 'client.update': {
			const client = pick(await device.rows('clients'), r);
			if (!client) return null;
			const roll = r();
			const patch =
				roll < 0.15
					? { status: client.status === 'active' ? 'inactive' : 'active' }
					: roll < 0.6
						? { fullName: `${device.name} ${Math.floor(r() * 1000)}` }
						: { notes: `note ${Math.floor(r() * 1e6)} by ${device.name}` };
			return {
				mutator: m(clientUpdate),
				args: { id: client.id, base: client.version || null, patch }
			};
		}
		case 'client.delete': {
			const client = pick(await device.rows('clients'), r);
			return client ? { mutator: m(clientDelete), args: { id: client.id } } : null;
		}
		case 'indicator.create':
			return {
				mutator: m(indicatorCreate),
				args: {
					id: uuidv7(),
					fields: {
						name: `Script ${Math.floor(r() * 1e4)}`,
						pubId: pick(catalogue.pineIds, r),
						status: 'production'
					}
				}
			};
		case 'indicator.update': {
			const indicator = pick(await device.rows('indicators'), r);
			if (!indicator) return null;
			return {
				mutator: m(indicatorUpdate),
				args: {
					id: indicator.id,
					base: indicator.version || null,
					patch: { name: `Script ${Math.floor(r() * 1e4)}` }
				}
			};
		}
		case 'access.grant': {
			const client = pick(await device.rows('clients'), r);
			const indicator = pick(await device.rows('indicators'), r);
			if (!client || !indicator) return null;
			return {
				mutator: m(accessGrant),
				args: {
					clientId: client.id,
					items: [{ indicatorId: indicator.id, accessId: uuidv7(), eventId: uuidv7() }],
					duration: { kind: 'preset', preset: pick(PRESETS, r) },
					accessType: r() < 0.8 ? 'paid' : 'trial',
					note: null
				}
			};
		}
		case 'access.renew': {
			const grant = pick(
				(await device.rows('accesses')).filter((a) => a.revokedAt === null),
				r
			);
			if (!grant) return null;
			return {
				mutator: m(accessRenew),
				args: {
					accessId: grant.id,
					eventId: uuidv7(),
					conflictEventId: uuidv7(),
					notificationId: uuidv7(),
					baseEndsAt: grant.endsAt,
					duration: { kind: 'preset', preset: pick(PRESETS.slice(0, 4), r) },
					note: null
				}
			};
		}
		case 'access.revoke': {
			const grant = pick(
				(await device.rows('accesses')).filter((a) => a.revokedAt === null),
				r
			);
			if (!grant) return null;
			return {
				mutator: m(accessRevoke),
				args: { accessId: grant.id, eventId: uuidv7(), reason: 'refunded' }
			};
		}
	}
}

/**
 * One random edit on the device. Returns its kind when it was queued, 'refused' when the device
 * refused it itself (nothing queued), or null when there was nothing to edit.
 */
export async function randomAction(
	device: Device,
	catalogue: Catalogue
): Promise<ActionKind | 'refused' | null> {
	// A device starts empty: it needs scripts and clients before it can grant.
	const indicators = (await device.rows('indicators')).length;
	const clients = (await device.rows('clients')).length;
	const kind =
		indicators === 0 && device.user.role === 'admin' && device.random() < 0.5
			? 'indicator.create'
			: clients < 3 && device.random() < 0.5
				? 'client.create'
				: weighted(device.random);
	const planned = await argsFor(device, kind, catalogue);
	if (!planned) return null;
	try {
		const { mutationId } = await device.engine.mutate(planned.mutator, planned.args);
		device.accepted.push({ mutationId, name: kind, args: planned.args });
		return kind;
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		device.refusedLocally++;
		return 'refused';
	}
}
