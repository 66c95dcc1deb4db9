import { describe, expect, it } from 'vitest';
import { AppError } from '$lib/shared/errors';
import { mutationMessage } from './errors';

describe('grant form messages', () => {
	it('say what was refused, with its parameters, in the user language', () => {
		expect(
			mutationMessage(new AppError('INDICATOR_RETIRED', { indicator: 'Trend Pro' }), 'en')
		).toBe('Trend Pro is retired: it takes no new grants or renewals. Choose another indicator.');
		expect(mutationMessage(new AppError('GRANT_REVOKED'), 'es')).toMatch(/^Este acceso se revocó/);
	});
	it('name a validation issue by its message key', () => {
		expect(
			mutationMessage(
				new AppError('VALIDATION', { field: 'reason', message: 'validation.reasonRequired' }),
				'en'
			)
		).toBe('Say why the access is revoked.');
	});
	it('never show a raw error', () => {
		expect(mutationMessage(new Error('boom'), 'en')).toMatch(/unexpected problem/);
	});
});
