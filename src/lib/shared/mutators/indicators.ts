import { z } from 'zod';
import { optionalText, uuidSchema } from '../schemas/common';
import { indicatorFieldsSchema, indicatorPatchSchema } from '../schemas/indicator';
import { defineMutator, reject, type MutationTx } from '../sync/mutator';

async function assertPubIdFree(tx: MutationTx, pubId: string | undefined, selfId: string) {
	if (pubId === undefined) return;
	const [other] = (await tx.findBy('indicators', 'pubId', pubId, { limit: 2 })).filter(
		(row) => row.id !== selfId
	);
	if (other) reject('PUB_ID_TAKEN', { indicatorId: other.id, pubId });
}

export const indicatorCreate = defineMutator({
	name: 'indicator.create',
	args: z.object({ id: uuidSchema, fields: indicatorFieldsSchema }),
	permission: 'indicators.manage',
	target: (args) => ({ entity: 'indicators', id: args.id }),
	async apply(tx, { id, fields }, ctx) {
		if ((await tx.get('indicators', id)) || (await tx.isDeleted('indicators', id)))
			reject('ALREADY_EXISTS');
		await assertPubIdFree(tx, fields.pubId, id);
		const at = ctx.now.toISOString();
		await tx.insert('indicators', {
			id,
			...fields,
			pubIdState: 'unverified',
			lastUpdatedAt: fields.releaseVersion ? at : null,
			createdAt: at,
			updatedAt: at
		});
	}
});

export const indicatorUpdate = defineMutator({
	name: 'indicator.update',
	args: z.object({
		id: uuidSchema,
		base: z.number().int().nonnegative().nullable(),
		patch: indicatorPatchSchema
	}),
	permission: 'indicators.manage',
	target: (args) => ({ entity: 'indicators', id: args.id }),
	async apply(tx, { id, base, patch }, ctx) {
		const row = await tx.get('indicators', id);
		if (!row)
			reject((await tx.isDeleted('indicators', id)) ? 'RECORD_DELETED' : 'NOT_FOUND', {
				entity: 'indicators'
			});
		await assertPubIdFree(tx, patch.pubId, id);
		const at = ctx.now.toISOString();
		await tx.update(
			'indicators',
			id,
			{
				...patch,
				...(patch.pubId !== undefined && patch.pubId !== row.pubId
					? { pubIdState: 'unverified' as const }
					: {}),
				...(patch.releaseVersion !== undefined && patch.releaseVersion !== row.releaseVersion
					? { lastUpdatedAt: at }
					: {}),
				updatedAt: at
			},
			{ base }
		);
	}
});

export const indicatorRelease = defineMutator({
	name: 'indicator.release',
	args: z.object({
		/** The new indicator_versions row. */
		id: uuidSchema,
		indicatorId: uuidSchema,
		releaseVersion: z
			.string({ error: 'validation.required' })
			.trim()
			.min(1, { error: 'validation.required' })
			.max(50, { error: 'validation.tooLong' }),
		notes: optionalText(10_000)
	}),
	permission: 'indicators.manage',
	target: (args) => ({ entity: 'indicators', id: args.indicatorId }),
	async apply(tx, { id, indicatorId, releaseVersion, notes }, ctx) {
		const indicator = await tx.get('indicators', indicatorId);
		if (!indicator)
			reject((await tx.isDeleted('indicators', indicatorId)) ? 'RECORD_DELETED' : 'NOT_FOUND', {
				entity: 'indicators'
			});
		const released = await tx.findBy('indicatorVersions', 'indicatorId', indicatorId);
		if (released.some((v) => v.releaseVersion === releaseVersion))
			reject('VERSION_EXISTS', { version: releaseVersion });
		const at = ctx.now.toISOString();
		await tx.insert('indicatorVersions', {
			id,
			indicatorId,
			releaseVersion,
			releasedAt: at,
			notes
		});
		await tx.update('indicators', indicatorId, {
			releaseVersion,
			lastUpdatedAt: at,
			updatedAt: at
		});
	}
});
