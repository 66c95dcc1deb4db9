import { describe, expect, it } from 'vitest';
import { auditFiltersOf, emptyAuditForm } from './audit-filters';

describe('audit log filters from the form', () => {
	it('leaves out empty fields and trims text', () => {
		expect(auditFiltersOf(emptyAuditForm())).toEqual({
			action: undefined,
			entity: undefined,
			actor: undefined,
			from: undefined,
			to: undefined
		});
		expect(
			auditFiltersOf({ ...emptyAuditForm(), actor: '  ana@ ', entity: ' accesses' })
		).toMatchObject({
			actor: 'ana@',
			entity: 'accesses'
		});
	});

	it('takes whole local days: from its midnight to the last millisecond of "to"', () => {
		const { from, to } = auditFiltersOf({
			...emptyAuditForm(),
			from: '2026-03-01',
			to: '2026-03-02'
		});
		expect(new Date(from ?? '').getTime()).toBe(new Date(2026, 2, 1).getTime());
		expect(new Date(to ?? '').getTime()).toBe(new Date(2026, 2, 3).getTime() - 1);
	});
});
