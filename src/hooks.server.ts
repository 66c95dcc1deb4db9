import { randomUUID } from 'node:crypto';
import { building } from '$app/environment';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { log, requestScope } from '$lib/server/log';
import { startRuntime } from '$lib/server/runtime';
import { isForeignOrigin } from '$lib/server/origin';

export const init: ServerInit = async () => {
	if (building) return;
	await startRuntime();
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

export const handle: Handle = async ({ event, resolve }) => {
	const incoming = event.request.headers.get('x-request-id');
	const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
	event.locals.requestId = requestId;
	return requestScope.run({ requestId }, async () => {
		const started = performance.now();
		let response: Response;
		if (isForeignOrigin(event.request, event.url)) {
			log.warn(
				{ origin: event.request.headers.get('origin'), path: event.url.pathname },
				'foreign origin refused'
			);
			response = new Response(
				JSON.stringify({
					error: { code: 'FOREIGN_ORIGIN', message: 'Cross-origin requests are not allowed.' }
				}),
				{ status: 403, headers: { 'content-type': 'application/json' } }
			);
		} else {
			response = await resolve(event);
		}
		response.headers.set('x-request-id', requestId);
		log.info(
			{
				method: event.request.method,
				path: event.url.pathname,
				status: response.status,
				ms: Math.round(performance.now() - started)
			},
			'request'
		);
		return response;
	});
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) log.error({ err: error, path: event.url.pathname }, 'unhandled server error');
	return {
		message: status === 404 ? 'Not found' : 'Internal error',
		requestId: event.locals.requestId
	};
};
