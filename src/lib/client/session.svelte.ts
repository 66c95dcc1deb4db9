import { browser } from '$app/environment';
import { roles } from '$lib/shared/permissions';
import type { SessionUser } from '$lib/shared/schemas/user';
import { readStored, writeStored } from './storage';

const STORAGE_KEY = 'pinegate.user';

function isSessionUser(value: unknown): value is SessionUser {
	if (typeof value !== 'object' || value === null) return false;
	const user = value as Record<string, unknown>;
	return (
		typeof user.id === 'string' &&
		typeof user.email === 'string' &&
		typeof user.name === 'string' &&
		(roles as readonly unknown[]).includes(user.role)
	);
}

function readUser(): SessionUser | null {
	if (!browser) return null;
	try {
		const parsed: unknown = JSON.parse(readStored(STORAGE_KEY) ?? 'null');
		return isSessionUser(parsed) ? parsed : null;
	} catch {
		return null;
	}
}

class SessionState {
	/**
	 * The signed-in user. Kept in localStorage so the shell still renders when the server cannot be
	 * reached; the server stays the judge: a definite "not signed in" answer clears it.
	 */
	user = $state<SessionUser | null>(readUser());
	/** True when the user above comes from this device only, because the server was unreachable. */
	unverified = $state(false);

	signIn(user: SessionUser): void {
		const { id, email, name, role } = user;
		this.user = { id, email, name, role };
		this.unverified = false;
		writeStored(STORAGE_KEY, JSON.stringify(this.user));
	}

	signOut(): void {
		this.user = null;
		this.unverified = false;
		writeStored(STORAGE_KEY, null);
	}
}

export const session = new SessionState();
