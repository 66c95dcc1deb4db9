import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { isUnreachable, toUiError, translateIssue } from './api-error';

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

	it('counts a gateway error page as unreachable but other HTTP answers as reached', () => {
		const answered = (status: number) =>
			new TRPCClientError('bad', { meta: { response: new Response('x', { status }) } });
		for (const status of [502, 503, 504]) expect(isUnreachable(answered(status))).toBe(true);
		expect(isUnreachable(answered(500))).toBe(false);
		// A bare 403 (the origin check in hooks answers without our error shape) is a refusal.
		const ui = toUiError(answered(403), 'en');
		expect(ui.code).toBe('FORBIDDEN');
		expect(toUiError(answered(500), 'en').code).toBe('INTERNAL');
	});

	it('treats timeouts and aborts as unreachable, any other thrown value as internal', () => {
		expect(isUnreachable(new DOMException('late', 'TimeoutError'))).toBe(true);
		expect(isUnreachable(new DOMException('gone', 'AbortError'))).toBe(true);
		expect(isUnreachable(new DOMException('no', 'NotAllowedError'))).toBe(false);
		const ui = toUiError(new Error('boom'), 'es');
		expect(ui).toEqual({ code: 'INTERNAL', message: expect.any(String) as string, fields: {} });
		expect(ui.message).not.toContain('boom');
	});

	it('keeps the first message per field and files pathless issues under "_"', () => {
		const ui = toUiError(
			serverError({
				appCode: 'VALIDATION',
				issues: [
					{ path: '', message: 'validation.invalid' },
					{ path: 'email', message: 'validation.invalid' },
					{ path: 'email', message: 'validation.passwordTooShort' }
				]
			}),
			'en'
		);
		expect(Object.keys(ui.fields).sort()).toEqual(['_', 'email']);
		expect(ui.fields.email).toBe(translateIssue('en', 'validation.invalid'));
	});

	it('only translates validation keys, never another message key passed as an issue', () => {
		expect(translateIssue('en', 'errors.INTERNAL')).toBe(
			translateIssue('en', 'validation.invalid')
		);
		expect(translateIssue('es', 'validation.passwordTooShort')).toBe(
			'La contraseña necesita al menos 10 caracteres.'
		);
	});
});
