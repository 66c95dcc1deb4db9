import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { checkSession } from '$lib/client/auth';
import { session } from '$lib/client/session.svelte';
import type { LayoutLoad } from './$types';

/**
 * The guard of every signed-in page. The server decides who is signed in; when it cannot be
 * reached (offline, server down, no answer within a few seconds) the shell boots with the user
 * this device last saw, so a reload without network never bounces to the login page.
 */
export const load: LayoutLoad = async () => {
	const check = await checkSession();
	if (check.kind === 'signedIn') {
		session.signIn(check.user);
		return {};
	}
	if (check.kind === 'unreachable') {
		if (session.user) {
			session.unverified = true;
			return {};
		}
		redirect(307, resolve('/login'));
	}
	// A definite answer: nobody is signed in here.
	session.signOut();
	redirect(307, check.needsSetup ? resolve('/setup') : resolve('/login'));
};
