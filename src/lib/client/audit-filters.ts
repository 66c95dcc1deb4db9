import type { AuditFilters } from '$lib/shared/schemas/audit';

export interface AuditForm {
	action: string;
	entity: string;
	actor: string;
	/** `YYYY-MM-DD` from a date input, or ''. */
	from: string;
	to: string;
}

export const emptyAuditForm = (): AuditForm => ({
	action: '',
	entity: '',
	actor: '',
	from: '',
	to: ''
});

/** Local midnight of a `YYYY-MM-DD` day, `days` later. */
function localDay(value: string, days: number): Date {
	const [y, m, d] = value.split('-').map(Number);
	return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days);
}

/**
 * The audit filters of the form: dates are whole days in the browser's timezone, and "to"
 * includes its whole day (up to the last millisecond before the next midnight).
 */
export function auditFiltersOf(form: AuditForm): AuditFilters {
	return {
		action: form.action || undefined,
		entity: form.entity.trim() || undefined,
		actor: form.actor.trim() || undefined,
		from: form.from ? localDay(form.from, 0).toISOString() : undefined,
		to: form.to ? new Date(localDay(form.to, 1).getTime() - 1).toISOString() : undefined
	};
}
