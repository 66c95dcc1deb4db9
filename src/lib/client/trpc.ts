import {
	createTRPCClient,
	httpBatchLink,
	httpSubscriptionLink,
	loggerLink,
	splitLink,
	TRPCClientError
} from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '$lib/server/trpc/router';
import type { ErrorCode } from '$lib/shared/errors';

export type ApiError = TRPCClientError<AppRouter>;

/** Codes after which the session is gone for good: the user must log in again. */
const SESSION_LOST: ReadonlySet<ErrorCode> = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED']);

let sessionLostHandler: (() => void) | null = null;

/** Who to tell when any call answers "not signed in" (the app shell sends the user to log in). */
export function onSessionLost(handler: (() => void) | null): void {
	sessionLostHandler = handler;
}

export function appCodeOf(error: unknown): ErrorCode | undefined {
	return error instanceof TRPCClientError ? (error as ApiError).data?.appCode : undefined;
}

/**
 * An error answer that is not tRPC's JSON (a proxy's or gateway's error page, a bare 429): tRPC would
 * report only "Unexpected token <"; this keeps the HTTP status and Retry-After for the sync engine.
 */
export class HttpStatusError extends Error {
	override name = 'HttpStatusError';
	constructor(
		readonly status: number,
		readonly retryAfter: string | null
	) {
		super(`HTTP ${status}`);
	}
}

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Wraps fetch so that non-JSON error answers fail as an HttpStatusError (see above). */
export function keepingStatus(fetchImpl: Fetch = (input, init) => fetch(input, init)): Fetch {
	return async (input, init) => {
		const response = await fetchImpl(input, init);
		const json = (response.headers.get('content-type') ?? '').includes('json');
		if (!response.ok && !json) {
			throw new HttpStatusError(response.status, response.headers.get('retry-after'));
		}
		return response;
	};
}

export const trpc = createTRPCClient<AppRouter>({
	links: [
		// Not a logger: the one place that sees every failed call, so a lost session is noticed once.
		loggerLink({
			enabled: (opts) => opts.direction === 'down' && opts.result instanceof Error,
			logger: (opts) => {
				if (opts.direction !== 'down' || !(opts.result instanceof Error)) return;
				const code = appCodeOf(opts.result);
				if (code && SESSION_LOST.has(code)) sessionLostHandler?.();
			}
		}),
		// Subscriptions (sync pokes) stream over Server-Sent Events; everything else is batched HTTP.
		splitLink({
			condition: (op) => op.type === 'subscription',
			true: httpSubscriptionLink({ url: '/api/trpc', transformer: superjson }),
			false: httpBatchLink({ url: '/api/trpc', transformer: superjson, fetch: keepingStatus() })
		})
	]
});
