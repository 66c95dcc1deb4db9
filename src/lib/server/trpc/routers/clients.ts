import { and, asc, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ClientRow } from '$lib/shared/schemas/client';
import { clients } from '../../db/schema';
import { toWireRow } from '../../sync/tables';
import { procedure, router } from '../init';

/**
 * Server-side client queries. The app itself searches IndexedDB (offline, instant); this is for
 * integrations and reports, and is the online-only baseline `npm run bench:sync` compares against.
 */
export const clientsRouter = router({
	search: procedure('records.view')
		.input(
			z.object({
				q: z.string().trim().max(200).default(''),
				limit: z.number().int().min(1).max(200).default(50)
			})
		)
		.query(async ({ ctx, input }) => {
			const pattern = `%${input.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
			const rows = await ctx.db
				.select()
				.from(clients)
				.where(
					and(
						isNull(clients.deletedAt),
						input.q
							? or(
									sql`lower(${clients.fullName}) like ${pattern}`,
									sql`lower(${clients.email}) like ${pattern}`,
									sql`lower(${clients.tradingviewUsername}) like ${pattern}`
								)
							: undefined
					)
				)
				.orderBy(asc(clients.fullName))
				.limit(input.limit);
			return rows.map((row) => toWireRow('clients', row) as ClientRow);
		})
});
