import { createTRPCClient, httpBatchLink, loggerLink, TRPCClientError } from '@trpc/client';
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
		httpBatchLink({ url: '/api/trpc', transformer: superjson })
	]
});
