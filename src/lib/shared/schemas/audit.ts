import { z } from 'zod';
import { isoTimestamp } from './common';

// The admin audit log's filters and answers (issue 7).

/** An empty filter is no filter. */
const optionalFilter = z.string().trim().max(100).optional();

export const auditFiltersSchema = z.object({
	/** Exact action (`access.grant`), or a prefix ending with a dot (`auth.`). */
	action: optionalFilter,
	entity: optionalFilter,
	/** Matches the actor's label (e-mail or `system`), case-insensitively, anywhere. */
	actor: optionalFilter,
	from: isoTimestamp.optional(),
	to: isoTimestamp.optional()
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export const auditListInput = auditFiltersSchema.extend({
	/** The last entry id of the previous page (ids are time-ordered UUIDv7). */
	before: z.uuid().optional(),
	limit: z.number().int().min(1).max(200).default(50)
});
export type AuditListInput = z.infer<typeof auditListInput>;

export interface AuditEntryView {
	id: string;
	at: string;
	actorId: string | null;
	actorLabel: string;
	action: string;
	entity: string;
	entityId: string | null;
	before: unknown;
	after: unknown;
	requestId: string | null;
	ip: string | null;
}

export interface AuditPage {
	entries: AuditEntryView[];
	/** Pass as `before` for the next page, or null at the end. */
	next: string | null;
}

/** The CSV export's columns, in order. */
export const auditCsvColumns = [
	'at',
	'actor',
	'action',
	'entity',
	'entity_id',
	'before',
	'after',
	'request_id',
	'ip'
] as const;
