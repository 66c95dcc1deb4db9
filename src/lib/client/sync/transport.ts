import type {
	PullRequest,
	PullResponse,
	PushRequest,
	PushResponse,
	SnapshotPiece,
	SnapshotRequest
} from '$lib/shared/sync/protocol';

/**
 * How a failed request is treated (docs/sync.md has the table):
 * - network, timeout, server (5xx, 429): transient — retried with capped exponential backoff and jitter;
 * - auth (401, or 403 for a disabled account): the queue pauses until the person logs in again;
 * - client (other 4xx): a bug or a version mismatch — retried slowly and shown as an error.
 */
export type TransportErrorKind = 'network' | 'timeout' | 'server' | 'auth' | 'client';

export class TransportError extends Error {
	override name = 'TransportError';
	constructor(
		readonly kind: TransportErrorKind,
		message: string,
		readonly status?: number,
		readonly retryAfterMs?: number
	) {
		super(message);
	}
}

export function classifyStatus(status: number): TransportErrorKind {
	if (status === 401) return 'auth';
	if (status === 408) return 'timeout';
	if (status === 429 || status >= 500) return 'server';
	return 'client';
}

export function isTransient(kind: TransportErrorKind): boolean {
	return kind === 'network' || kind === 'timeout' || kind === 'server';
}

export interface Transport {
	push(request: PushRequest): Promise<PushResponse>;
	pull(request: PullRequest): Promise<PullResponse>;
	/** A first sync's pieces (docs/decisions.md §24); without it, a first sync pulls pages. */
	snapshot?(request: SnapshotRequest): Promise<SnapshotPiece>;
}
