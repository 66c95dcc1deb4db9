import { en, type Messages } from './en';
import { es } from './es';

export type { Messages };

export const locales = ['en', 'es'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

const dictionaries: Record<Locale, Messages> = { en, es };

type Leaves<T, Prefix extends string = ''> = {
	[K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every dotted key of the dictionaries, e.g. `nav.clients` or `errors.RATE_LIMITED`. */
export type MessageKey = Leaves<Messages>;

export type MessageParams = Record<string, string | number>;

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The best supported locale for a list of BCP 47 tags (e.g. `navigator.languages`). */
export function pickLocale(tags: readonly string[]): Locale {
	for (const tag of tags) {
		const base = tag.toLowerCase().split('-')[0];
		if (isLocale(base)) return base;
	}
	return defaultLocale;
}

function lookup(dictionary: Messages, key: string): string | undefined {
	let node: unknown = dictionary;
	for (const part of key.split('.')) {
		if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
		node = (node as Record<string, unknown>)[part];
	}
	return typeof node === 'string' ? node : undefined;
}

function interpolate(template: string, params: MessageParams | undefined): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		Object.hasOwn(params, name) ? String(params[name]) : whole
	);
}

/** The message for `key` in `locale`, with `{placeholders}` filled from `params`. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
	return interpolate(lookup(dictionaries[locale], key) ?? key, params);
}

/** Whether a key that came from elsewhere (e.g. a zod message from the server) is a known message. */
export function isMessageKey(key: string): key is MessageKey {
	return lookup(en, key) !== undefined;
}

/** The dictionary for a locale, e.g. to list its keys in tests. */
export function dictionary(locale: Locale): Messages {
	return dictionaries[locale];
}
