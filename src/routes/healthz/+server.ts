import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import type { RequestHandler } from './$types';
import { version } from '$app/environment';
import { runtimeInfo } from '$lib/server/runtime';
import { now } from '$lib/server/clock';
import { log } from '$lib/server/log';

export const GET: RequestHandler = async () => {
	const { database, startedAt } = await runtimeInfo();
	let databaseOk = false;
	try {
		await database.db.execute(sql`select 1`);
		databaseOk = true;
	} catch (error) {
		log.error({ err: error }, 'health check: database unreachable');
	}
	const body = {
		status: databaseOk ? 'ok' : 'degraded',
		database: { kind: database.kind, reachable: databaseOk },
		version,
		uptimeSeconds: Math.round((now().getTime() - startedAt.getTime()) / 1000)
	};
	return json(body, { status: databaseOk ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
