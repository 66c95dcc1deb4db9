/**
 * A simulated device: the app's real sync core (SyncEngine over a MemoryStore) talking to the
 * servers over HTTP with the real tRPC transport, logged in as a staff user with a session cookie.
 * Each request goes to an instance chosen at random, so both serve every device. "Offline" makes
 * fetch fail the way a browser without network does.
 */
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import { uuidv7 } from 'uuidv7';
import { SyncEngine } from '../../src/lib/client/sync/engine';
import { MemoryStore } from '../../src/lib/client/sync/memory-store';
import { TrpcTransport } from '../../src/lib/client/sync/trpc-transport';
import { keepingStatus } from '../../src/lib/client/trpc';
import { SESSION_COOKIE } from '../../src/lib/server/auth/tokens';
import type { AppRouter } from '../../src/lib/server/trpc/router';
import type { Role } from '../../src/lib/shared/permissions';
import type { EntityName, EntityRows } from '../../src/lib/shared/sync/entities';
import type { Instance } from './servers';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** One accepted (queued) mutation, as the device recorded it when `mutate` returned. */
export interface Accepted {
	mutationId: number;
	name: string;
	args: Record<string, unknown>;
}

/**
 * fetch to one of `instances` (random per request) with the session cookie; counts pushes in
 * flight per instance so the soak can kill one in the middle of a push.
 */
export function routedFetch(
	instances: Instance[],
	random: () => number,
	cookie: { value: string | null },
	online: () => boolean = () => true
): Fetch {
	return async (input, init) => {
		if (!online()) throw new TypeError('fetch failed: the device is offline');
		const up = instances.filter((i) => i.up);
		const pool = up.length > 0 ? up : instances;
		const instance = pool[Math.floor(random() * pool.length)] ?? instances[0]!;
		const url = new URL(input instanceof Request ? input.url : String(input));
		const target = new URL(url.pathname + url.search, instance.baseURL);
		const headers = new Headers(init?.headers);
		if (cookie.value) headers.set('cookie', `${SESSION_COOKIE}=${cookie.value}`);
		const isPush = url.pathname.includes('sync.push');
		if (isPush) instance.pushesInFlight++;
		try {
			const response = await fetch(target, { ...init, headers });
			for (const line of response.headers.getSetCookie()) {
				const [pair] = line.split(';');
				if (pair?.startsWith(`${SESSION_COOKIE}=`))
					cookie.value = pair.slice(SESSION_COOKIE.length + 1) || null;
			}
			return response;
		} finally {
			if (isPush) instance.pushesInFlight--;
		}
	};
}

export function apiClient(fetchImpl: Fetch): TRPCClient<AppRouter> {
	return createTRPCClient<AppRouter>({
		links: [
			httpBatchLink({
				url: 'http://soak.invalid/api/trpc',
				transformer: superjson,
				fetch: keepingStatus(fetchImpl)
			})
		]
	});
}

export class Device {
	readonly store = new MemoryStore();
	readonly engine: SyncEngine;
	readonly accepted: Accepted[] = [];
	/** Mutations the device itself refused (role, validation, a conflict it could see): not queued. */
	refusedLocally = 0;
	online = true;
	offlinePeriods = 0;
	readonly cookie: { value: string | null };

	constructor(
		readonly name: string,
		readonly user: { id: string; email: string; role: Role },
		sessionToken: string,
		instances: Instance[],
		readonly random: () => number
	) {
		this.cookie = { value: sessionToken };
		const client = apiClient(routedFetch(instances, random, this.cookie, () => this.online));
		this.engine = new SyncEngine({
			store: this.store,
			transport: new TrpcTransport({ client, timeoutMs: 20_000 }),
			clientId: uuidv7(),
			userId: user.id,
			role: user.role,
			random
		});
	}

	setOnline(online: boolean): void {
		if (!online && this.online) this.offlinePeriods++;
		this.online = online;
		this.engine.setOnline(online);
	}

	rows<E extends EntityName>(entity: E): Promise<EntityRows[E][]> {
		return this.store.transaction((tx) => tx.entity(entity).toArray());
	}

	outboxCount(): Promise<number> {
		return this.store.transaction((tx) => tx.outbox.count());
	}
}
