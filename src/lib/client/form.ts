import { tick } from 'svelte';
import type { Locale } from '$lib/shared/i18n';
import { translateIssue } from './api-error';

interface IssueLike {
	path: readonly PropertyKey[];
	message: string;
}

/** zod issues (from a client-side `safeParse`) as translated messages keyed by field path. */
export function issuesToFields(
	issues: readonly IssueLike[],
	locale: Locale
): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const issue of issues) {
		const path = issue.path.map(String).join('.') || '_';
		fields[path] ??= translateIssue(locale, issue.message);
	}
	return fields;
}

/** After a failed submit, move focus to the first field marked invalid so it is read out. */
export async function focusFirstInvalid(form: HTMLFormElement | undefined): Promise<void> {
	await tick();
	form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
