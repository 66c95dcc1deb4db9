import { auditFiltersSchema, auditListInput } from '$lib/shared/schemas/audit';
import { auditActions, exportAuditCsv, listAudit } from '../../audit-log';
import { procedure, router } from '../init';

// The admin audit log page (issue 7): read-only; entries are written where the changes happen.
export const auditRouter = router({
	list: procedure('admin')
		.input(auditListInput)
		.query(({ ctx, input }) => listAudit(ctx.db, input)),

	actions: procedure('admin').query(({ ctx }) => auditActions(ctx.db)),

	exportCsv: procedure('admin')
		.input(auditFiltersSchema)
		.query(({ ctx, input }) => exportAuditCsv(ctx.db, input))
});
