import { uuidv7 } from 'uuidv7';
import type { Db } from '../../src/lib/server/db/client';
import { pull } from '../../src/lib/server/sync/pull';
import { push } from '../../src/lib/server/sync/push';
import type { SessionUser } from '../../src/lib/shared/schemas/user';
import {
	CLIENT_SCHEMA_VERSION,
	type MutationEnvelope,
	type PullResponse
} from '../../src/lib/shared/sync/protocol';
import { insertUser } from './trpc';
import type { Role } from '../../src/lib/shared/permissions';

export async function makeUser(db: Db, role: Role = 'admin'): Promise<SessionUser> {
	const user = await insertUser(db, role);
	return { id: user.id, email: user.email, name: 'Test', role };
}

export function envelope(id: number, name: string, args: unknown): MutationEnvelope {
	return { id, name, args, createdAt: new Date().toISOString() };
}

export function clientArgs(overrides: Record<string, unknown> = {}) {
	const id = uuidv7();
	return {
		id,
		fields: { tradingviewUsername: `user_${id.slice(-12)}`, fullName: 'Test Client', ...overrides }
	};
}

/** Pulls every page from the cursor and returns the merged result (as a device would store it). */
export async function pullAll(
	db: Db,
	user: SessionUser,
	clientId: string,
	cursor = 0,
	limit = 1000
) {
	const pages: Array<Extract<PullResponse, { status: 'ok' }>> = [];
	for (;;) {
		const page = await pull(db, user, {
			clientId,
			schemaVersion: CLIENT_SCHEMA_VERSION,
			cursor,
			limit
		});
		if (page.status !== 'ok') throw new Error(`pull ${page.status}`);
		pages.push(page);
		cursor = page.cursor;
		if (!page.more) return { pages, cursor, last: page };
	}
}

export function pushOne(
	db: Db,
	user: SessionUser,
	clientId: string,
	mutations: MutationEnvelope[]
) {
	return push(db, user, { clientId, schemaVersion: CLIENT_SCHEMA_VERSION, mutations });
}
