/**
 * The API is same-origin only. A browser sends Origin on cross-site requests (and on every POST);
 * Sec-Fetch-Site covers GETs from other sites that carry no Origin.
 */
export function isForeignOrigin(request: Request, url: URL): boolean {
	if (!url.pathname.startsWith('/api/')) return false;
	const origin = request.headers.get('origin');
	if (origin && origin !== url.origin) return true;
	const site = request.headers.get('sec-fetch-site');
	return site === 'cross-site' || site === 'same-site';
}
