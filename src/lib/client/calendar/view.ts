import { parseDay, parseMonth, type Day, type Month } from './days';

// What the calendar shows lives in the URL (`?view=month&month=2026-11`, `?view=agenda&from=…`),
// so back/forward, a reload and a shared link all open the same page. A missing value means "the
// default for this screen and today", decided by the page, not stored.

export const calendarViews = ['month', 'agenda'] as const;
export type CalendarView = (typeof calendarViews)[number];

export interface CalendarParams {
	view: CalendarView | null;
	/** The month the month view shows; null: the current month. */
	month: Month | null;
	/** The first day the agenda lists; null: today. */
	from: Day | null;
}

/** Reads the calendar's state from a query string; anything malformed counts as absent. */
export function parseCalendarParams(search: URLSearchParams): CalendarParams {
	const view = search.get('view');
	return {
		view: (calendarViews as readonly string[]).includes(view ?? '') ? (view as CalendarView) : null,
		month: parseMonth(search.get('month')),
		from: parseDay(search.get('from'))
	};
}

/** The query string for a calendar state, absent values left out ('' for the plain page). */
export function calendarQuery(params: CalendarParams): string {
	const search = new URLSearchParams();
	if (params.view) search.set('view', params.view);
	if (params.month) search.set('month', params.month);
	if (params.from) search.set('from', params.from);
	return search.toString();
}
