import { and, eq, isNull } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { audit, type Actor, type RequestMeta } from '../audit';
import { now } from '../clock';
import type { Db } from '../db/client';
import { indicators } from '../db/schema';
import { pokeHub } from '../sync/pokes';
import type { TradingViewClient } from './client';

// The vendor's scripts on TradingView (issue 6 "Validation"): an indicator's PUB ID is valid when
// the connected account can manage it (`list_scripts`); "Import my scripts" fills the catalogue
// with the scripts' names and versions (`pubscripts-get`).

/** Marks every unverified PUB ID valid or invalid against the account's manageable scripts. */
export async function checkPubIds(db: Db, tv: TradingViewClient): Promise<number> {
	const pending = await db
		.select({ id: indicators.id, pubId: indicators.pubId })
		.from(indicators)
		.where(and(eq(indicators.pubIdState, 'unverified'), isNull(indicators.deletedAt)));
	if (pending.length === 0) return 0;
	const manageable = new Set(await tv.listScripts());
	for (const row of pending) {
		await db
			.update(indicators)
			.set({ pubIdState: manageable.has(row.pubId) ? 'valid' : 'invalid', updatedAt: now() })
			.where(
				and(
					eq(indicators.id, row.id),
					eq(indicators.pubId, row.pubId),
					eq(indicators.pubIdState, 'unverified')
				)
			);
	}
	pokeHub().poke();
	return pending.length;
}

export interface ImportResult {
	created: number;
	existing: number;
}

/** Adds an indicator for each manageable script the catalogue does not have yet (by PUB ID). */
export async function importScripts(
	db: Db,
	tv: TradingViewClient,
	actor: Actor,
	meta?: Partial<RequestMeta>
): Promise<ImportResult> {
	const ids = await tv.listScripts();
	const details = ids.length ? await tv.scriptDetails(ids) : [];
	const byId = new Map(details.map((d) => [d.pineId, d]));
	const result = await db.transaction(async (tx) => {
		const known = new Set(
			(
				await tx
					.select({ pubId: indicators.pubId })
					.from(indicators)
					.where(isNull(indicators.deletedAt))
			).map((r) => r.pubId)
		);
		const at = now();
		let created = 0;
		for (const pineId of ids) {
			if (known.has(pineId)) continue;
			const detail = byId.get(pineId);
			await tx.insert(indicators).values({
				id: uuidv7(),
				name: detail?.name ?? pineId,
				pubId: pineId,
				pubIdState: 'valid',
				releaseVersion: detail?.version ?? null,
				lastUpdatedAt: detail?.version ? at : null,
				status: 'production',
				description: null,
				createdAt: at,
				updatedAt: at
			});
			created += 1;
		}
		await audit(tx, {
			actor,
			action: 'tradingview.scripts.import',
			entity: 'indicators',
			after: { created, scripts: ids.length },
			meta
		});
		return { created, existing: ids.length - created };
	});
	if (result.created > 0) pokeHub().poke();
	return result;
}
