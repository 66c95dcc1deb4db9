import { formatDateTime } from '$lib/client/clients/format';
import { isMessageKey, translate, type Locale } from '$lib/shared/i18n';

// Words for the Jobs page: job names, schedules and durations in the user's language.

export function jobName(locale: Locale, name: string): string {
	const key = `jobs.names.${name}`;
	// A job added without a dictionary entry still shows, under its code name.
	return isMessageKey(key) ? translate(locale, key) : name;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The common shapes in words; anything else as the cron itself. */
export function scheduleWords(locale: Locale, cron: string): string {
	const [minute = '', hour = '', day, month, weekday] = cron.trim().split(/\s+/);
	const everyDay = day === '*' && month === '*' && weekday === '*';
	if (everyDay && hour === '*') {
		if (minute === '*') return translate(locale, 'jobs.schedule.everyMinute');
		const step = /^\*\/(\d+)$/.exec(minute);
		if (step) return translate(locale, 'jobs.schedule.everyMinutes', { minutes: step[1] ?? '' });
		if (minute === '0') return translate(locale, 'jobs.schedule.hourly');
		if (/^\d+$/.test(minute)) return translate(locale, 'jobs.schedule.hourlyAt', { minute });
	}
	if (everyDay && /^\d+$/.test(minute) && /^\d+$/.test(hour))
		return translate(locale, 'jobs.schedule.daily', {
			time: `${pad(Number(hour))}:${pad(Number(minute))}`
		});
	return translate(locale, 'jobs.schedule.cron', { cron });
}

export function durationWords(locale: Locale, ms: number | null): string {
	if (ms === null) return translate(locale, 'jobs.none');
	if (ms < 1000) return translate(locale, 'jobs.durationMs', { ms });
	const seconds = Math.round(ms / 100) / 10;
	if (seconds < 60)
		return translate(locale, 'jobs.durationS', { s: seconds.toLocaleString(locale) });
	return translate(locale, 'jobs.durationMin', {
		min: Math.floor(seconds / 60),
		s: Math.round(seconds % 60)
	});
}

export function when(locale: Locale, date: Date | null): string {
	return date ? formatDateTime(locale, date.toISOString()) : translate(locale, 'jobs.never');
}

/** The summary's counts as `key: value` pairs, short enough for a table cell. */
export function summaryWords(summary: Record<string, unknown> | null): string {
	if (!summary) return '';
	return Object.entries(summary)
		.filter(([, value]) => value !== null && typeof value !== 'object')
		.map(([key, value]) => `${key}: ${String(value)}`)
		.join(', ');
}
