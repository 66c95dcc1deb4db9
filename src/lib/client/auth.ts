import type { SessionUser } from '$lib/shared/schemas/user';
import { isUnreachable } from './api-error';
import { trpc } from './trpc';

export type SessionCheck =
	| { kind: 'signedIn'; user: SessionUser }
	| { kind: 'signedOut'; needsSetup: boolean }
	| { kind: 'unreachable' };

/** How long the shell waits for the server before it boots from what this device remembers. */
const CHECK_TIMEOUT_MS = 6_000;

/**
 * Asks the server who is signed in (and whether first-run setup is pending) in one request.
 * Only an answer from the server decides "signed out"; a failed fetch is `unreachable`.
 */
export async function checkSession(): Promise<SessionCheck> {
	const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
	try {
		const [me, status] = await Promise.all([
			trpc.auth.me.query(undefined, { signal }),
			trpc.auth.status.query(undefined, { signal })
		]);
		if (me.user) return { kind: 'signedIn', user: me.user };
		return { kind: 'signedOut', needsSetup: status.needsSetup };
	} catch (error) {
		if (isUnreachable(error)) return { kind: 'unreachable' };
		throw error;
	}
}
