import { describe, expect, it } from 'vitest';
import { AppError } from '$lib/shared/errors';
import { mutationFailure } from './errors';

describe('mutationFailure', () => {
	it('puts a validation error on its field, in the user language', () => {
		const error = new AppError('VALIDATION', {
			field: 'fields.email',
			message: 'validation.emailInvalid'
		});
		expect(mutationFailure(error, 'en').fields).toEqual({
			email: 'Enter a valid email address, like name@example.com.'
		});
		expect(mutationFailure(error, 'es').fields).toEqual({
			email: 'Escribe un correo electrónico válido, como nombre@ejemplo.com.'
		});
		const patch = new AppError('VALIDATION', { field: 'patch', message: 'validation.emptyPatch' });
		expect(mutationFailure(patch, 'en')).toMatchObject({
			fields: {},
			message: 'Nothing changed. Edit a field before saving.'
		});
	});

	it('links a taken username or email to the other client', () => {
		expect(mutationFailure(new AppError('USERNAME_TAKEN', { clientId: 'c1' }), 'es')).toEqual({
			fields: { tradingviewUsername: 'Otro cliente ya tiene este usuario de TradingView.' },
			message: null,
			other: { field: 'tradingviewUsername', clientId: 'c1' }
		});
		expect(mutationFailure(new AppError('CLIENT_EMAIL_TAKEN', { clientId: 'c2' }), 'en')).toEqual({
			fields: { email: 'Another client already has this email.' },
			message: null,
			other: { field: 'email', clientId: 'c2' }
		});
	});

	it('says anything else in one sentence', () => {
		expect(mutationFailure(new AppError('FORBIDDEN'), 'en').message).toBe(
			'Your role does not allow this. Ask an administrator if you need it.'
		);
		expect(mutationFailure(new Error('boom'), 'en').message).toContain('unexpected problem');
	});
});
