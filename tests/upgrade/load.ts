/**
 * autocannon (9.0, no type declarations of its own) typed for what the rolling test and the load
 * bench use, plus the two loads they drive: devices pushing fresh mutations and devices pulling.
 *
 * Each autocannon connection is one device with its own client id. autocannon sends a connection's
 * requests one after another (pipelining 1), so numbering its mutations 1, 2, 3… never leaves a
 * gap, which the sync protocol would refuse (docs/sync.md, Order).
 */
import { createRequire } from 'node:module';
import { uuidv7 } from 'uuidv7';
import { newClient, parsePushAnswer, pullInput, pushBody, queryPath } from './api';

interface Request {
	method?: string;
	path?: string;
	headers?: Record<string, string>;
	body?: string;
	setupRequest?: (request: Request) => Request;
	onResponse?: (status: number, body: string) => void;
}

interface Client {
	setRequests(requests: Request[]): void;
}

export interface Options {
	url: string;
	connections: number;
	duration?: number;
	amount?: number;
	timeout?: number;
	headers?: Record<string, string>;
	setupClient?: (client: Client) => void;
	requests?: Request[];
}

interface Histogram {
	average: number;
	mean: number;
	min: number;
	max: number;
	p50: number;
	p90: number;
	p99: number;
	total: number;
	sent: number;
}

export interface Result {
	duration: number;
	errors: number;
	timeouts: number;
	non2xx: number;
	resets: number;
	'2xx': number;
	statusCodeStats: Record<string, { count: number }>;
	latency: Histogram;
	requests: Histogram;
}

export interface Instance extends PromiseLike<Result> {
	stop(): void;
}

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (options: Options) => Instance;

export function run(options: Options): Instance {
	return autocannon({ timeout: 10, ...options });
}

export interface PushLoad {
	options: Options;
	/** Per device: the mutation ids sent and those answered `applied`. */
	devices: Map<string, { sent: number; applied: number }>;
	/** Ids of the clients created by answered, applied mutations. */
	appliedClientIds: string[];
	/** Push answers that were 2xx but not `ok` with every mutation applied (must stay empty). */
	refusals: string[];
}

/** Devices that each push `batch` new clients per request, numbered without gaps. */
export function pushLoad(url: string, cookie: string, connections: number, batch = 1): PushLoad {
	const load: PushLoad = {
		devices: new Map(),
		appliedClientIds: [],
		refusals: [],
		options: { url, connections }
	};
	load.options.setupClient = (client) => {
		const clientId = uuidv7();
		const device = { sent: 0, applied: 0 };
		load.devices.set(clientId, device);
		const inFlight: string[][] = [];
		client.setRequests([
			{
				method: 'POST',
				path: '/api/trpc/sync.push',
				headers: { 'content-type': 'application/json', cookie },
				setupRequest: (request) => {
					const mutations = Array.from({ length: batch }, () => newClient('load'));
					inFlight.push(mutations.map((m) => (m.args as { id: string }).id));
					const body = pushBody(clientId, device.sent + 1, mutations);
					device.sent += batch;
					return { ...request, body };
				},
				onResponse: (status, body) => {
					const ids = inFlight.shift() ?? [];
					if (status < 200 || status > 299) return; // counted by autocannon as non-2xx
					const answer = parsePushAnswer(body);
					if (answer.status !== 'ok' || answer.results.some((r) => r.outcome !== 'applied')) {
						load.refusals.push(body.slice(0, 300));
						return;
					}
					device.applied += answer.results.length;
					load.appliedClientIds.push(...ids);
				}
			}
		]);
	};
	return load;
}

/** Devices that pull `limit` rows from `cursor` again and again. */
export function pullLoad(
	url: string,
	cookie: string,
	connections: number,
	cursor: number,
	limit: number
): Options {
	return {
		url,
		connections,
		setupClient: (client) => {
			client.setRequests([
				{
					method: 'GET',
					path: queryPath('sync.pull', pullInput(uuidv7(), cursor, limit)),
					headers: { cookie }
				}
			]);
		}
	};
}

/** One line of figures: requests, requests/s, latency percentiles. */
export function summary(result: Result): string {
	return (
		`${result.requests.total} requests in ${result.duration.toFixed(1)} s, ` +
		`${result.requests.average.toFixed(0)} req/s, latency p50 ${result.latency.p50} ms, ` +
		`p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ` +
		`non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`
	);
}
