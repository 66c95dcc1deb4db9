import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, parseCsvRecords, toCsv } from './csv';

describe('parseCsv', () => {
	it('reads plain comma-separated records', () => {
		expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
			['a', 'b', 'c'],
			['1', '2', '3']
		]);
	});

	it('accepts CRLF, LF and lone CR line ends, and a last record without one', () => {
		expect(parseCsv('a,b\r\n1,2\r3,4\n5,6')).toEqual([
			['a', 'b'],
			['1', '2'],
			['3', '4'],
			['5', '6']
		]);
	});

	it('drops a UTF-8 byte-order mark', () => {
		expect(parseCsv('\uFEFFusername,email\r\nana,ana@example.com\r\n')).toEqual([
			['username', 'email'],
			['ana', 'ana@example.com']
		]);
	});

	it('reads quoted fields with commas, doubled quotes and line breaks', () => {
		const text = 'name,notes\r\n"López, José","said ""hi""\r\nthen left"\r\n"",x\r\n';
		expect(parseCsv(text)).toEqual([
			['name', 'notes'],
			['López, José', 'said "hi"\r\nthen left'],
			['', 'x']
		]);
	});

	it('keeps empty fields, including a trailing one', () => {
		expect(parseCsv('a,,c,\n,\n')).toEqual([
			['a', '', 'c', ''],
			['', '']
		]);
	});

	it('skips blank lines but keeps line numbers right', () => {
		const records = parseCsvRecords('h1,h2\n\n"multi\nline",x\r\n\r\nlast,y');
		expect(records).toEqual([
			{ line: 1, fields: ['h1', 'h2'] },
			{ line: 3, fields: ['multi\nline', 'x'] },
			{ line: 6, fields: ['last', 'y'] }
		]);
	});

	it('keeps a quote inside an unquoted field as text', () => {
		expect(parseCsv('5" screen,ok\n')).toEqual([['5" screen', 'ok']]);
	});

	it('keeps text after a closing quote (as spreadsheets do)', () => {
		expect(parseCsv('"a"b,c\n')).toEqual([['ab', 'c']]);
	});

	it('reports an unterminated quote with its line', () => {
		expect(() => parseCsv('a,b\n1,"open\nstill open')).toThrowError(CsvError);
		try {
			parseCsv('a,b\n1,"open\nstill open');
		} catch (error) {
			expect((error as CsvError).line).toBe(2);
		}
	});

	it('reads nothing from an empty file or a lone BOM', () => {
		expect(parseCsv('')).toEqual([]);
		expect(parseCsv('\uFEFF')).toEqual([]);
		expect(parseCsv('\r\n\n')).toEqual([]);
	});
});

describe('toCsv', () => {
	it('quotes only the fields that need it and ends lines with CRLF', () => {
		expect(
			toCsv([
				['plain', 'with,comma', 'with "quote"', 'two\nlines', ' padded', ''],
				['á', 'b']
			])
		).toBe('plain,"with,comma","with ""quote""","two\nlines"," padded",\r\ná,b\r\n');
	});

	it('writes nothing for no rows', () => {
		expect(toCsv([])).toBe('');
	});

	it('round-trips any table of strings through parseCsv', () => {
		const field = fc.string({
			unit: fc.constantFrom('a', 'Z', 'é', ' ', ',', '"', '\r', '\n', '1')
		});
		// A record of one empty field is a blank line, which the reader skips by design.
		const row = fc
			.array(field, { minLength: 1, maxLength: 5 })
			.filter((r) => r.join('') !== '' || r.length > 1);
		fc.assert(
			fc.property(fc.array(row, { maxLength: 6 }), (rows) => {
				expect(parseCsv(toCsv(rows))).toEqual(rows);
			})
		);
	});
});
