import cronParser from 'cron-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextSlot, parseCron, previousSlot } from './cron';

// pg-boss fires schedules with cron-parser; the slots computed here must be the same ones, or a
// tick would be claimed under the wrong time.
const expressions = [
	'* * * * *',
	'0 * * * *',
	'0 3 * * *',
	'*/5 * * * *',
	'15,45 8-18 * * 1-5',
	'30 2 1 * *',
	'0 0 29 2 *',
	'0 12 13 * 5',
	'10-40/10 */6 * 1,6 0',
	'0 0 * * 7'
];

const at = (iso: string) => new Date(iso);

describe('cron slots', () => {
	it('hourly and daily slots', () => {
		const hourly = parseCron('0 * * * *');
		expect(previousSlot(hourly, at('2026-11-28T10:59:59Z'))).toEqual(at('2026-11-28T10:00:00Z'));
		expect(previousSlot(hourly, at('2026-11-28T10:00:00Z'))).toEqual(at('2026-11-28T10:00:00Z'));
		expect(nextSlot(hourly, at('2026-11-28T10:00:00Z'))).toEqual(at('2026-11-28T11:00:00Z'));
		const daily = parseCron('0 3 * * *');
		expect(previousSlot(daily, at('2026-11-28T02:59:00Z'))).toEqual(at('2026-11-27T03:00:00Z'));
		expect(nextSlot(daily, at('2026-12-31T03:00:00Z'))).toEqual(at('2027-01-01T03:00:00Z'));
	});

	it('refuses what it cannot read', () => {
		expect(() => parseCron('0 3 * *')).toThrow(/five fields/);
		expect(() => parseCron('61 * * * *')).toThrow(/minute/);
		expect(() => parseCron('0 3 * * MON')).toThrow(/day of week/);
	});

	it.each(expressions)('%s agrees with cron-parser', (expression) => {
		const cron = parseCron(expression);
		fc.assert(
			fc.property(
				fc.date({
					min: at('2024-01-01T00:00:00Z'),
					max: at('2030-12-31T00:00:00Z'),
					noInvalidDate: true
				}),
				(when) => {
					const prev = cronParser
						.parseExpression(expression, { currentDate: new Date(when.getTime() + 1), tz: 'UTC' })
						.prev()
						.toDate();
					const next = cronParser
						.parseExpression(expression, { currentDate: when, tz: 'UTC' })
						.next()
						.toDate();
					expect(previousSlot(cron, when)).toEqual(prev);
					expect(nextSlot(cron, when)).toEqual(next);
				}
			),
			{ numRuns: 40 }
		);
	});
});
