/**
 * PineGate's HTTP API as a device or a script calls it: tRPC v11 over HTTP with superjson, a
 * session cookie from auth.setup or auth.login. Used by the upgrade scripts and the load bench.
 */
import superjson from 'superjson';
import { uuidv7 } from 'uuidv7';
import {
	CLIENT_SCHEMA_VERSION,
	type PullWireResponse,
	type PushResponse
} from '../../src/lib/shared/sync/protocol';

export const ADMIN = {
	name: 'Ops Admin',
	email: 'ops@pinegate.test',
	password: 'ops password 123'
};

export class ApiError extends Error {
	constructor(
		message: string,
		readonly status: number
	) {
		super(message);
	}
}

async function decode<T>(response: Response, what: string): Promise<T> {
	const text = await response.text();
	if (!response.ok)
		throw new ApiError(`${what}: HTTP ${response.status} ${text.slice(0, 300)}`, response.status);
	const body = JSON.parse(text) as {
		result: { data: Parameters<typeof superjson.deserialize>[0] };
	};
	return superjson.deserialize<T>(body.result.data);
}

/** The session cookie (`name=value`) a login or setup answer sets. */
function sessionCookie(response: Response): string {
	const cookie = response.headers.getSetCookie().find((c) => c.includes('='));
	if (!cookie) throw new Error('no session cookie in the answer');
	return cookie.split(';')[0]!;
}

export async function mutation<T>(
	baseUrl: string,
	procedure: string,
	input: unknown,
	cookie?: string
): Promise<T> {
	const response = await fetch(`${baseUrl}/api/trpc/${procedure}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
		body: JSON.stringify(superjson.serialize(input))
	});
	return decode<T>(response, procedure);
}

export async function query<T>(
	baseUrl: string,
	procedure: string,
	input: unknown,
	cookie?: string
): Promise<T> {
	const response = await fetch(`${baseUrl}${queryPath(procedure, input)}`, {
		headers: cookie ? { cookie } : {}
	});
	return decode<T>(response, procedure);
}

export function queryPath(procedure: string, input: unknown): string {
	return `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
}

/** First-run setup of the admin; returns its session cookie. */
export async function setupAdmin(baseUrl: string, admin = ADMIN): Promise<string> {
	const response = await fetch(`${baseUrl}/api/trpc/auth.setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(superjson.serialize(admin))
	});
	await decode(response, 'auth.setup');
	return sessionCookie(response);
}

export async function login(
	baseUrl: string,
	admin: { email: string; password: string } = ADMIN
): Promise<string> {
	const response = await fetch(`${baseUrl}/api/trpc/auth.login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(superjson.serialize({ email: admin.email, password: admin.password }))
	});
	await decode(response, 'auth.login');
	return sessionCookie(response);
}

export interface Envelope {
	name: string;
	args: unknown;
}

/** The JSON text of a sync.push request: mutations numbered from `firstId`. */
export function pushBody(clientId: string, firstId: number, mutations: Envelope[]): string {
	const createdAt = new Date().toISOString();
	return JSON.stringify(
		superjson.serialize({
			clientId,
			schemaVersion: CLIENT_SCHEMA_VERSION,
			mutations: mutations.map((m, i) => ({
				id: firstId + i,
				name: m.name,
				args: m.args,
				createdAt
			}))
		})
	);
}

export function push(
	baseUrl: string,
	cookie: string,
	clientId: string,
	firstId: number,
	mutations: Envelope[]
) {
	return fetch(`${baseUrl}/api/trpc/sync.push`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: pushBody(clientId, firstId, mutations)
	}).then((response) => decode<PushResponse>(response, 'sync.push'));
}

export function pullInput(clientId: string, cursor: number, limit = 5000) {
	return { clientId, schemaVersion: CLIENT_SCHEMA_VERSION, cursor, limit, pendingFrom: null };
}

export function pull(
	baseUrl: string,
	cookie: string,
	clientId: string,
	cursor: number,
	limit?: number
) {
	return query<PullWireResponse>(baseUrl, 'sync.pull', pullInput(clientId, cursor, limit), cookie);
}

/** A `client.create` with a fresh id and a unique TradingView username. */
export function newClient(label: string): Envelope {
	const id = uuidv7();
	return {
		name: 'client.create',
		args: {
			id,
			fields: { tradingviewUsername: `${label}_${id.slice(-12)}`, fullName: `Client ${label}` }
		}
	};
}

/** Reads a tRPC push answer (autocannon hands the body as text). */
export function parsePushAnswer(text: string): PushResponse {
	const body = JSON.parse(text) as {
		result: { data: Parameters<typeof superjson.deserialize>[0] };
	};
	return superjson.deserialize<PushResponse>(body.result.data);
}
