import { describe, expect, it } from 'vitest';
import { formatEnd, endOfLocalDay } from '../accesses/format';
import { clientName, formatCount, formatDate, formatDateTime, formatMoney } from './format';

const ISO = '2025-03-10T12:00:00.000Z';

describe('client formats', () => {
	it('formats dates in each language', () => {
		expect(formatDate('en', ISO)).toBe('Mar 10, 2025');
		expect(formatDate('es', ISO)).toBe('10 mar 2025');
		expect(formatDateTime('es', ISO)).toMatch(/^10 mar 2025, \d{1,2}:\d{2}$/);
	});

	it('groups counts the way each language does', () => {
		expect(formatCount('en', 100_000)).toBe('100,000');
		expect(formatCount('es', 100_000)).toBe('100.000');
	});

	it('formats money from minor units with the currency’s own decimals', () => {
		expect(formatMoney('en', 1250, 'EUR')).toBe('€12.50');
		expect(formatMoney('es', 1250, 'EUR')).toBe('12,50\u00a0€');
		// The yen has no minor unit: 1250 minor units are 1,250 yen.
		expect(formatMoney('en', 1250, 'JPY')).toBe('¥1,250');
	});

	it('falls back to plain text for a currency code Intl refuses', () => {
		expect(formatMoney('en', 1250, 'EURO')).toBe('12.50 EURO');
	});

	it('names a client by full name, else by TradingView username', () => {
		expect(clientName({ fullName: 'Ada', tradingviewUsername: 'ada_tv' })).toBe('Ada');
		expect(clientName({ fullName: null, tradingviewUsername: 'ada_tv' })).toBe('ada_tv');
	});
});

describe('access end dates', () => {
	it('takes a date input as the last millisecond of that local day', () => {
		const end = new Date(endOfLocalDay('2026-02-28'));
		expect([end.getFullYear(), end.getMonth(), end.getDate()]).toEqual([2026, 1, 28]);
		expect([end.getHours(), end.getMinutes(), end.getSeconds(), end.getMilliseconds()]).toEqual([
			23, 59, 59, 999
		]);
	});

	it('shows the date, or the lifetime words when there is no end', () => {
		expect(formatEnd('es', ISO, 'De por vida')).toBe('10 mar 2025');
		expect(formatEnd('en', null, 'Lifetime')).toBe('Lifetime');
	});
});
