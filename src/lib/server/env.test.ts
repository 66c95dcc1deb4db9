import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

describe('configuration', () => {
	it('has working defaults on an empty environment (PGlite under ./data, port 3000)', () => {
		const env = parseEnv({});
		expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './data', LOG_LEVEL: 'info' });
		expect(env.DATABASE_URL).toBeUndefined();
	});

	it('treats empty strings as unset', () => {
		expect(parseEnv({ DATABASE_URL: '', PORT: '' }).DATABASE_URL).toBeUndefined();
	});

	it('names the variable and the value in a clear error', () => {
		expect(() => parseEnv({ PORT: 'eighty' })).toThrow(EnvError);
		expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT="eighty"/);
		expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL=.*postgres:\/\//);
		expect(() => parseEnv({ SECRET_KEY: 'short' })).toThrow(/SECRET_KEY.*32 characters/);
	});

	it('coerces numbers', () => {
		expect(parseEnv({ PORT: '8080', LOGIN_MAX_FAILURES: '3' })).toMatchObject({
			PORT: 8080,
			LOGIN_MAX_FAILURES: 3
		});
	});
});
