import { toCsv } from '$lib/shared/csv';
import type { ClientRow } from '$lib/shared/schemas/client';

/** The export's columns, in order; the import reads the same names. */
export const exportColumns = [
	'tradingview_username',
	'email',
	'full_name',
	'status',
	'registered_at',
	'notes'
] as const;

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` (or a tab or CR) as a formula
 * ("CSV injection"). Such values are written with a leading `'`, which spreadsheets show as text;
 * the import removes it again, so an export re-imports unchanged.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeCell(value: string): string {
	return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unescapeCell(value: string): string {
	return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/**
 * The clients as a CSV file: a header line, one line per client, CRLF line ends, and a UTF-8
 * byte-order mark so that spreadsheet programs read accents right.
 */
export function clientsToCsv(rows: readonly ClientRow[]): string {
	const lines: string[][] = [[...exportColumns]];
	for (const row of rows) {
		lines.push(
			[
				row.tradingviewUsername,
				row.email ?? '',
				row.fullName ?? '',
				row.status,
				row.registeredAt,
				row.notes ?? ''
			].map(escapeCell)
		);
	}
	return `\uFEFF${toCsv(lines)}`;
}

/** `clients-2025-03-10.csv`, with the local date. */
export function exportFileName(now: Date = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `clients-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.csv`;
}
