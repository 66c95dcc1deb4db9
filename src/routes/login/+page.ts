import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { checkSession } from '$lib/client/auth';
import { session } from '$lib/client/session.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async () => {
	const check = await checkSession();
	if (check.kind === 'signedIn') {
		session.signIn(check.user);
		redirect(307, resolve('/'));
	}
	if (check.kind === 'signedOut' && check.needsSetup) redirect(307, resolve('/setup'));
	// A stale copy of a user whose session the server no longer knows is worth nothing.
	if (check.kind === 'signedOut') session.signOut();
	return { offline: check.kind === 'unreachable' };
};
