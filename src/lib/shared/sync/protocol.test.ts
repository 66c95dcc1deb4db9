import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWireTables, isoFromUtcText } from './protocol';

/** PostgreSQL's JSON of a UTC time: no zone, trailing zeros of the fraction dropped. */
function postgresText(ms: number, micros: number): string {
	const iso = new Date(ms).toISOString().slice(0, 19);
	const fraction =
		`${String(ms % 1000).padStart(3, '0')}${String(micros).padStart(3, '0')}`.replace(/0+$/, '');
	return fraction ? `${iso}.${fraction}` : iso;
}

describe('timestamps as UTC text', () => {
	it('become the ISO text devices store, milliseconds cut', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }),
				fc.integer({ min: 0, max: 999 }),
				(ms, micros) => {
					expect(isoFromUtcText(postgresText(ms, micros))).toBe(new Date(ms).toISOString());
				}
			),
			{ numRuns: 2000 }
		);
		expect(isoFromUtcText('2026-02-03T04:05:06')).toBe('2026-02-03T04:05:06.000Z');
		expect(isoFromUtcText('2026-02-03T04:05:06.5')).toBe('2026-02-03T04:05:06.500Z');
		expect(isoFromUtcText('2026-02-03T04:05:06.789999')).toBe('2026-02-03T04:05:06.789Z');
	});

	it('are converted in the fields a table lists, and refused when malformed', () => {
		const text = JSON.stringify({
			clients: [
				['id', 'createdAt', 'note'],
				[
					['a', '2026-02-03T04:05:06.5', '2026-02-03T04:05:06.5'],
					['b', null, 'x']
				],
				['createdAt']
			]
		});
		expect(decodeWireTables(text).clients?.values).toEqual([
			['a', '2026-02-03T04:05:06.500Z', '2026-02-03T04:05:06.5'],
			['b', null, 'x']
		]);
		const bad = (third: unknown, value: unknown = '2026-02-03T04:05:06') =>
			JSON.stringify({ clients: [['id', 'createdAt'], [['a', value]], third] });
		expect(() => decodeWireTables(bad(['missing']))).toThrow('malformed');
		expect(() => decodeWireTables(bad('createdAt'))).toThrow('malformed');
		expect(() => decodeWireTables(bad(['createdAt'], 42))).toThrow('malformed');
		expect(() => decodeWireTables(bad(['createdAt'], 'yesterday'))).toThrow('malformed');
	});
});
