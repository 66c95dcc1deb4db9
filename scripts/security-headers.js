/**
 * Security headers for every response of the production server (scripts/serve.js).
 *
 * They are set by the HTTP server rather than in a SvelteKit hook because adapter-node serves
 * static files and prerendered pages (the app shell at `/`) with sirv, before SvelteKit's `handle`
 * runs. Content-Security-Policy is not here: SvelteKit computes it per page (kit.csp, hash mode)
 * and puts it in a header or, on prerendered pages, in a <meta> tag.
 */

/** @typedef {Record<string, string>} HeaderMap */

/** One year, the value HSTS preload lists expect. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The headers for this deployment. Strict-Transport-Security is sent only when the public origin is
 * HTTPS (`ORIGIN=https://…`): over plain http it is ignored by browsers anyway, and sending it from
 * a development machine on `localhost` would pin that name to HTTPS for a year.
 *
 * @param {{ origin?: string | undefined }} [options]
 * @returns {HeaderMap}
 */
export function securityHeaders(options = {}) {
	/** @type {HeaderMap} */
	const headers = {
		'X-Content-Type-Options': 'nosniff',
		'Referrer-Policy': 'strict-origin-when-cross-origin',
		'X-Frame-Options': 'DENY',
		'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
		'Cross-Origin-Opener-Policy': 'same-origin'
	};
	if (options.origin?.trim().toLowerCase().startsWith('https://')) {
		headers['Strict-Transport-Security'] = HSTS;
	}
	return headers;
}

/**
 * Sets the headers on a response that has not been written yet. Handlers that later call
 * `writeHead(status, headers)` (sirv, SvelteKit) merge with these; a value they set explicitly wins.
 *
 * @param {import('node:http').ServerResponse} res
 * @param {HeaderMap} headers
 */
export function applySecurityHeaders(res, headers) {
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}
