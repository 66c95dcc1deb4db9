import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../errors';
import { dictionary, isMessageKey, locales, pickLocale, translate } from './index';

function keysOf(node: unknown, prefix = ''): string[] {
	if (typeof node === 'string') return [prefix.slice(0, -1)];
	return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) =>
		keysOf(value, `${prefix}${key}.`)
	);
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
	});
}

describe('i18n dictionaries', () => {
	const english = keysOf(dictionary('en')).sort();

	it.each(locales)('%s has exactly the English keys, none empty', (locale) => {
		expect(keysOf(dictionary(locale)).sort()).toEqual(english);
		for (const key of english) {
			expect(translate(locale, key as never).trim(), key).not.toBe('');
		}
	});

	it.each(locales)('%s translates every error code', (locale) => {
		for (const code of Object.keys(errorCodes)) {
			expect(isMessageKey(`errors.${code}`), code).toBe(true);
			expect(translate(locale, `errors.${code}` as never)).not.toBe(`errors.${code}`);
		}
	});

	it('knows every validation key the shared schemas use', () => {
		const used = new Set<string>();
		for (const file of sourceFiles('src/lib/shared')) {
			for (const match of readFileSync(file, 'utf8').matchAll(/['"`](validation\.\w+)['"`]/g)) {
				used.add(match[1]!);
			}
		}
		expect(used.size).toBeGreaterThan(0);
		for (const key of used) expect(isMessageKey(key), key).toBe(true);
	});

	it('keeps the stable names of DESIGN.md §8', () => {
		expect(
			[
				'dashboard',
				'clients',
				'indicators',
				'accesses',
				'calendar',
				'analytics',
				'settings',
				'users'
			].map((key) => translate('en', `nav.${key}` as never))
		).toEqual([
			'Dashboard',
			'Clients',
			'Indicators',
			'Accesses',
			'Calendar',
			'Analytics',
			'Settings',
			'Users'
		]);
		expect(translate('en', 'common.save')).toBe('Save');
		expect(translate('en', 'auth.logIn')).toBe('Log in');
		expect(translate('en', 'header.logOut')).toBe('Log out');
		expect(translate('en', 'users.newUser')).toBe('New user');
		expect(
			['auth.email', 'auth.password', 'auth.name', 'users.role'].map((k) =>
				translate('en', k as never)
			)
		).toEqual(['Email', 'Password', 'Name', 'Role']);
	});
});

describe('translate', () => {
	it('fills placeholders and leaves unknown ones alone', () => {
		expect(translate('en', 'errors.RATE_LIMITED', { minutes: 7 })).toContain('7 min');
		expect(translate('es', 'errors.RATE_LIMITED', { minutes: 7 })).toContain('7 min');
		expect(translate('en', 'users.roleFor', {})).toBe('Permissions for {name}');
	});
});

describe('pickLocale', () => {
	it('takes the first supported language, by its base tag', () => {
		expect(pickLocale(['es-MX', 'en-US'])).toBe('es');
		expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
		expect(pickLocale(['de'])).toBe('en');
		expect(pickLocale([])).toBe('en');
	});
});
