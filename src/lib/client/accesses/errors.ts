import { AppError } from '$lib/shared/errors';
import { translate, type Locale } from '$lib/shared/i18n';
import { translateIssue } from '../api-error';

/**
 * One sentence for what `mutate` threw on a grant form: a validation issue in its own words, a
 * refusal by its code (with its parameters, e.g. the retired indicator's name).
 */
export function mutationMessage(error: unknown, locale: Locale): string {
	if (!(error instanceof AppError)) return translate(locale, 'errors.INTERNAL');
	if (error.code === 'VALIDATION' && typeof error.params.message === 'string')
		return translateIssue(locale, error.params.message);
	return translate(locale, `errors.${error.code}`, error.params);
}
