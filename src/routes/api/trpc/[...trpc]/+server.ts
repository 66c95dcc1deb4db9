import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/runtime';
import { createContext } from '$lib/server/trpc/context';
import { appRouter } from '$lib/server/trpc/router';

const handler: RequestHandler = async (event) => {
	const { db } = await getDatabase();
	return fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: ({ req, resHeaders }) =>
			createContext({
				db,
				req,
				resHeaders,
				meta: {
					ip: event.getClientAddress(),
					userAgent: req.headers.get('user-agent'),
					requestId: event.locals.requestId
				}
			})
	});
};

export const GET = handler;
export const POST = handler;
