import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { checkSession } from '$lib/client/auth';
import type { PageLoad } from './$types';

/** First-run setup exists only while there is no user at all; afterwards it is the login page. */
export const load: PageLoad = async () => {
	const check = await checkSession();
	if (check.kind === 'unreachable') return { offline: true };
	if (check.kind === 'signedIn' || !check.needsSetup) redirect(307, resolve('/login'));
	return { offline: false };
};
