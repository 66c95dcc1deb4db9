import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { isUnreachable, toUiError } from './api-error';

function serverError(data: { appCode: string; params?: object; issues?: object[] }) {
	return TRPCClientError.from({
		error: {
			message: 'English text from the server',
			code: -32600,
			data: { params: {}, issues: [], ...data }
		}
	});
}

describe('toUiError', () => {
	it('translates the code with its params, never the server text', () => {
		const ui = toUiError(serverError({ appCode: 'RATE_LIMITED', params: { minutes: 12 } }), 'es');
		expect(ui.code).toBe('RATE_LIMITED');
		expect(ui.message).toContain('12 min');
		expect(ui.message).not.toContain('English');
	});

	it('turns validation issues into translated per-field messages', () => {
		const ui = toUiError(
			serverError({
				appCode: 'VALIDATION',
				issues: [
					{ path: 'password', message: 'validation.passwordTooShort' },
					{ path: 'email', message: 'Invalid email address' }
				]
			}),
			'es'
		);
		expect(ui.fields.password).toBe('La contraseña necesita al menos 10 caracteres.');
		expect(ui.fields.email).toBe('Este valor no es válido.');
	});

	it('says the server cannot be reached when the fetch failed', () => {
		const error = TRPCClientError.from(new TypeError('Failed to fetch'));
		expect(isUnreachable(error)).toBe(true);
		const ui = toUiError(error, 'en');
		expect(ui.code).toBe('OFFLINE');
		expect(ui.message).toMatch(/reach the server/);
	});

	it('treats an answer from the server as reachable', () => {
		expect(isUnreachable(serverError({ appCode: 'INVALID_CREDENTIALS' }))).toBe(false);
	});
});
