import { DAY_MS } from './grants';

// The analytics page's date range and the periods its charts count in (docs/analytics.md). All
// calendar boundaries are UTC, on the device and in the server's SQL alike, so both give the same
// numbers whatever the business timezone; the server receives these periods, it never computes
// its own.

export const rangePresets = ['30d', '90d', '12m', 'custom'] as const;
export type RangePreset = (typeof rangePresets)[number];
export const DEFAULT_PRESET: RangePreset = '12m';

/** Ranges up to this long are charted per week, longer ones per month. */
export const WEEKLY_UP_TO_MS = 93 * DAY_MS;
/** A custom range is cut to this many days (about ten years, 120 monthly periods). */
export const MAX_RANGE_MS = 3660 * DAY_MS;
/** The expirations chart: open grants ending in each of the next this many weeks. */
export const EXPIRATION_WEEKS = 8;
export const WEEK_MS = 7 * DAY_MS;

export type Granularity = 'week' | 'month';

/** A half-open interval [startMs, endMs) in epoch milliseconds. */
export interface Span {
	startMs: number;
	endMs: number;
}

export interface AnalyticsPeriods {
	/** The range counted: [from, min(to, now)). */
	fromMs: number;
	toMs: number;
	granularity: Granularity;
	/** Weeks (from Monday) or months overlapping the range, cut to it: clients over time. */
	periods: Span[];
	/** Calendar months overlapping the range, cut to it: subscriptions and renewal rate. */
	months: Array<Span & { month: string }>;
	/** (now + 7k days, now + 7(k+1) days] for k = 0 … EXPIRATION_WEEKS − 1 (end inclusive). */
	weeksAhead: Span[];
}

const utcDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

function monthStart(ms: number, add = 0): number {
	const date = new Date(ms);
	return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + add, 1);
}

/** Monday 00:00 UTC of the week holding `ms` (1970-01-01 was a Thursday). */
function weekStart(ms: number): number {
	const day = utcDay(ms);
	const weekday = (Math.floor(day / DAY_MS) + 3) % 7; // 0 = Monday
	return day - weekday * DAY_MS;
}

export function monthLabel(ms: number): string {
	const date = new Date(ms);
	return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The periods of a range. `to` is cut to `now` (nothing is counted in the future). */
export function analyticsPeriods(range: { from: Date; to: Date; now: Date }): AnalyticsPeriods {
	const nowMs = range.now.getTime();
	const fromMs = range.from.getTime();
	const toMs = Math.max(fromMs, Math.min(range.to.getTime(), nowMs, fromMs + MAX_RANGE_MS));
	const granularity: Granularity = toMs - fromMs <= WEEKLY_UP_TO_MS ? 'week' : 'month';
	const periods: Span[] = [];
	const months: AnalyticsPeriods['months'] = [];
	if (toMs > fromMs) {
		for (let start = monthStart(fromMs); start < toMs; start = monthStart(start, 1)) {
			const cut = { startMs: Math.max(start, fromMs), endMs: Math.min(monthStart(start, 1), toMs) };
			months.push({ ...cut, month: monthLabel(start) });
			if (granularity === 'month') periods.push(cut);
		}
		if (granularity === 'week')
			for (let start = weekStart(fromMs); start < toMs; start += WEEK_MS)
				periods.push({ startMs: Math.max(start, fromMs), endMs: Math.min(start + WEEK_MS, toMs) });
	}
	const weeksAhead: Span[] = [];
	for (let k = 0; k < EXPIRATION_WEEKS; k++)
		weeksAhead.push({ startMs: nowMs + k * WEEK_MS, endMs: nowMs + (k + 1) * WEEK_MS });
	return { fromMs, toMs, granularity, periods, months, weeksAhead };
}

export interface RangeChoice {
	preset: RangePreset;
	/** Custom range, `YYYY-MM-DD` (UTC days, both included); ignored for the other presets. */
	fromDay: string;
	toDay: string;
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(text: string): boolean {
	return DAY_PATTERN.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00.000Z`));
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The instants a choice stands for at `now`: the presets end now (30 and 90 days back; 12 months
 * back to the first of the month eleven months ago, so 12 whole or partial months); a custom range
 * runs from its first day's start to its last day's end. An invalid custom range falls back to
 * the default preset.
 */
export function rangeOf(choice: RangeChoice, now: Date): { from: Date; to: Date } {
	const nowMs = now.getTime();
	switch (choice.preset) {
		case '30d':
			return { from: new Date(nowMs - 30 * DAY_MS), to: now };
		case '90d':
			return { from: new Date(nowMs - 90 * DAY_MS), to: now };
		case 'custom':
			if (isDay(choice.fromDay) && isDay(choice.toDay) && choice.fromDay <= choice.toDay)
				return {
					from: new Date(`${choice.fromDay}T00:00:00.000Z`),
					to: new Date(Date.parse(`${choice.toDay}T00:00:00.000Z`) + DAY_MS)
				};
			return rangeOf({ ...choice, preset: DEFAULT_PRESET }, now);
		case '12m':
			return { from: new Date(monthStart(nowMs, -11)), to: now };
	}
}

/** The range choice of a URL query (`?range=custom&from=2026-01-01&to=2026-03-31`). */
export function parseRangeParams(params: URLSearchParams): RangeChoice {
	const preset = params.get('range');
	return {
		preset: rangePresets.includes(preset as RangePreset) ? (preset as RangePreset) : DEFAULT_PRESET,
		fromDay: params.get('from') ?? '',
		toDay: params.get('to') ?? ''
	};
}

export function rangeToParams(choice: RangeChoice): URLSearchParams {
	const params = new URLSearchParams();
	if (choice.preset !== DEFAULT_PRESET) params.set('range', choice.preset);
	if (choice.preset === 'custom') {
		if (choice.fromDay) params.set('from', choice.fromDay);
		if (choice.toDay) params.set('to', choice.toDay);
	}
	return params;
}
