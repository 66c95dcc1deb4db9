import fc from 'fast-check';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { errorCodes, isErrorCode } from '$lib/shared/errors';
import { CLIENT_SCHEMA_VERSION } from '$lib/shared/sync/protocol';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import {
	appTables,
	changedTables,
	fingerprint,
	hostileString,
	nearSample
} from '../../../../tests/helpers/fuzz';
import { insertUser, testMeta } from '../../../../tests/helpers/trpc';
import { createSession } from '../auth/sessions';
import { SESSION_COOKIE } from '../auth/tokens';
import { createContext } from './context';
import { appRouter } from './router';

// Issue 8, "Bad input": every procedure, through the real HTTP handler, fed hostile input as an
// admin (the role that passes every permission check, so the input reaches the code behind it).
// Answers are typed errors or successes, never a 500; a refused call changes nothing.

// TradingView calls go to the fake (the server reads its environment once, hence hoisted).
const fake = await vi.hoisted(async () => {
	const { startFakeTradingView } = await import('../../../../tests/fake-tradingview/server');
	const started = await startFakeTradingView({});
	process.env.TRADINGVIEW_BASE_URL = started.url;
	process.env.SECRET_KEY = 'fuzz secret key that is long enough!!';
	return started;
});
afterAll(() => fake.close());

interface ProcedureLike {
	_def: { type: 'query' | 'mutation' | 'subscription'; inputs: unknown[] };
}
const procedures = Object.entries(
	appRouter._def.procedures as unknown as Record<string, ProcedureLike>
);

const id = () => uuidv7();
/** A valid input for every procedure that takes one: the fuzz works around it. */
const samples: Record<string, () => unknown> = {
	'accesses.retryTvSync': () => ({ id: id() }),
	'audit.list': () => ({ action: 'auth.', limit: 10 }),
	'audit.exportCsv': () => ({ actor: 'admin' }),
	'auth.setup': () => ({ name: 'Ana', email: 'ana@example.test', password: 'long enough pw' }),
	'auth.login': () => ({ email: 'nobody@example.test', password: 'wrong password' }),
	'clients.search': () => ({ q: 'ana', limit: 5 }),
	'jobs.runs': () => ({ limit: 5 }),
	'jobs.runNow': () => ({ job: 'no-such-job' }),
	'reports.analytics': () => ({ preset: '30d' }),
	'sessions.revoke': () => ({ id: id() }),
	'sync.push': () => ({
		clientId: id(),
		schemaVersion: CLIENT_SCHEMA_VERSION,
		mutations: [{ id: 1, name: 'client.delete', args: { id: id() }, createdAt: '' }]
	}),
	'sync.pull': () => ({ clientId: id(), schemaVersion: CLIENT_SCHEMA_VERSION, cursor: 0 }),
	'sync.snapshot': () => ({ clientId: id(), schemaVersion: CLIENT_SCHEMA_VERSION, limit: 10 }),
	'tradingview.saveSession': () => ({ sessionid: 'abc', sessionidSign: 'def' }),
	'tradingview.signIn': () => ({ username: 'vendor', password: 'wrong' }),
	'tradingview.signInTwoFactor': () => ({ code: '123456', token: 'v1.a.b.c' }),
	'tradingview.reconcileReport': () => ({ runId: id() }),
	'tradingview.reconcileFix': () => ({ driftId: id() }),
	'tradingview.reconcileFixAll': () => ({ runId: id(), kind: 'leak' }),
	'users.create': () => ({
		name: 'Bea',
		email: `bea-${id().slice(-8)}@example.test`,
		password: 'long enough pw',
		role: 'seller'
	}),
	'users.setRole': () => ({ id: id(), role: 'support' }),
	'users.disable': () => ({ id: id() }),
	'users.enable': () => ({ id: id() })
};

/** Tables a refused call may write on purpose: failed logins are counted and audited. */
const refusalWrites: Record<string, string[]> = {
	'auth.login': ['public.login_attempts', 'public.audit_log']
};

// Fewer runs on PostgreSQL: the same code, a slower round trip; its own refusals (NUL) still show.
const RUNS = { pglite: 20, postgres: 12 };

interface Answer {
	status: number;
	appCode: string | null;
}

describeEachDatabase('every tRPC procedure refuses hostile input with a typed error', (kind) => {
	let database: TestDatabase;
	let tables: string[];
	let adminId: string;

	async function call(
		token: string,
		path: string,
		type: string,
		input: unknown,
		raw?: string
	): Promise<Answer> {
		const url = new URL(`http://pinegate.test/api/trpc/${path}`);
		const headers = new Headers({ cookie: `${SESSION_COOKIE}=${token}` });
		let init: RequestInit = { method: 'GET', headers };
		if (type === 'mutation') {
			headers.set('content-type', 'application/json');
			init = { method: 'POST', headers, body: raw ?? JSON.stringify({ json: input }) };
		} else if (input !== undefined) {
			url.searchParams.set('input', raw ?? JSON.stringify({ json: input }));
		}
		const response = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request(url, init),
			router: appRouter,
			createContext: ({ req, resHeaders }) =>
				createContext({ db: database.db, req, resHeaders, meta: testMeta })
		});
		if (type === 'subscription') {
			// An event stream never ends by itself: its status is the answer.
			await response.body?.cancel();
			return { status: response.status, appCode: null };
		}
		const body = (await response.json()) as { error?: { json?: { data?: { appCode?: string } } } };
		return { status: response.status, appCode: body.error?.json?.data?.appCode ?? null };
	}

	function expectTyped(path: string, input: unknown, answer: Answer): void {
		const context = `${path} ${JSON.stringify(input)?.slice(0, 300)} → ${JSON.stringify(answer)}`;
		expect(answer.status, context).not.toBe(500);
		if (answer.status >= 400) {
			expect(isErrorCode(answer.appCode), context).toBe(true);
			expect(answer.appCode, context).not.toBe('INTERNAL');
			expect(answer.status, context).toBe(
				errorCodes[answer.appCode as keyof typeof errorCodes].status
			);
		}
	}

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		adminId = (await insertUser(database.db, 'admin')).id;
		tables = await appTables(database.db);
	});
	afterAll(async () => {
		await database.dispose();
	});

	it('has a valid sample for every procedure that takes input, and no stale one', () => {
		const withInput = procedures.filter(([, p]) => p._def.inputs.length > 0).map(([path]) => path);
		expect(withInput.filter((path) => !samples[path])).toEqual([]);
		expect(Object.keys(samples).filter((path) => !withInput.includes(path))).toEqual([]);
	});

	it('a NUL character is a validation error, not a 500 (regression: PostgreSQL refuses it)', async () => {
		const { token } = await createSession(database.db, adminId, testMeta);
		const before = await fingerprint(database.db, tables);
		for (const [path, type, input] of [
			['audit.exportCsv', 'query', { actor: '\u0000' }],
			['clients.search', 'query', { q: 'a\u0000' }],
			['users.create', 'mutation', { ...(samples['users.create']?.() as object), name: 'A\u0000' }]
		] as const)
			expect(await call(token, path, type, input)).toEqual({ status: 400, appCode: 'VALIDATION' });
		expect(changedTables(before, await fingerprint(database.db, tables))).toEqual([]);
	});

	for (const [path, procedure] of procedures) {
		const { type } = procedure._def;
		it(`${path} (${type})`, async () => {
			// No TradingView connection: a saved one would start background work between calls.
			await database.db.execute(sql`delete from settings where key like 'tradingview%'`);
			const sample = samples[path]?.();
			const inputs = fc.oneof(
				{ weight: 4, arbitrary: nearSample(sample).map((input) => ({ input, raw: undefined })) },
				{
					weight: 1,
					arbitrary: hostileString.map((raw): { input: unknown; raw: string } => ({
						input: null,
						raw
					}))
				}
			);
			await fc.assert(
				fc.asyncProperty(inputs, async ({ input, raw }) => {
					// A fresh session each time: logout and sessions.revoke may end it.
					const { token } = await createSession(database.db, adminId, testMeta);
					const before = await fingerprint(database.db, tables);
					const answer = await call(token, path, type, input, raw);
					expectTyped(path, raw ?? input, answer);
					if (answer.status >= 400) {
						const allowed = refusalWrites[path] ?? [];
						const changed = changedTables(before, await fingerprint(database.db, tables));
						expect(
							changed.filter((table) => !allowed.includes(table)),
							`${path} refused ${JSON.stringify(raw ?? input)?.slice(0, 200)} yet wrote`
						).toEqual([]);
					}
				}),
				{ numRuns: RUNS[kind] }
			);
		});
	}
});
