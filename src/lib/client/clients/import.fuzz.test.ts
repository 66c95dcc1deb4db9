import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsvRecords, toCsv } from '$lib/shared/csv';
import { payloads } from '../../../../tests/helpers/fuzz';
import { planImport } from './import';

// Issue 8, "Bad input": the CSV import fed arbitrary text. Parsing either reads records or throws
// the documented CsvError; planning an import never throws and turns every problem into a
// file problem or a per-row issue; neither slows down on huge fields.

const csvPieces = fc.oneof(
	fc.constantFrom(',', '"', '""', '\r', '\n', '\r\n', '\uFEFF', "'=1+1", '@SUM(A1)', ...payloads),
	fc.string({ unit: 'binary', maxLength: 20 }),
	fc.string({ unit: 'grapheme', maxLength: 20 })
);
const csvText = fc.array(csvPieces, { maxLength: 60 }).map((parts) => parts.join(''));
const header = fc.constantFrom(
	'tradingview_username,email,full_name,status,notes\n',
	'username\r\n',
	'Name,TradingView Username\n',
	''
);

describe('CSV import with hostile files', () => {
	it('parsing reads records or throws CsvError, nothing else', () => {
		fc.assert(
			fc.property(csvText, (text) => {
				try {
					const records = parseCsvRecords(text);
					for (const record of records) expect(record.line).toBeGreaterThanOrEqual(1);
				} catch (error) {
					expect(error).toBeInstanceOf(CsvError);
				}
			}),
			{ numRuns: 500 }
		);
	});

	it('planning an import never throws: a file problem or a row with issues', () => {
		fc.assert(
			fc.property(header, csvText, (head, body) => {
				const plan = planImport(head + body, [
					{ id: 'c1', tradingviewUsername: 'Taken', email: 'taken@example.test' }
				]);
				expect(plan.rows.length).toBe(plan.valid.length + plan.invalidCount + plan.duplicateCount);
				if (plan.problem) expect(plan.rows).toEqual([]);
				for (const row of plan.rows) {
					if (row.fields === null) expect(row.issues.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns: 500 }
		);
	});

	it('written fields read back unchanged, whatever they hold', () => {
		const cell = fc.oneof(csvPieces, fc.string({ unit: 'grapheme', maxLength: 10 }));
		const rows = fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { maxLength: 5 });
		fc.assert(
			fc.property(rows, (written) => {
				// A leading byte-order mark is how a file starts, not data: the reader drops one.
				const text = toCsv(written);
				const start = text.startsWith('\uFEFF') ? '\uFEFF' : '';
				expect(parseCsvRecords(start + text).map((record) => record.fields)).toEqual(written);
			}),
			{ numRuns: 300 }
		);
	});

	it('huge fields and many rows are read in linear time', () => {
		const huge = 'x'.repeat(2_000_000);
		const quoted = `"${'a""b,\n'.repeat(200_000)}"`;
		const many = 'username\n' + 'user_a\n'.repeat(50_000);
		const started = performance.now();
		expect(parseCsvRecords(`username,notes\nabc,${huge}\n`)[1]?.fields[1]?.length).toBe(2_000_000);
		expect(parseCsvRecords(quoted)[0]?.fields[0]?.length).toBe(1_000_000);
		const plan = planImport(many, []);
		expect(plan.valid.length).toBe(1);
		expect(plan.duplicateCount).toBe(49_999);
		expect(() => parseCsvRecords(`"${huge}`)).toThrow(CsvError);
		// Generous for a loaded machine; a quadratic reader would take minutes.
		expect(performance.now() - started).toBeLessThan(15_000);
	});
});
