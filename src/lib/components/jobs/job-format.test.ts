import { describe, expect, it } from 'vitest';
import { durationWords, jobName, scheduleWords, summaryWords, when } from './job-format';

describe('jobName', () => {
	it('translates a known job and shows an unknown one under its code name', () => {
		expect(jobName('es', 'backup')).toBe('Copia de seguridad');
		expect(jobName('en', 'backup')).toBe('Backup');
		expect(jobName('en', 'a-job-without-words')).toBe('a-job-without-words');
	});
});

describe('scheduleWords', () => {
	it('says every minute and every N minutes', () => {
		expect(scheduleWords('en', '* * * * *')).toBe('Every minute');
		expect(scheduleWords('es', '*/5 * * * *')).toBe('Cada 5 minutos');
	});

	it('says hourly on the hour and at a minute', () => {
		expect(scheduleWords('en', '0 * * * *')).toBe('Every hour, on the hour');
		expect(scheduleWords('es', '17 * * * *')).toBe('Cada hora en el minuto 17');
	});

	it('says daily with a zero-padded time, ignoring extra whitespace', () => {
		expect(scheduleWords('en', ' 5  3 * * * ')).toBe('Every day at 03:05 UTC');
		expect(scheduleWords('es', '30 14 * * *')).toBe('Cada día a las 14:30 UTC');
	});

	it('shows any other shape as the cron itself', () => {
		expect(scheduleWords('en', '0 3 * * 1')).toBe('Cron “0 3 * * 1” (UTC)');
		expect(scheduleWords('es', '0 */2 * * *')).toBe('Cron «0 */2 * * *» (UTC)');
		expect(scheduleWords('en', '1-5 * * * *')).toBe('Cron “1-5 * * * *” (UTC)');
		expect(scheduleWords('en', '')).toBe('Cron “” (UTC)');
	});
});

describe('durationWords', () => {
	it('shows a missing duration as a dash', () => {
		expect(durationWords('en', null)).toBe('—');
	});

	it('shows under a second in milliseconds', () => {
		expect(durationWords('en', 0)).toBe('0 ms');
		expect(durationWords('es', 999)).toBe('999 ms');
	});

	it('shows under a minute in seconds with one decimal in the locale format', () => {
		expect(durationWords('en', 1500)).toBe('1.5 s');
		expect(durationWords('es', 1500)).toBe('1,5 s');
		expect(durationWords('en', 59_940)).toBe('59.9 s');
	});

	it('shows a minute or more as minutes and seconds', () => {
		expect(durationWords('en', 60_000)).toBe('1 min 0 s');
		expect(durationWords('es', 125_400)).toBe('2 min 5 s');
	});
});

describe('when', () => {
	it('formats a date or says never', () => {
		expect(when('en', null)).toBe('Never');
		expect(when('es', null)).toBe('Nunca');
		expect(when('es', new Date('2025-03-10T12:00:00.000Z'))).toMatch(/10 mar 2025/);
	});
});

describe('summaryWords', () => {
	it('lists scalar counts and leaves out nulls and nested values', () => {
		expect(summaryWords(null)).toBe('');
		expect(
			summaryWords({ granted: 3, revoked: 0, dryRun: false, note: null, detail: { a: 1 } })
		).toBe('granted: 3, revoked: 0, dryRun: false');
	});
});
