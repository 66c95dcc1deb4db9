import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { HttpStatusError } from '../trpc';
import { classifyStatus, isTransient, TransportError, type TransportErrorKind } from './transport';
import { toTransportError } from './trpc-transport';

// The retryable/permanent table of docs/sync.md, row by row. Keep the two in step.

function appAnswer(httpStatus: number, appCode: string): TRPCClientError<never> {
	return new TRPCClientError(appCode, {
		result: { error: { message: appCode, code: -32000, data: { httpStatus, appCode, params: {} } } }
	} as never);
}

const rows: Array<[string, unknown, TransportErrorKind, 'retry' | 'pause' | 'retry slowly']> = [
	['no network (fetch TypeError)', new TypeError('Failed to fetch'), 'network', 'retry'],
	['aborted / deadline', new DOMException('aborted', 'AbortError'), 'timeout', 'retry'],
	['408', new HttpStatusError(408, null), 'timeout', 'retry'],
	['429', new HttpStatusError(429, '3'), 'server', 'retry'],
	['500 from PineGate', appAnswer(500, 'INTERNAL'), 'server', 'retry'],
	['502 gateway page', new HttpStatusError(502, null), 'server', 'retry'],
	['503', new HttpStatusError(503, null), 'server', 'retry'],
	['504', new HttpStatusError(504, null), 'server', 'retry'],
	['401 UNAUTHENTICATED', appAnswer(401, 'UNAUTHENTICATED'), 'auth', 'pause'],
	['401 SESSION_EXPIRED', appAnswer(401, 'SESSION_EXPIRED'), 'auth', 'pause'],
	['403 ACCOUNT_DISABLED', appAnswer(403, 'ACCOUNT_DISABLED'), 'auth', 'pause'],
	['403 FORBIDDEN', appAnswer(403, 'FORBIDDEN'), 'auth', 'pause'],
	[
		'403 without our shape (origin check)',
		new HttpStatusError(403, null),
		'client',
		'retry slowly'
	],
	['400 VALIDATION', appAnswer(400, 'VALIDATION'), 'client', 'retry slowly'],
	['404', new HttpStatusError(404, null), 'client', 'retry slowly'],
	['409', appAnswer(409, 'DEVICE_USER_MISMATCH'), 'client', 'retry slowly']
];

describe('retryable and permanent answers (docs/sync.md)', () => {
	it.each(rows)('%s → %s, %s', (_name, thrown, kind, treatment) => {
		const error = toTransportError(thrown);
		expect(error).toBeInstanceOf(TransportError);
		expect(error.kind).toBe(kind);
		expect(isTransient(error.kind)).toBe(treatment === 'retry');
		if (treatment === 'pause') expect(error.kind).toBe('auth');
	});

	it('classifies every HTTP status the same way as the transport', () => {
		expect(classifyStatus(401)).toBe('auth');
		expect(classifyStatus(408)).toBe('timeout');
		for (const status of [429, 500, 502, 503, 504, 599])
			expect(classifyStatus(status)).toBe('server');
		for (const status of [400, 403, 404, 409, 413, 422])
			expect(classifyStatus(status)).toBe('client');
	});

	it('keeps Retry-After for 429 and 503', () => {
		expect(toTransportError(new HttpStatusError(429, '3')).retryAfterMs).toBe(3000);
		expect(toTransportError(new HttpStatusError(503, '10')).retryAfterMs).toBe(10_000);
		expect(toTransportError(new HttpStatusError(500, '10')).retryAfterMs).toBeUndefined();
	});
});
