import { initTRPC, TRPCError } from '@trpc/server';
import { dev } from '$app/environment';
import superjson from 'superjson';
import { ZodError } from 'zod';
import {
	AppError,
	errorCodes,
	isErrorCode,
	type ErrorCode,
	type ErrorParams
} from '$lib/shared/errors';
import { satisfies, type Requirement } from '$lib/shared/permissions';
import type { Actor } from '../audit';
import { hasNul, isBadInputError } from '../db/errors';
import { log } from '../log';
import type { Context } from './context';

export interface Meta {
	/** Every procedure declares who may call it; the permission-matrix test fails a procedure without one. */
	requirement: Requirement;
}

const trpcToCode: Partial<Record<TRPCError['code'], ErrorCode>> = {
	UNAUTHORIZED: 'UNAUTHENTICATED',
	FORBIDDEN: 'FORBIDDEN',
	BAD_REQUEST: 'VALIDATION',
	PARSE_ERROR: 'VALIDATION',
	NOT_FOUND: 'NOT_FOUND',
	TOO_MANY_REQUESTS: 'RATE_LIMITED',
	METHOD_NOT_SUPPORTED: 'VALIDATION',
	PAYLOAD_TOO_LARGE: 'VALIDATION'
};

export interface ErrorData {
	appCode: ErrorCode;
	params: ErrorParams;
	issues: Array<{ path: string; message: string }>;
}

const t = initTRPC
	.context<Context>()
	.meta<Meta>()
	.create({
		isDev: dev,
		// Dates and other rich values keep their types across the wire.
		transformer: superjson,
		errorFormatter({ shape, error }) {
			const cause = error.cause;
			let appCode: ErrorCode;
			let params: ErrorParams = {};
			let issues: ErrorData['issues'] = [];
			if (cause instanceof AppError) {
				appCode = cause.code;
				params = cause.params;
			} else if (cause instanceof ZodError) {
				appCode = 'VALIDATION';
				issues = cause.issues.map((issue) => ({
					path: issue.path.join('.'),
					message: issue.message
				}));
			} else if (isErrorCode(error.message)) {
				appCode = error.message;
			} else if (isBadInputError(cause)) {
				// A value PostgreSQL refused (see isBadInputError): the request's fault, not a crash.
				appCode = 'VALIDATION';
				log.warn({ err: error }, 'database refused a value from the request');
			} else {
				appCode = trpcToCode[error.code] ?? 'INTERNAL';
			}
			if (appCode === 'INTERNAL') log.error({ err: error }, 'unhandled error in procedure');
			const { status, trpc } = errorCodes[appCode];
			return {
				...shape,
				message: appCode === 'INTERNAL' ? 'Internal error' : shape.message,
				code: shape.code,
				data: {
					...shape.data,
					code: trpc,
					httpStatus: status,
					appCode,
					params,
					issues
				} satisfies ErrorData & Record<string, unknown>
			};
		}
	});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const enforce = t.middleware(async ({ ctx, meta, next, getRawInput, path }) => {
	if (!meta?.requirement) {
		// A procedure without a rule is a programming error; refuse rather than guess.
		throw new AppError('INTERNAL', {}, 'procedure has no permission requirement');
	}
	if (meta.requirement !== 'public') {
		if (!ctx.session) throw new AppError('UNAUTHENTICATED');
		if (!satisfies(ctx.session.user.role, meta.requirement)) throw new AppError('FORBIDDEN');
	}
	// PostgreSQL stores no NUL in text or JSON: refused here, no procedure can half-write before the
	// database refuses the rest. A push is judged per mutation instead (push.ts), so one bad edit
	// cannot block a device's whole outbox.
	if (path !== 'sync.push' && hasNul(await getRawInput()))
		throw new AppError('VALIDATION', { reason: 'nul' });
	return next();
});

/** The one way to declare a procedure: who may call it comes first. */
export function procedure(requirement: Requirement) {
	return t.procedure.meta({ requirement }).use(enforce);
}

/** The signed-in user as the actor of audited changes; only valid behind a non-public requirement. */
export function actorOf(ctx: Context): Actor {
	if (!ctx.session) throw new AppError('UNAUTHENTICATED');
	return { id: ctx.session.user.id, label: ctx.session.user.email };
}

export { TRPCError };
