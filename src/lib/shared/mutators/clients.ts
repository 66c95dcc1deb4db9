import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { clientFieldsSchema, clientPatchSchema, type ClientRow } from '../schemas/client';
import { uuidSchema } from '../schemas/common';
import { defineMutator, reject, type MutationTx } from '../sync/mutator';
import { isOpenGrant } from './rules';

const baseSchema = z.number().int().nonnegative().nullable();

async function assertUnique(
	tx: MutationTx,
	fields: { tradingviewUsername?: string; email?: string | null },
	selfId: string
) {
	if (fields.tradingviewUsername !== undefined) {
		const [other] = (
			await tx.findBy('clients', 'tradingviewUsername', fields.tradingviewUsername, {
				ci: true,
				limit: 2
			})
		).filter((row) => row.id !== selfId);
		if (other)
			reject('USERNAME_TAKEN', { clientId: other.id, username: other.tradingviewUsername });
	}
	if (fields.email) {
		const [other] = (
			await tx.findBy('clients', 'email', fields.email, { ci: true, limit: 2 })
		).filter((row) => row.id !== selfId);
		if (other) reject('CLIENT_EMAIL_TAKEN', { clientId: other.id, email: fields.email });
	}
}

async function liveClient(tx: MutationTx, id: string): Promise<ClientRow> {
	const row = await tx.get('clients', id);
	if (row) return row;
	return reject((await tx.isDeleted('clients', id)) ? 'RECORD_DELETED' : 'NOT_FOUND', {
		entity: 'clients'
	});
}

export const clientCreate = defineMutator({
	name: 'client.create',
	args: z.object({ id: uuidSchema, fields: clientFieldsSchema }),
	permission: 'clients.edit',
	target: (args) => ({ entity: 'clients', id: args.id }),
	async apply(tx, { id, fields }, ctx) {
		if ((await tx.get('clients', id)) || (await tx.isDeleted('clients', id)))
			reject('ALREADY_EXISTS');
		await assertUnique(tx, fields, id);
		const at = ctx.now.toISOString();
		await tx.insert('clients', {
			id,
			...fields,
			tvUsernameState: 'unverified',
			// The server's clock decides when a client registered; a device's value is provisional.
			registeredAt: at,
			createdAt: at,
			updatedAt: at
		});
		// "New client" for the team, written by the server only (a device would show it to its
		// own author first). Its author sees it as read (`byUserId`, see the notification feed).
		if (ctx.side === 'server')
			await tx.insert('notifications', {
				id: uuidv7(),
				kind: 'new_client',
				entity: 'clients',
				entityId: id,
				data: { byUserId: ctx.actor.userId },
				at,
				userId: null
			});
	}
});

export const clientUpdate = defineMutator({
	name: 'client.update',
	args: z.object({ id: uuidSchema, base: baseSchema, patch: clientPatchSchema }),
	permission: 'clients.edit',
	target: (args) => ({ entity: 'clients', id: args.id }),
	async apply(tx, { id, base, patch }, ctx) {
		const row = await liveClient(tx, id);
		await assertUnique(tx, patch, id);
		const usernameChanged =
			patch.tradingviewUsername !== undefined &&
			patch.tradingviewUsername !== row.tradingviewUsername;
		await tx.update(
			'clients',
			id,
			{
				...patch,
				// A new username has not been checked against TradingView yet.
				...(usernameChanged ? { tvUsernameState: 'unverified' as const } : {}),
				updatedAt: ctx.now.toISOString()
			},
			{ base }
		);
	}
});

export const clientDelete = defineMutator({
	name: 'client.delete',
	args: z.object({ id: uuidSchema }),
	permission: 'clients.delete',
	target: (args) => ({ entity: 'clients', id: args.id }),
	async apply(tx, { id }, ctx) {
		const row = await tx.get('clients', id);
		if (!row) {
			if (await tx.isDeleted('clients', id)) return; // already gone: deleting twice is not an error
			reject('NOT_FOUND', { entity: 'clients' });
		}
		const open = (await tx.findBy('accesses', 'clientId', id)).filter((grant) =>
			isOpenGrant(grant, ctx.now)
		);
		if (open.length > 0) reject('HAS_OPEN_GRANTS', { count: open.length });
		await tx.delete('clients', id);
	}
});
