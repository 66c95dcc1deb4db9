import { and, desc, gte, ilike, like, lt, lte, eq, type SQL } from 'drizzle-orm';
import { toCsv } from '$lib/shared/csv';
import {
	auditCsvColumns,
	type AuditEntryView,
	type AuditFilters,
	type AuditListInput,
	type AuditPage
} from '$lib/shared/schemas/audit';
import type { Db } from './db/client';
import { auditLog } from './db/schema';

// Reading the audit log (admin): newest first, filtered, paged by id (UUIDv7, so time-ordered),
// and exported as CSV with the same filters.

/** Rows a CSV export holds at most; narrow the filters for more. */
export const AUDIT_EXPORT_LIMIT = 50_000;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function where(filters: AuditFilters, before?: string): SQL | undefined {
	const conditions: SQL[] = [];
	if (filters.action)
		conditions.push(
			filters.action.endsWith('.')
				? like(auditLog.action, `${escapeLike(filters.action)}%`)
				: eq(auditLog.action, filters.action)
		);
	if (filters.entity) conditions.push(eq(auditLog.entity, filters.entity));
	if (filters.actor) conditions.push(ilike(auditLog.actorLabel, `%${escapeLike(filters.actor)}%`));
	if (filters.from) conditions.push(gte(auditLog.at, new Date(filters.from)));
	if (filters.to) conditions.push(lte(auditLog.at, new Date(filters.to)));
	if (before) conditions.push(lt(auditLog.id, before));
	return conditions.length ? and(...conditions) : undefined;
}

function view(row: typeof auditLog.$inferSelect): AuditEntryView {
	return { ...row, at: row.at.toISOString() };
}

export async function listAudit(db: Db, input: AuditListInput): Promise<AuditPage> {
	const rows = await db
		.select()
		.from(auditLog)
		.where(where(input, input.before))
		.orderBy(desc(auditLog.id))
		.limit(input.limit + 1);
	const entries = rows.slice(0, input.limit).map(view);
	return { entries, next: rows.length > input.limit ? (entries.at(-1)?.id ?? null) : null };
}

/** The actions recorded so far, for the filter's choices. */
export async function auditActions(db: Db): Promise<string[]> {
	const rows = await db
		.selectDistinct({ action: auditLog.action })
		.from(auditLog)
		.orderBy(auditLog.action);
	return rows.map((r) => r.action);
}

const json = (value: unknown) =>
	value === null || value === undefined ? '' : JSON.stringify(value);

/** The filtered log as CSV (newest first), with a header row; at most AUDIT_EXPORT_LIMIT rows. */
export async function exportAuditCsv(
	db: Db,
	filters: AuditFilters
): Promise<{ csv: string; rows: number; truncated: boolean }> {
	const rows = await db
		.select()
		.from(auditLog)
		.where(where(filters))
		.orderBy(desc(auditLog.id))
		.limit(AUDIT_EXPORT_LIMIT + 1);
	const kept = rows.slice(0, AUDIT_EXPORT_LIMIT);
	const csv = toCsv([
		[...auditCsvColumns],
		...kept.map((r) => [
			r.at.toISOString(),
			r.actorLabel,
			r.action,
			r.entity,
			r.entityId ?? '',
			json(r.before),
			json(r.after),
			r.requestId ?? '',
			r.ip ?? ''
		])
	]);
	return { csv, rows: kept.length, truncated: rows.length > AUDIT_EXPORT_LIMIT };
}
