import 'fake-indexeddb/auto';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientCreate, clientUpdate } from '$lib/shared/mutators';
import type { SessionUser } from '$lib/shared/schemas/user';
import { createSession } from '../../server/auth/sessions';
import { SESSION_COOKIE } from '../../server/auth/tokens';
import { clients } from '../../server/db/schema';
import { CLIENT_SCHEMA_VERSION } from '$lib/shared/sync/protocol';
import { createContext } from '../../server/trpc/context';
import { appRouter } from '../../server/trpc/router';
import { createTestDatabase, type TestDatabase } from '../../../../tests/helpers/db';
import { callerFor, insertUser, sessionFor, testMeta } from '../../../../tests/helpers/trpc';
import { DB_NAME, PineGateDb } from '../db';
import { LEADER_LOCK, SYNC_CHANNEL, type LockManagerLike, type SyncMessage } from './leader';
import { initialSyncState } from './status';
import { eventually } from '../../../../tests/helpers/wait';

// The sync controller runs only in a browser. Node gives it the real pieces it has (IndexedDB via
// fake-indexeddb, BroadcastChannel, EventTarget, fetch into the app's real tRPC router on PGlite);
// what Node 20 lacks (navigator, window, localStorage) is supplied as the smallest working stand-in.
function browserGlobalsOf() {
	const items = new Map<string, string>();
	const localStorage = {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, String(value)),
		removeItem: (key: string) => void items.delete(key),
		clear: () => items.clear(),
		key: (index: number) => [...items.keys()][index] ?? null,
		get length() {
			return items.size;
		}
	};
	const navigator: {
		onLine: boolean;
		locks?: unknown;
		storage?: { persisted(): Promise<boolean>; persist(): Promise<boolean> };
	} = { onLine: true };
	return { items, navigator, localStorage };
}
// Installed after PGlite has started: with a `window` it would take Node for a browser.
const browserGlobals = browserGlobalsOf();

vi.mock('$app/environment', () => ({ browser: true, dev: false, building: false, version: 't' }));

let sync: typeof import('./sync.svelte');
let syncState: typeof import('./sync.svelte').syncState;

let database: TestDatabase;
let user: SessionUser;
let token: string | null;
const originalFetch = globalThis.fetch;

/** The app's tRPC endpoint, in-process: the page's relative `/api/trpc` calls land here. */
async function serverFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
	const url = new URL(input instanceof Request ? input.url : String(input), 'http://pinegate.test');
	const headers = new Headers(init?.headers);
	if (token) headers.set('cookie', `${SESSION_COOKIE}=${token}`);
	return fetchRequestHandler({
		endpoint: '/api/trpc',
		req: new Request(url, { ...init, headers }),
		router: appRouter,
		createContext: ({ req, resHeaders }) =>
			createContext({ db: database.db, req, resHeaders, meta: testMeta })
	});
}

async function newUser(): Promise<SessionUser> {
	const inserted = await insertUser(database.db, 'seller');
	return { id: inserted.id, email: inserted.email, name: 'Seller', role: 'seller' };
}

async function serverClient(id: string) {
	const [row] = await database.db.select().from(clients).where(eq(clients.id, id));
	return row;
}

/** Starts sync and waits for the device database to be open. */
async function started(who: SessionUser): Promise<PineGateDb> {
	sync.startSync(who);
	await eventually(() => expect(syncState.db).not.toBeNull());
	return syncState.db as PineGateDb;
}

const goOffline = () => window.dispatchEvent(new Event('offline'));
const goOnline = () => window.dispatchEvent(new Event('online'));

beforeAll(async () => {
	database = await createTestDatabase('pglite');
	// stubGlobal defines the properties: Node 21 and later have a getter-only `navigator`.
	vi.stubGlobal('localStorage', browserGlobals.localStorage);
	vi.stubGlobal('navigator', browserGlobals.navigator);
	vi.stubGlobal('window', new EventTarget());
	globalThis.fetch = serverFetch;
	sync = await import('./sync.svelte');
	syncState = sync.syncState;
	user = await newUser();
	token = (await createSession(database.db, user.id, testMeta)).token;
});

afterAll(async () => {
	sync.stopSync();
	globalThis.fetch = originalFetch;
	await database.dispose();
});

afterEach(() => {
	browserGlobals.navigator.locks = undefined;
});

describe('sync controller, leading (no Web Locks: every tab leads)', () => {
	it('applies an edit on the device at once, pushes it to the server and ends synced', async () => {
		const db = await started(user);
		expect(syncState.userId).toBe(user.id);
		await eventually(() => expect(syncState.status).toBe('synced'));
		expect(syncState.isLeader).toBe(true);
		expect(syncState.lastSyncedAt).not.toBeNull();

		const id = uuidv7();
		await sync.mutate(clientCreate, { id, fields: { tradingviewUsername: 'ada_tv' } });
		expect((await db.clients.get(id))?.tradingviewUsername).toBe('ada_tv');
		await eventually(async () =>
			expect((await serverClient(id))?.tradingviewUsername).toBe('ada_tv')
		);
		await eventually(() => expect(syncState.outbox).toHaveLength(0));
		// The outbox mirror and the status are set by separate steps: under load one lands first.
		await eventually(() => expect(syncState.status).toBe('synced'));
		expect(syncState.longOfflineDays()).toBeNull();
	});

	it('keeps edits on the device while offline and sends them when the browser is back online', async () => {
		await started(user);
		await eventually(() => expect(syncState.status).toBe('synced'));
		goOffline();
		expect(syncState.status).toBe('offline');
		const id = uuidv7();
		await sync.mutate(clientCreate, { id, fields: { tradingviewUsername: 'offline_edit' } });
		await eventually(() => expect(syncState.outbox).toHaveLength(1));
		expect(syncState.outbox[0]).toMatchObject({ name: 'client.create', entityId: id });
		expect(syncState.status).toBe('offline');
		expect(await serverClient(id)).toBeUndefined();
		// Edits waiting more than 30 days since the last sync are called out.
		expect(syncState.longOfflineDays(Date.now() + 31 * 86_400_000)).toBe(31);

		goOnline();
		await eventually(() => expect(syncState.status).toBe('synced'));
		expect((await serverClient(id))?.tradingviewUsername).toBe('offline_edit');
	});

	it('pauses when the session ends and resumes when the same person signs in again', async () => {
		await started(user);
		await eventually(() => expect(syncState.status).toBe('synced'));
		const saved = token;
		token = null;
		const id = uuidv7();
		await sync.mutate(clientCreate, { id, fields: { tradingviewUsername: 'after_401' } });
		await eventually(() => expect(syncState.status).toBe('paused-auth'));
		expect(syncState.outbox).toHaveLength(1);

		token = saved;
		// The same user again: the runtime is kept and the paused queue continues.
		const db = syncState.db;
		sync.startSync(user);
		expect(syncState.db).toBe(db);
		await eventually(() => expect(syncState.status).toBe('synced'));
		expect(await serverClient(id)).toBeDefined();
	});

	it('refuses writes once stopped, and clears what it showed', async () => {
		await started(user);
		sync.stopSync();
		expect(syncState.db).toBeNull();
		expect(syncState.userId).toBeNull();
		expect(syncState.outbox).toEqual([]);
		expect(syncState.state).toEqual(initialSyncState(true));
		await expect(
			sync.mutate(clientCreate, { id: uuidv7(), fields: { tradingviewUsername: 'nobody' } })
		).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
		// Nothing to sync: pressing the button is harmless.
		sync.syncNow();
	});

	it('refuses an invalid edit on the device, before anything is queued', async () => {
		await started(user);
		await expect(
			sync.mutate(clientCreate, { id: uuidv7(), fields: { tradingviewUsername: '' } })
		).rejects.toMatchObject({ code: 'VALIDATION' });
		expect(syncState.outbox).toHaveLength(0);
	});
});

describe('sync controller, following another tab', () => {
	it('writes to IndexedDB itself, asks the leader to push, shows the leader’s state, then takes over', async () => {
		sync.stopSync();
		let releaseOther: () => void = () => {};
		const waiting: Array<() => void> = [];
		let held = true;
		const locks: LockManagerLike = {
			request(_name, options, callback) {
				return new Promise((resolve) => {
					const run = () => void callback().then(resolve);
					if (!held) return run();
					waiting.push(run);
					options.signal?.addEventListener('abort', () => resolve(undefined));
				});
			}
		};
		releaseOther = () => {
			held = false;
			for (const run of waiting.splice(0)) run();
		};
		browserGlobals.navigator.locks = locks;
		const leader = new BroadcastChannel(SYNC_CHANNEL);
		const heard: SyncMessage[] = [];
		leader.onmessage = (event: MessageEvent<SyncMessage>) => heard.push(event.data);
		try {
			const db = await started(user);
			expect(syncState.isLeader).toBe(false);
			await eventually(() => expect(heard).toContainEqual({ type: 'hello' }));

			// The leader's state arrives over the channel and is what this tab shows.
			const leaderState = { ...initialSyncState(true), running: true };
			leader.postMessage({ type: 'state', state: leaderState } satisfies SyncMessage);
			await eventually(() => expect(syncState.state).toEqual(leaderState));
			expect(syncState.status).toBe('syncing');

			const id = uuidv7();
			await sync.mutate(clientCreate, { id, fields: { tradingviewUsername: 'from_follower' } });
			expect((await db.clients.get(id))?.tradingviewUsername).toBe('from_follower');
			await eventually(() => expect(heard).toContainEqual({ type: 'push' }));
			await eventually(() => expect(syncState.outbox).toHaveLength(1));

			sync.syncNow();
			await sync.confirmHeldEdits();
			await eventually(() =>
				expect(heard.filter((m) => m.type === 'sync-now').length).toBeGreaterThanOrEqual(2)
			);

			// The other tab closes: this one gets the lock, leads and pushes what it queued.
			releaseOther();
			await eventually(() => expect(syncState.isLeader).toBe(true));
			await eventually(() => expect(syncState.status).toBe('synced'));
			expect((await serverClient(id))?.tradingviewUsername).toBe('from_follower');
			// As leader it answers a new tab's hello with its state.
			heard.length = 0;
			leader.postMessage({ type: 'hello' } satisfies SyncMessage);
			await eventually(() => expect(heard.some((m) => m.type === 'state')).toBe(true));
		} finally {
			leader.close();
			sync.stopSync();
		}
		expect(LEADER_LOCK).toBe('pinegate-sync-leader');
	});
});

describe('sync controller, refusals and device changes', () => {
	it('shows an edit the server refused until it is dismissed', async () => {
		const db = await started(user);
		await eventually(() => expect(syncState.status).toBe('synced'));
		// Another device of the team took this username; this device has not pulled it yet.
		const { caller } = callerFor(database.db, await sessionFor(database.db, user.id));
		await caller.sync.push({
			clientId: uuidv7(),
			schemaVersion: CLIENT_SCHEMA_VERSION,
			mutations: [
				{
					id: 1,
					name: 'client.create',
					args: { id: uuidv7(), fields: { tradingviewUsername: 'taken_name' } },
					createdAt: new Date().toISOString()
				}
			]
		});
		const mine = uuidv7();
		await sync.mutate(clientCreate, { id: mine, fields: { tradingviewUsername: 'taken_name' } });
		await eventually(() => expect(syncState.rejections).toHaveLength(1));
		const [rejection] = syncState.rejections;
		expect(rejection?.entityId).toBe(mine);
		expect(await db.clients.get(mine)).toBeUndefined();

		await sync.dismissRejection(rejection!.mutationId);
		await eventually(() => expect(syncState.rejections).toHaveLength(0));
		expect(syncState.state.rejected).toBe(0);
	});

	it('discards the previous user’s unsynced edits when another person signs in, and says so', async () => {
		await started(user);
		await eventually(() => expect(syncState.status).toBe('synced'));
		goOffline();
		await sync.mutate(clientCreate, { id: uuidv7(), fields: { tradingviewUsername: 'unsent_1' } });
		await sync.mutate(clientCreate, { id: uuidv7(), fields: { tradingviewUsername: 'unsent_2' } });
		await eventually(() => expect(syncState.outbox).toHaveLength(2));
		// Stopped before the network returns: online first, a loaded machine could push both edits.
		sync.stopSync();
		goOnline();

		browserGlobals.navigator.onLine = false;
		const other = await newUser();
		try {
			await started(other);
			expect(syncState.userId).toBe(other.id);
			expect(syncState.notices.discardedEdits).toBe(2);
			expect(JSON.parse(browserGlobals.items.get('pinegate.sync.notices') ?? '{}')).toEqual({
				lostEdits: 0,
				discardedEdits: 2
			});
			await eventually(() => expect(syncState.outbox).toHaveLength(0));
			sync.dismissSyncNotice('discardedEdits');
			expect(syncState.notices).toEqual({ lostEdits: 0, discardedEdits: 0 });
			expect(browserGlobals.items.has('pinegate.sync.notices')).toBe(false);
		} finally {
			browserGlobals.navigator.onLine = true;
			sync.stopSync();
		}
	});

	it('reopens a fresh device when the browser deletes the database, counting the lost edits', async () => {
		await started(user);
		await eventually(() => expect(syncState.status).toBe('synced'));
		goOffline();
		await sync.mutate(clientCreate, { id: uuidv7(), fields: { tradingviewUsername: 'evicted' } });
		await eventually(() => expect(syncState.outbox).toHaveLength(1));
		const before = JSON.parse(browserGlobals.items.get('pinegate.sync.mirror') ?? '{}') as {
			clientId?: string;
		};
		// "Clear site data": the database is deleted under the open connection, which closes it.
		await new PineGateDb(DB_NAME).delete();
		await eventually(() => expect(syncState.notices.lostEdits).toBe(1));
		const after = JSON.parse(browserGlobals.items.get('pinegate.sync.mirror') ?? '{}') as {
			clientId?: string;
		};
		expect(after.clientId).toBeDefined();
		expect(after.clientId).not.toBe(before.clientId);
		sync.dismissSyncNotice('lostEdits');
		goOnline();
		sync.stopSync();
	});

	it('reports a storage failure when the device database cannot be used, and refuses writes', async () => {
		sync.stopSync();
		await new PineGateDb(DB_NAME).delete();
		// A database of that name without PineGate's tables (another app, a broken upgrade).
		await new Promise<void>((resolve, reject) => {
			const request = indexedDB.open(DB_NAME, 9_999);
			request.onsuccess = () => {
				request.result.close();
				resolve();
			};
			request.onerror = () => reject(new Error('could not create the foreign database'));
		});
		sync.startSync(user);
		await eventually(() => expect(syncState.storageFailed).toBe(true));
		expect(syncState.status).toBe('error');
		expect(syncState.db).toBeNull();
		await expect(
			sync.mutate(clientUpdate, { id: uuidv7(), patch: { notes: 'x' } })
		).rejects.toMatchObject({ code: 'INTERNAL' });
		sync.stopSync();
		await new Promise<void>((resolve) => {
			const request = indexedDB.deleteDatabase(DB_NAME);
			request.onsuccess = () => resolve();
		});
	});
});

describe('persistent storage', () => {
	it('reports granted, denied or unsupported from what the browser answers', async () => {
		browserGlobals.navigator.storage = undefined;
		await sync.requestPersistentStorage();
		expect(syncState.persistence).toBe('unsupported');

		let persisted = true;
		let grant = false;
		browserGlobals.navigator.storage = {
			persisted: () => Promise.resolve(persisted),
			persist: () => Promise.resolve(grant)
		};
		await sync.requestPersistentStorage();
		expect(syncState.persistence).toBe('granted');
		persisted = false;
		await sync.requestPersistentStorage();
		expect(syncState.persistence).toBe('denied');
		grant = true;
		await sync.requestPersistentStorage();
		expect(syncState.persistence).toBe('granted');

		browserGlobals.navigator.storage = {
			persisted: () => Promise.reject(new Error('not allowed in this context')),
			persist: () => Promise.resolve(true)
		};
		await sync.requestPersistentStorage();
		expect(syncState.persistence).toBe('unsupported');
	});
});
