/**
 * A small RFC 4180 CSV reader and writer (no dependency): comma-separated fields, fields quoted
 * with `"` when they hold a comma, a quote or a line break, quotes doubled inside quotes.
 *
 * Reading is lenient where spreadsheets are: a UTF-8 byte-order mark is dropped, CRLF, LF and a
 * lone CR all end a record, the last record may lack a line break, and a quote inside an unquoted
 * field is kept as text. Blank lines (no characters at all) are skipped.
 */

export class CsvError extends Error {
	override name = 'CsvError';
	constructor(
		readonly code: 'unterminatedQuote',
		/** 1-based line where the problem starts. */
		readonly line: number
	) {
		super(`${code} at line ${line}`);
	}
}

export interface CsvRecord {
	/** The 1-based line of the file where this record starts (records may span lines). */
	line: number;
	fields: string[];
}

/** Parses CSV text into records with their starting line numbers. */
export function parseCsvRecords(text: string): CsvRecord[] {
	const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const records: CsvRecord[] = [];
	let fields: string[] = [];
	let field = '';
	let line = 1;
	let recordLine = 1;
	/** Whether anything (a character or a separator) was read for the current record. */
	let started = false;
	let i = 0;
	const n = input.length;

	const endRecord = () => {
		if (started) {
			fields.push(field);
			records.push({ line: recordLine, fields });
		}
		fields = [];
		field = '';
		started = false;
	};

	while (i < n) {
		const ch = input[i];
		if (ch === '"' && field === '') {
			// A quoted field: read up to the closing quote; "" is one quote.
			const quoteLine = line;
			started = true;
			i++;
			let closed = false;
			while (i < n) {
				const c = input[i];
				if (c === '"') {
					if (input[i + 1] === '"') {
						field += '"';
						i += 2;
						continue;
					}
					i++;
					closed = true;
					break;
				}
				if (c === '\r') {
					// Keep line breaks inside quotes as written, but count lines for messages.
					if (input[i + 1] === '\n') {
						field += '\r\n';
						i += 2;
					} else {
						field += '\r';
						i++;
					}
					line++;
					continue;
				}
				if (c === '\n') line++;
				field += c;
				i++;
			}
			if (!closed) throw new CsvError('unterminatedQuote', quoteLine);
			// Anything between the closing quote and the next separator is kept (lenient).
			while (i < n && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') {
				field += input[i];
				i++;
			}
			continue;
		}
		if (ch === ',') {
			started = true;
			fields.push(field);
			field = '';
			i++;
			continue;
		}
		if (ch === '\r' || ch === '\n') {
			endRecord();
			i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
			line++;
			recordLine = line;
			continue;
		}
		if (!started) recordLine = line;
		started = true;
		field += ch;
		i++;
	}
	endRecord();
	return records;
}

/** Parses CSV text into rows of fields. */
export function parseCsv(text: string): string[][] {
	return parseCsvRecords(text).map((record) => record.fields);
}

function quote(value: string): string {
	return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes rows as CSV with CRLF line ends (RFC 4180). Fields are quoted only when they need it
 * (a comma, a quote, a line break, or leading/trailing spaces some readers would trim).
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
	return rows.map((row) => row.map(quote).join(',')).join('\r\n') + (rows.length ? '\r\n' : '');
}
