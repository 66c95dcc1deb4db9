import { TRPCClientError } from '@trpc/client';
import type { ErrorCode, ErrorParams } from '$lib/shared/errors';
import { isMessageKey, translate, type Locale } from '$lib/shared/i18n';
import type { ApiError } from './trpc';

/** What the UI shows for a failed call: one sentence, plus per-field messages for forms. */
export interface UiError {
	/** The server's code, or OFFLINE when the server could not be reached at all. */
	code: ErrorCode | 'OFFLINE';
	message: string;
	/** Translated messages keyed by input path (`email`, `password`, …). */
	fields: Record<string, string>;
}

/** Gateways answer these when the app server behind them is down: as good as offline. */
const UNREACHABLE_STATUS = new Set([502, 503, 504]);

function statusOf(error: TRPCClientError<never>): number | undefined {
	const response = error.meta?.response;
	return response instanceof Response ? response.status : undefined;
}

/** Whether a call failed before any PineGate answer came back (network down, server down). */
export function isUnreachable(error: unknown): boolean {
	if (error instanceof TRPCClientError) {
		if ((error as ApiError).data?.appCode) return false;
		const status = statusOf(error as TRPCClientError<never>);
		return status === undefined || UNREACHABLE_STATUS.has(status);
	}
	// fetch rejects with a TypeError when there is no network, and with these when it timed out.
	return (
		error instanceof TypeError ||
		(error instanceof DOMException &&
			(error.name === 'AbortError' || error.name === 'TimeoutError'))
	);
}

/** Translates a validation message: an i18n key from the shared zod schemas, never raw text. */
export function translateIssue(locale: Locale, message: string): string {
	return isMessageKey(message) && message.startsWith('validation.')
		? translate(locale, message)
		: translate(locale, 'validation.invalid');
}

function codeOf(error: unknown): { code: ErrorCode | 'OFFLINE'; params: ErrorParams } {
	if (isUnreachable(error)) return { code: 'OFFLINE', params: {} };
	if (error instanceof TRPCClientError) {
		const data = (error as ApiError).data;
		if (data?.appCode) return { code: data.appCode, params: data.params };
		// An answer without our error shape (e.g. the origin check in hooks) is still an answer.
		const status = statusOf(error as TRPCClientError<never>);
		if (status === 403) return { code: 'FORBIDDEN', params: {} };
	}
	return { code: 'INTERNAL', params: {} };
}

/**
 * Turns anything a tRPC call threw into text in the user's language: the error code picks
 * `errors.<CODE>` (filled with its params), validation issues become per-field messages, and a
 * network failure says the server cannot be reached. Server-side English text is never shown.
 */
export function toUiError(error: unknown, locale: Locale): UiError {
	const { code, params } = codeOf(error);
	const fields: Record<string, string> = {};
	if (error instanceof TRPCClientError) {
		for (const issue of (error as ApiError).data?.issues ?? []) {
			const path = issue.path || '_';
			fields[path] ??= translateIssue(locale, issue.message);
		}
	}
	return { code, message: translate(locale, `errors.${code}`, params), fields };
}
