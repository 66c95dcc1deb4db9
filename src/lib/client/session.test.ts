import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The locale and the remembered user are read once, when the app loads in a browser: each test
// loads the modules afresh over its own localStorage and navigator languages.
vi.mock('$app/environment', () => ({ browser: true, dev: false, building: false, version: 't' }));

const stored = new Map<string, string>();
const documentElement = { lang: '' };

// stubGlobal defines the properties: Node 21 and later have a getter-only `navigator`.
function browserWith(languages: string[], language = languages[0] ?? 'en-US'): void {
	vi.stubGlobal('localStorage', {
		getItem: (key: string) => stored.get(key) ?? null,
		setItem: (key: string, value: string) => void stored.set(key, value),
		removeItem: (key: string) => void stored.delete(key)
	});
	vi.stubGlobal('navigator', { languages, language });
	vi.stubGlobal('document', { documentElement });
}

beforeEach(() => {
	stored.clear();
	documentElement.lang = '';
	vi.resetModules();
});

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('interface language', () => {
	it('follows the browser’s first supported language and marks the page with it', async () => {
		browserWith(['fr-FR', 'es-MX', 'en']);
		const { locale, t } = await import('./locale.svelte');
		expect(locale.current).toBe('es');
		expect(documentElement.lang).toBe('es');
		expect(t('sync.justNow')).toBe('ahora mismo');
	});

	it('falls back to navigator.language, then English', async () => {
		browserWith([], 'es-AR');
		expect((await import('./locale.svelte')).locale.current).toBe('es');
		vi.resetModules();
		browserWith(['de-DE', 'ja']);
		expect((await import('./locale.svelte')).locale.current).toBe('en');
	});

	it('keeps a chosen language over the browser’s, across reloads', async () => {
		browserWith(['en-GB']);
		const first = await import('./locale.svelte');
		first.locale.set('es');
		expect(documentElement.lang).toBe('es');
		expect(stored.get('pinegate.locale')).toBe('es');
		vi.resetModules();
		expect((await import('./locale.svelte')).locale.current).toBe('es');
		// Something else in the slot (an old build, a hand edit) is ignored.
		stored.set('pinegate.locale', 'klingon');
		vi.resetModules();
		expect((await import('./locale.svelte')).locale.current).toBe('en');
	});
});

describe('remembered user', () => {
	const ana = { id: 'u-1', email: 'ana@example.test', name: 'Ana', role: 'seller' as const };

	it('remembers who signed in, without extra fields, and forgets on sign-out', async () => {
		browserWith(['en']);
		const { session } = await import('./session.svelte');
		expect(session.user).toBeNull();
		session.unverified = true;
		session.signIn({ ...ana, passwordHash: 'never stored' } as typeof ana);
		expect(session.user).toEqual(ana);
		expect(session.unverified).toBe(false);
		expect(JSON.parse(stored.get('pinegate.user') ?? 'null')).toEqual(ana);

		vi.resetModules();
		const reloaded = (await import('./session.svelte')).session;
		expect(reloaded.user).toEqual(ana);
		reloaded.signOut();
		expect(reloaded.user).toBeNull();
		expect(stored.has('pinegate.user')).toBe(false);
	});

	it('ignores a stored value that is not a user (bad JSON, an unknown role, missing fields)', async () => {
		browserWith(['en']);
		for (const value of [
			'{not json',
			JSON.stringify({ ...ana, role: 'owner' }),
			JSON.stringify({ id: 'u-1' }),
			'42'
		]) {
			stored.set('pinegate.user', value);
			vi.resetModules();
			expect((await import('./session.svelte')).session.user).toBeNull();
		}
	});
});
