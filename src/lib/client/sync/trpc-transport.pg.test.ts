import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCClient } from '@trpc/client';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { eq } from 'drizzle-orm';
import superjson from 'superjson';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSession } from '../../server/auth/sessions';
import { SESSION_COOKIE } from '../../server/auth/tokens';
import { users } from '../../server/db/schema';
import { createContext } from '../../server/trpc/context';
import { appRouter, type AppRouter } from '../../server/trpc/router';
import { clientCreate } from '$lib/shared/mutators';
import { keepingStatus } from '../trpc';
import { CLIENT_SCHEMA_VERSION } from '$lib/shared/sync/protocol';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { manualTimers } from '../../../../tests/helpers/devices';
import { insertUser, testMeta } from '../../../../tests/helpers/trpc';
import { SyncEngine } from './engine';
import { MemoryStore } from './memory-store';
import { TransportError } from './transport';
import { parseRetryAfter, toTransportError, TrpcTransport } from './trpc-transport';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

function clientWith(fetch: Fetch): TRPCClient<AppRouter> {
	return createTRPCClient<AppRouter>({
		links: [
			httpBatchLink({
				url: 'http://pinegate.test/api/trpc',
				transformer: superjson,
				fetch: keepingStatus(fetch)
			})
		]
	});
}

/** The real tRPC handler of the app, called in-process with the session cookie of `token`. */
function serverFetch(database: TestDatabase, token: () => string | null): Fetch {
	return async (input, init) => {
		const headers = new Headers(init?.headers);
		const value = token();
		if (value) headers.set('cookie', `${SESSION_COOKIE}=${value}`);
		const req = new Request(input, { ...init, headers });
		return fetchRequestHandler({
			endpoint: '/api/trpc',
			req,
			router: appRouter,
			createContext: ({ req: request, resHeaders }) =>
				createContext({ db: database.db, req: request, resHeaders, meta: testMeta })
		});
	};
}

async function failureOf(call: Promise<unknown>): Promise<TransportError> {
	try {
		await call;
	} catch (error) {
		if (error instanceof TransportError) return error;
		throw error;
	}
	throw new Error('the call succeeded');
}

const pullRequest = (clientId: string) => ({
	clientId,
	schemaVersion: CLIENT_SCHEMA_VERSION,
	cursor: 0
});

describeEachDatabase('tRPC transport against the app router', (kind) => {
	let database: TestDatabase;
	let token: string | null;
	let userId: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await database.exec(
			'truncate clients, notifications, sync_clients, mutation_results, field_writes, users cascade'
		);
		const user = await insertUser(database.db, 'seller');
		userId = user.id;
		token = (await createSession(database.db, user.id, testMeta)).token;
	});

	const transport = (timeoutMs?: number) =>
		new TrpcTransport({
			client: clientWith(serverFetch(database, () => token)),
			...(timeoutMs ? { timeoutMs } : {})
		});

	it('pushes and pulls through the real wire (superjson, error map) and drives the engine', async () => {
		const clientId = uuidv7();
		const id = uuidv7();
		const pushed = await transport().push({
			clientId,
			schemaVersion: CLIENT_SCHEMA_VERSION,
			mutations: [
				{
					id: 1,
					name: 'client.create',
					args: { id, fields: { tradingviewUsername: 'over_the_wire' } },
					createdAt: new Date().toISOString()
				}
			]
		});
		expect(pushed).toEqual({
			status: 'ok',
			lastMutationId: 1,
			results: [{ id: 1, outcome: 'applied' }]
		});
		const pulled = await transport().pull(pullRequest(clientId));
		expect(pulled.status).toBe('ok');
		if (pulled.status !== 'ok') return;
		expect(pulled.rows.clients?.map((c) => c.id)).toEqual([id]);
		expect(pulled.lastMutationId).toBe(1);

		const store = new MemoryStore();
		const engine = new SyncEngine({
			store,
			transport: transport(),
			clientId: uuidv7(),
			userId,
			role: 'seller',
			timers: manualTimers()
		});
		await engine.mutate(clientCreate, { id: uuidv7(), fields: { tradingviewUsername: 'engine' } });
		await engine.idle();
		expect(engine.state).toMatchObject({ pending: 0, error: null, paused: null });
		expect(await store.transaction((tx) => tx.entity('clients').count())).toBe(2);
	});

	it('answers 401 as auth when the session is missing, revoked or its user disabled', async () => {
		token = null;
		expect(await failureOf(transport().pull(pullRequest(uuidv7())))).toMatchObject({
			kind: 'auth',
			status: 401
		});
		token = 'not-a-real-session';
		expect(await failureOf(transport().pull(pullRequest(uuidv7())))).toMatchObject({
			kind: 'auth'
		});
		token = (await createSession(database.db, userId, testMeta)).token;
		await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, userId));
		expect(await failureOf(transport().pull(pullRequest(uuidv7())))).toMatchObject({
			kind: 'auth'
		});
	});

	it('treats a malformed request as a client error, not a transient one', async () => {
		const error = await failureOf(transport().pull({ ...pullRequest('not-a-uuid') }));
		expect(error).toMatchObject({ kind: 'client', status: 400, message: 'VALIDATION' });
	});

	it('maps a FORBIDDEN answer of this server to auth', async () => {
		const client = clientWith(serverFetch(database, () => token));
		let caught: unknown;
		try {
			await client.users.list.query(); // a seller may not: 403 FORBIDDEN in the app's error shape
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(TRPCClientError);
		expect(toTransportError(caught)).toMatchObject({ kind: 'auth', status: 403 });
	});
});

describe('tRPC transport failures without a PineGate answer', () => {
	const request = pullRequest(uuidv7());
	const transportWith = (fetch: Fetch, timeoutMs?: number) =>
		new TrpcTransport({ client: clientWith(fetch), ...(timeoutMs ? { timeoutMs } : {}) });

	it('no network is a network error', async () => {
		const fetch: Fetch = () => Promise.reject(new TypeError('Failed to fetch'));
		expect(await failureOf(transportWith(fetch).pull(request))).toMatchObject({ kind: 'network' });
	});

	it('no answer within the deadline is a timeout, and the request is aborted', async () => {
		let aborted = false;
		const fetch: Fetch = (_input, init) =>
			new Promise((_resolve, reject) => {
				init?.signal?.addEventListener('abort', () => {
					aborted = true;
					reject(new DOMException('The operation was aborted.', 'AbortError'));
				});
			});
		const error = await failureOf(transportWith(fetch, 50).pull(request));
		expect(error.kind).toBe('timeout');
		expect(aborted).toBe(true);
	});

	it('a gateway error page is a server error', async () => {
		const fetch: Fetch = () =>
			Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502 }));
		expect(await failureOf(transportWith(fetch).pull(request))).toMatchObject({
			kind: 'server',
			status: 502
		});
	});

	it('a 429 honours Retry-After', async () => {
		const fetch: Fetch = () =>
			Promise.resolve(new Response('slow down', { status: 429, headers: { 'retry-after': '7' } }));
		expect(await failureOf(transportWith(fetch).push({ ...request, mutations: [] }))).toMatchObject(
			{ kind: 'server', status: 429, retryAfterMs: 7000 }
		);
	});

	it('parses Retry-After as seconds or a date', () => {
		expect(parseRetryAfter('120')).toBe(120_000);
		expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(null)).toBeUndefined();
	});

	it('classifies thrown values that never reached tRPC', () => {
		expect(toTransportError(new DOMException('x', 'TimeoutError')).kind).toBe('timeout');
		expect(toTransportError(new TypeError('Failed to fetch')).kind).toBe('network');
		const same = new TransportError('server', '500', 500);
		expect(toTransportError(same)).toBe(same);
	});
});
