import { z } from 'zod';
import { AppError } from '$lib/shared/errors';
import { uuidSchema } from '$lib/shared/schemas/common';
import { retryGrantSync } from '../../tradingview/sync/queue';
import { procedure, router } from '../init';

// Grants on the server, beyond the mutators: "Retry now" for a grant TradingView has not verified.
export const accessesRouter = router({
	retryTvSync: procedure('access.renew')
		.input(z.object({ id: uuidSchema }))
		.mutation(async ({ ctx, input }) => {
			if (!(await retryGrantSync(ctx.db, input.id)))
				throw new AppError('NOT_FOUND', { entity: 'accesses' });
			return { ok: true as const };
		})
});
