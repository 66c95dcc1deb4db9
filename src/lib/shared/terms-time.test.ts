import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoMs } from './iso-time';
import { isoMsInto } from './terms-time';

const decoded = (text: string) => {
	const out = new Float64Array(1);
	isoMsInto(text, out, 0);
	return out[0];
};

describe('isoMsInto', () => {
	it('gives isoMs for wire timestamps, years outside its table included', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('1700-01-01'), max: new Date('2400-12-31'), noInvalidDate: true }),
				(date) => {
					const text = date.toISOString();
					expect(decoded(text)).toBe(isoMs(text));
				}
			)
		);
	});

	it('gives isoMs for any text of the wire shape (digits or not) and any other text', () => {
		// Wire timestamps with a few characters replaced (by digits mostly, so that the result is
		// often still a valid date of the shape, sometimes by anything).
		const shaped = fc
			.tuple(
				fc.date({ min: new Date('1850-01-01'), max: new Date('2250-12-31'), noInvalidDate: true }),
				fc.array(
					fc.tuple(
						fc.integer({ min: 0, max: 23 }),
						fc.oneof(
							{ weight: 4, arbitrary: fc.constantFrom(...'0123456789') },
							{ weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) }
						)
					),
					{ maxLength: 3 }
				)
			)
			.map(([date, changes]) => {
				const chars = [...date.toISOString()];
				for (const [at, char] of changes) chars[at] = char;
				return chars.join('');
			});
		// Each bound of the checks: day, month, the table's years; another shape.
		const edges = fc.constantFrom(
			'2026-05-00T00:00:00.000Z',
			'2026-05-32T00:00:00.000Z',
			'2026-02-31T00:00:00.000Z',
			'2026-00-10T00:00:00.000Z',
			'2026-13-10T00:00:00.000Z',
			'1899-12-31T23:59:59.999Z',
			'1900-01-01T00:00:00.000Z',
			'2199-12-31T23:59:59.999Z',
			'2200-01-01T00:00:00.000Z',
			'2026-05-01T00:00:00Z',
			'2026-05-01T24:61:61.999Z'
		);
		fc.assert(
			fc.property(fc.oneof({ weight: 4, arbitrary: shaped }, fc.string(), edges), (text) => {
				expect(Object.is(decoded(text), isoMs(text))).toBe(true);
			}),
			{ numRuns: 2000 }
		);
	});
});
