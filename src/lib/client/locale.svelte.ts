import { browser } from '$app/environment';
import {
	defaultLocale,
	isLocale,
	pickLocale,
	translate,
	type Locale,
	type MessageKey,
	type MessageParams
} from '$lib/shared/i18n';
import { readStored, writeStored } from './storage';

const STORAGE_KEY = 'pinegate.locale';

function initialLocale(): Locale {
	if (!browser) return defaultLocale;
	const stored = readStored(STORAGE_KEY);
	if (isLocale(stored)) return stored;
	return pickLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

class LocaleState {
	/** The language of the interface: the stored choice, else the browser's preference. */
	current = $state<Locale>(initialLocale());

	constructor() {
		if (browser) document.documentElement.lang = this.current;
	}

	set(next: Locale): void {
		this.current = next;
		writeStored(STORAGE_KEY, next);
		if (browser) document.documentElement.lang = next;
	}
}

export const locale = new LocaleState();

/** Translates in the current language; reactive wherever `locale.current` is tracked. */
export function t(key: MessageKey, params?: MessageParams): string {
	return translate(locale.current, key, params);
}
