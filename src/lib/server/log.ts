import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import { env } from './env';

interface RequestScope {
	requestId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * Structured JSON logs. Every line written while a request is handled carries its request id,
 * without passing a child logger through every call.
 */
export const log = pino({
	level: env().LOG_LEVEL,
	base: { app: 'pinegate' },
	timestamp: pino.stdTimeFunctions.isoTime,
	redact: {
		paths: [
			'password',
			'*.password',
			'passwordHash',
			'*.passwordHash',
			'cookie',
			'*.cookie',
			'headers.cookie',
			'sessionid',
			'sessionid_sign',
			'*.sessionid',
			'*.sessionid_sign'
		],
		censor: '[redacted]'
	},
	mixin() {
		const scope = requestScope.getStore();
		return scope ? { requestId: scope.requestId } : {};
	}
});
