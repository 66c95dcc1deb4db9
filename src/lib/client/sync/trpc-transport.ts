import { TRPCClientError, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '$lib/server/trpc/router';
import type { ErrorCode } from '$lib/shared/errors';
import {
	decodePullResponse,
	decodeSnapshotPiece,
	type PullRequest,
	type PullResponse,
	type PushRequest,
	type PushResponse,
	type SnapshotRequest,
	type SnapshotPiece
} from '$lib/shared/sync/protocol';
import { HttpStatusError, trpc } from '../trpc';
import { classifyStatus, TransportError, type Transport } from './transport';

/** How long one push or pull may take before it counts as a timeout (and is retried). */
export const SYNC_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Answers to a sync call that mean this session can no longer sync: the account was disabled or
 * lost the right to view records. Like a 401, they pause the queue until someone logs in again.
 */
const SESSION_UNUSABLE: ReadonlySet<ErrorCode> = new Set(['ACCOUNT_DISABLED', 'FORBIDDEN']);

interface ErrorShapeData {
	httpStatus?: number;
	appCode?: ErrorCode;
	params?: Record<string, string | number>;
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(
	value: string | null | undefined,
	nowMs: number = Date.now()
): number | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
	const at = Date.parse(trimmed);
	return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function errorName(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null
		? (error as { name?: unknown }).name?.toString()
		: undefined;
}

function responseOf(error: TRPCClientError<AppRouter>): Response | undefined {
	const response = error.meta?.response;
	return response instanceof Response ? response : undefined;
}

/**
 * Maps whatever a sync call threw to the engine's retry classes (docs/sync.md has the table):
 * no answer at all → network; our own deadline or an abort → timeout; an HTTP answer → by status
 * (401 → auth, 408 → timeout, 429 and 5xx → server, other 4xx → client), except that a 403
 * saying the account is disabled or forbidden pauses like a 401.
 */
export function toTransportError(error: unknown, timedOut = false): TransportError {
	if (error instanceof TransportError) return error;
	if (timedOut) return new TransportError('timeout', 'no answer from the server in time');
	if (error instanceof TRPCClientError) {
		const clientError = error as TRPCClientError<AppRouter>;
		const data = clientError.data as ErrorShapeData | undefined;
		const response = responseOf(clientError);
		const status = data?.httpStatus ?? response?.status;
		const code = data?.appCode;
		if (code && SESSION_UNUSABLE.has(code)) return new TransportError('auth', code, 403);
		if (status !== undefined && status >= 400) {
			const kind = classifyStatus(status);
			let retryAfterMs: number | undefined;
			if (status === 429 || status === 503) {
				retryAfterMs = parseRetryAfter(response?.headers.get('retry-after'));
				const minutes = data?.params?.minutes;
				if (retryAfterMs === undefined && typeof minutes === 'number')
					retryAfterMs = minutes * 60_000;
			}
			return new TransportError(kind, code ?? `HTTP ${status}`, status, retryAfterMs);
		}
		if (clientError.cause) return toTransportError(clientError.cause);
		return new TransportError('network', clientError.message);
	}
	if (error instanceof HttpStatusError) {
		const retryAfterMs =
			error.status === 429 || error.status === 503 ? parseRetryAfter(error.retryAfter) : undefined;
		return new TransportError(
			classifyStatus(error.status),
			error.message,
			error.status,
			retryAfterMs
		);
	}
	const name = errorName(error);
	if (name === 'AbortError' || name === 'TimeoutError') {
		return new TransportError('timeout', 'the request was aborted');
	}
	const message = error instanceof Error ? error.message : String(error);
	// fetch rejects with a TypeError when there is no network; anything else without an answer
	// from the server is treated the same: retried with backoff.
	return new TransportError('network', message);
}

export interface TrpcTransportOptions {
	client?: TRPCClient<AppRouter>;
	timeoutMs?: number;
}

/** The engine's Transport over the app's tRPC client: `sync.push`, `sync.pull` and `sync.snapshot`. */
export class TrpcTransport implements Transport {
	private readonly client: TRPCClient<AppRouter>;
	private readonly timeoutMs: number;

	constructor(options: TrpcTransportOptions = {}) {
		this.client = options.client ?? trpc;
		this.timeoutMs = options.timeoutMs ?? SYNC_REQUEST_TIMEOUT_MS;
	}

	push(request: PushRequest): Promise<PushResponse> {
		return this.call((signal) => this.client.sync.push.mutate(request, { signal }));
	}

	pull(request: PullRequest): Promise<PullResponse> {
		return this.call(async (signal) =>
			decodePullResponse(await this.client.sync.pull.query(request, { signal }))
		);
	}

	snapshot(request: SnapshotRequest): Promise<SnapshotPiece> {
		return this.call(async (signal) =>
			decodeSnapshotPiece(await this.client.sync.snapshot.query(request, { signal }), request.slice)
		);
	}

	private async call<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
		const controller = new AbortController();
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			controller.abort();
		}, this.timeoutMs);
		try {
			return await run(controller.signal);
		} catch (error) {
			throw toTransportError(error, timedOut);
		} finally {
			clearTimeout(timer);
		}
	}
}

export interface PokeHandlers {
	/** A poke arrived ("pull now"); the first one comes as soon as the stream is open. */
	onPoke(): void;
	/** The stream failed; the caller decides when to subscribe again. */
	onError(error: TransportError): void;
}

/** Listens to `sync.pokes` over SSE. Returns the unsubscribe function. */
export function subscribePokes(
	handlers: PokeHandlers,
	client: TRPCClient<AppRouter> = trpc
): () => void {
	const subscription = client.sync.pokes.subscribe(undefined, {
		onData: () => handlers.onPoke(),
		onError: (error) => handlers.onError(toTransportError(error))
	});
	return () => subscription.unsubscribe();
}
