import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../server/auth/sessions';
import { SESSION_COOKIE } from '../server/auth/tokens';
import { createContext } from '../server/trpc/context';
import { appRouter } from '../server/trpc/router';
import { createTestDatabase, type TestDatabase } from '../../../tests/helpers/db';
import { insertUser, testMeta } from '../../../tests/helpers/trpc';

// The app's one tRPC client, talking to the real router in-process (the page's relative
// `/api/trpc` resolved against a test origin), plus the staff directory that reads through it.

let database: TestDatabase;
let token: string | null = null;
/** Set to answer the next call like a gateway whose app server is down. */
let gatewayDown = false;
const originalFetch = globalThis.fetch;
const stored = new Map<string, string>();
let client: typeof import('./trpc');
let staffModule: typeof import('./staff.svelte');

async function serverFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
	if (gatewayDown)
		return new Response('<html>502 Bad Gateway</html>', {
			status: 502,
			headers: { 'content-type': 'text/html', 'retry-after': '30' }
		});
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

beforeAll(async () => {
	database = await createTestDatabase('pglite');
	globalThis.fetch = serverFetch;
	Object.assign(globalThis, {
		localStorage: {
			getItem: (key: string) => stored.get(key) ?? null,
			setItem: (key: string, value: string) => void stored.set(key, value),
			removeItem: (key: string) => void stored.delete(key)
		}
	});
	// Names this device saw last time, before the directory is read again.
	stored.set('pinegate.staff', JSON.stringify({ gone: 'Former colleague' }));
	client = await import('./trpc');
	staffModule = await import('./staff.svelte');
});

afterAll(async () => {
	globalThis.fetch = originalFetch;
	Reflect.deleteProperty(globalThis, 'localStorage');
	client.onSessionLost(null);
	await database.dispose();
});

describe('tRPC client', () => {
	it('tells the app shell once a call answers "not signed in", with the error code', async () => {
		let lost = 0;
		client.onSessionLost(() => lost++);
		token = null;
		const error = await client.trpc.users.directory.query().catch((e: unknown) => e);
		expect(client.appCodeOf(error)).toBe('UNAUTHENTICATED');
		expect(lost).toBe(1);
		expect(client.appCodeOf(new Error('not from tRPC'))).toBeUndefined();
	});

	it('keeps the HTTP status and Retry-After of a non-JSON error page', async () => {
		gatewayDown = true;
		try {
			const error = await client
				.keepingStatus()('/api/trpc/users.directory')
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(client.HttpStatusError);
			expect(error).toMatchObject({ status: 502, retryAfter: '30', message: 'HTTP 502' });
		} finally {
			gatewayDown = false;
		}
		// tRPC's own JSON error answers pass through for tRPC to read.
		const answer = await client.keepingStatus()('/api/trpc/users.directory');
		expect(answer.status).toBe(401);
	});
});

describe('staff directory', () => {
	it('starts from the names this device kept, then reads the team from the server', async () => {
		const { staff } = staffModule;
		expect(staff.name('gone')).toBe('Former colleague');
		const admin = await insertUser(database.db, 'admin', { name: 'Ana Admin' });
		const seller = await insertUser(database.db, 'seller', { name: 'Sam Seller' });
		token = (await createSession(database.db, seller.id, testMeta)).token;
		await Promise.all([staff.refresh(), staff.refresh()]);
		expect(staff.name(admin.id)).toBe('Ana Admin');
		expect(staff.name(seller.id)).toBe('Sam Seller');
		expect(staff.name('gone')).toBeUndefined();
		expect(JSON.parse(stored.get('pinegate.staff') ?? '{}')).toEqual(staff.names);
	});

	it('keeps the names it has when the server cannot be asked', async () => {
		const { staff } = staffModule;
		const before = { ...staff.names };
		gatewayDown = true;
		try {
			await staff.refresh();
		} finally {
			gatewayDown = false;
		}
		expect(staff.names).toEqual(before);
	});
});
