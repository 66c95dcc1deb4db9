import { describe, expect, it } from 'vitest';
import { calendarQuery, parseCalendarParams } from './view';

const parse = (query: string) => parseCalendarParams(new URLSearchParams(query));

describe('calendar URL state', () => {
	it('reads view, month and agenda start', () => {
		expect(parse('view=month&month=2026-11')).toEqual({
			view: 'month',
			month: '2026-11',
			from: null
		});
		expect(parse('view=agenda&from=2028-02-29')).toEqual({
			view: 'agenda',
			month: null,
			from: '2028-02-29'
		});
	});

	it('treats malformed values as absent, so a bad link opens the default page', () => {
		expect(parse('view=year&month=2026-13&from=2026-02-30')).toEqual({
			view: null,
			month: null,
			from: null
		});
		expect(parse('')).toEqual({ view: null, month: null, from: null });
	});

	it('writes back only what is set, and round-trips', () => {
		expect(calendarQuery({ view: null, month: null, from: null })).toBe('');
		const params = { view: 'agenda', month: '2026-11', from: '2026-11-14' } as const;
		expect(calendarQuery(params)).toBe('view=agenda&month=2026-11&from=2026-11-14');
		expect(parse(calendarQuery(params))).toEqual(params);
	});
});
