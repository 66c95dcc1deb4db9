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

	it('points TradingView calls at www.tradingview.com unless told otherwise, with optional cookies', () => {
		const env = parseEnv({});
		expect(env.TRADINGVIEW_BASE_URL).toBe('https://www.tradingview.com');
		expect(env.TRADINGVIEW_SESSIONID).toBeUndefined();
		expect(env.TRADINGVIEW_SESSIONID_SIGN).toBeUndefined();
		expect(env.TRADINGVIEW_RATE_PER_MINUTE).toBe(60);
		expect(env.TRADINGVIEW_SYNC).toBe('on');
		expect(
			parseEnv({
				TRADINGVIEW_BASE_URL: 'http://127.0.0.1:4100',
				TRADINGVIEW_SESSIONID: 'abc',
				TRADINGVIEW_SESSIONID_SIGN: 'v3:def='
			})
		).toMatchObject({
			TRADINGVIEW_BASE_URL: 'http://127.0.0.1:4100',
			TRADINGVIEW_SESSIONID: 'abc',
			TRADINGVIEW_SESSIONID_SIGN: 'v3:def='
		});
		expect(() => parseEnv({ TRADINGVIEW_BASE_URL: 'tradingview' })).toThrow(
			/TRADINGVIEW_BASE_URL="tradingview"/
		);
	});

	it('paces the TradingView sync between 1 and 600 calls a minute and can turn it off', () => {
		expect(parseEnv({ TRADINGVIEW_RATE_PER_MINUTE: '120', TRADINGVIEW_SYNC: 'off' })).toMatchObject(
			{
				TRADINGVIEW_RATE_PER_MINUTE: 120,
				TRADINGVIEW_SYNC: 'off'
			}
		);
		expect(() => parseEnv({ TRADINGVIEW_RATE_PER_MINUTE: '0' })).toThrow(
			/TRADINGVIEW_RATE_PER_MINUTE/
		);
		expect(() => parseEnv({ TRADINGVIEW_RATE_PER_MINUTE: '601' })).toThrow(
			/TRADINGVIEW_RATE_PER_MINUTE/
		);
		expect(() => parseEnv({ TRADINGVIEW_SYNC: 'maybe' })).toThrow(/TRADINGVIEW_SYNC/);
	});
});
