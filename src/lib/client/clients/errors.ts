import { AppError } from '$lib/shared/errors';
import { translate, type Locale } from '$lib/shared/i18n';
import { translateIssue } from '../api-error';

export const formFields = ['tradingviewUsername', 'email', 'fullName', 'status', 'notes'] as const;
export type ClientFormField = (typeof formFields)[number];

/** What a form shows when a client mutation is refused on this device. */
export interface MutationFailure {
	/** Translated messages by field. */
	fields: Partial<Record<ClientFormField, string>>;
	/** A message for the whole form, when no field is to blame. */
	message: string | null;
	/** The client that already has this username or email, to link to. */
	other: { field: 'tradingviewUsername' | 'email'; clientId: string } | null;
}

function isFormField(value: string): value is ClientFormField {
	return (formFields as readonly string[]).includes(value);
}

/**
 * Turns what `mutate` threw into form messages: a validation error names its field (`fields.email`,
 * `patch.email`), a taken username or email points to the other client, anything else is one
 * sentence in the user's language.
 */
export function mutationFailure(error: unknown, locale: Locale): MutationFailure {
	const failure: MutationFailure = { fields: {}, message: null, other: null };
	if (!(error instanceof AppError)) {
		failure.message = translate(locale, 'errors.INTERNAL');
		return failure;
	}
	const { code, params } = error;
	if (code === 'USERNAME_TAKEN' || code === 'CLIENT_EMAIL_TAKEN') {
		const field = code === 'USERNAME_TAKEN' ? 'tradingviewUsername' : 'email';
		failure.fields[field] = translate(
			locale,
			field === 'email' ? 'clients.form.emailTaken' : 'clients.form.usernameTaken'
		);
		if (typeof params.clientId === 'string') failure.other = { field, clientId: params.clientId };
		return failure;
	}
	if (code === 'VALIDATION') {
		const field = String(params.field ?? '')
			.split('.')
			.pop();
		const message = translateIssue(locale, String(params.message ?? ''));
		if (field && isFormField(field)) failure.fields[field] = message;
		else failure.message = message;
		return failure;
	}
	failure.message = translate(locale, `errors.${code}`, params);
	return failure;
}
