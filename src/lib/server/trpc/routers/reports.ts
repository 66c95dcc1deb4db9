import { rangeOf } from '$lib/shared/analytics-range';
import { analyticsInput } from '$lib/shared/schemas/analytics';
import { now } from '../../clock';
import { analyticsReportSql } from '../../reports/analytics';
import { procedure, router } from '../init';

// Reports computed by the server's SQL over the whole database (docs/analytics.md). The analytics
// page itself computes on the device and never calls these; they serve exports and checks.
export const reportsRouter = router({
	analytics: procedure('records.view')
		.input(analyticsInput)
		.query(({ ctx, input }) => {
			const at = now();
			return analyticsReportSql(ctx.db, { ...rangeOf(input, at), now: at });
		})
});
