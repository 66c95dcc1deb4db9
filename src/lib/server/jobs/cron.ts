// Five-field cron (minute hour day-of-month month day-of-week), in UTC, for the one thing pg-boss
// does not tell a worker: which schedule slot (tick) a job belongs to. pg-boss decides *when* to fire
// (with cron-parser); this computes the same slots for the one-run-per-tick claim, the catch-up after
// downtime and the "next run" shown on the Jobs page. Supports `*`, numbers, `a-b`, lists and `/n`
// steps, and the classic rule that a restricted day-of-month and day-of-week match either.

export interface Cron {
	source: string;
	minutes: ReadonlySet<number>;
	hours: ReadonlySet<number>;
	days: ReadonlySet<number>;
	months: ReadonlySet<number>;
	weekdays: ReadonlySet<number>;
	anyDay: boolean;
	anyWeekday: boolean;
}

const FIELDS = [
	{ name: 'minute', min: 0, max: 59 },
	{ name: 'hour', min: 0, max: 23 },
	{ name: 'day of month', min: 1, max: 31 },
	{ name: 'month', min: 1, max: 12 },
	// 7 is Sunday too, as in cron-parser.
	{ name: 'day of week', min: 0, max: 7 }
] as const;

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
	const values = new Set<number>();
	for (const part of text.split(',')) {
		const match = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
		if (!match) throw new Error(`cron ${field.name}: cannot read "${part}"`);
		const [, range = '', stepText] = match;
		let from: number = field.min;
		let to: number = field.max;
		if (range !== '*') {
			const [a, b] = range.split('-').map(Number);
			from = a ?? field.min;
			to = b ?? (stepText ? field.max : from);
		}
		const step = stepText ? Number(stepText) : 1;
		if (from < field.min || to > field.max || from > to || step < 1)
			throw new Error(`cron ${field.name}: "${part}" is out of range ${field.min}-${field.max}`);
		for (let v = from; v <= to; v += step) values.add(field.name === 'day of week' ? v % 7 : v);
	}
	return values;
}

export function parseCron(source: string): Cron {
	const parts = source.trim().split(/\s+/);
	if (parts.length !== 5) throw new Error(`cron "${source}": five fields expected`);
	const [minute = '', hour = '', day = '', month = '', weekday = ''] = parts;
	return {
		source,
		minutes: parseField(minute, FIELDS[0]),
		hours: parseField(hour, FIELDS[1]),
		days: parseField(day, FIELDS[2]),
		months: parseField(month, FIELDS[3]),
		weekdays: parseField(weekday, FIELDS[4]),
		anyDay: day === '*',
		anyWeekday: weekday === '*'
	};
}

function dayMatches(cron: Cron, d: Date): boolean {
	if (!cron.months.has(d.getUTCMonth() + 1)) return false;
	const dom = cron.days.has(d.getUTCDate());
	const dow = cron.weekdays.has(d.getUTCDay());
	if (cron.anyDay && cron.anyWeekday) return true;
	if (cron.anyDay) return dow;
	if (cron.anyWeekday) return dom;
	return dom || dow;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Far enough for any expression that can match at all (29 February comes back within 8 years). */
const HORIZON = 8 * 366 * DAY;

function sortedDesc(values: ReadonlySet<number>): number[] {
	return [...values].sort((a, b) => b - a);
}

/** The latest slot at or before `at` (seconds dropped), or null if none within eight years. */
export function previousSlot(cron: Cron, at: Date): Date | null {
	const limit = at.getTime() - HORIZON;
	let day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
	// Within the first day only the hours and minutes up to `at` count.
	let maxMinuteOfDay = at.getUTCHours() * 60 + at.getUTCMinutes();
	const hours = sortedDesc(cron.hours);
	const minutes = sortedDesc(cron.minutes);
	while (day >= limit) {
		if (dayMatches(cron, new Date(day))) {
			for (const h of hours) {
				for (const m of minutes) {
					if (h * 60 + m <= maxMinuteOfDay) return new Date(day + h * HOUR + m * MINUTE);
				}
			}
		}
		day -= DAY;
		maxMinuteOfDay = 24 * 60 - 1;
	}
	return null;
}

/** The first slot strictly after `at`, or null if none within eight years. */
export function nextSlot(cron: Cron, at: Date): Date | null {
	const limit = at.getTime() + HORIZON;
	let day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
	let minMinuteOfDay = at.getUTCHours() * 60 + at.getUTCMinutes() + 1;
	const hours = [...cron.hours].sort((a, b) => a - b);
	const minutes = [...cron.minutes].sort((a, b) => a - b);
	while (day <= limit) {
		if (dayMatches(cron, new Date(day))) {
			for (const h of hours) {
				for (const m of minutes) {
					if (h * 60 + m >= minMinuteOfDay) return new Date(day + h * HOUR + m * MINUTE);
				}
			}
		}
		day += DAY;
		minMinuteOfDay = 0;
	}
	return null;
}
