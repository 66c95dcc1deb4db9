import { describe, expect, it } from 'vitest';
import { isForeignOrigin } from './origin';

const url = new URL('http://localhost:3000/api/trpc/auth.login');

function request(headers: Record<string, string>): Request {
	return new Request(url, { method: 'POST', headers });
}

describe('same-origin API', () => {
	it('refuses a foreign Origin', () => {
		expect(isForeignOrigin(request({ origin: 'https://evil.example' }), url)).toBe(true);
		expect(isForeignOrigin(request({ origin: 'http://localhost:4000' }), url)).toBe(true);
	});
	it('refuses cross-site fetch metadata without Origin', () => {
		expect(isForeignOrigin(request({ 'sec-fetch-site': 'cross-site' }), url)).toBe(true);
	});
	it('accepts same origin and non-browser clients', () => {
		expect(isForeignOrigin(request({ origin: 'http://localhost:3000' }), url)).toBe(false);
		expect(isForeignOrigin(request({ 'sec-fetch-site': 'same-origin' }), url)).toBe(false);
		expect(isForeignOrigin(request({}), url)).toBe(false);
	});
	it('only guards the API', () => {
		const page = new URL('http://localhost:3000/login');
		expect(
			isForeignOrigin(new Request(page, { headers: { origin: 'https://evil.example' } }), page)
		).toBe(false);
	});
});
