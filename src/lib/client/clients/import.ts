import { CsvError, parseCsvRecords } from '$lib/shared/csv';
import { translate, type Locale } from '$lib/shared/i18n';
import {
	clientFieldsSchema,
	clientStatuses,
	type ClientFields,
	type ClientRow
} from '$lib/shared/schemas/client';
import { translateIssue } from '../api-error';
import { unescapeCell } from './csv';

// CSV import, as pure functions: read the file, map its columns, validate each row with the same
// zod schema as the form, and find duplicates against existing clients and within the file.

/** The fields a file can fill, and the header names accepted for each. */
export const importColumns = {
	tradingviewUsername: ['tradingview_username', 'username'],
	email: ['email'],
	fullName: ['full_name', 'name'],
	status: ['status'],
	notes: ['notes']
} as const;

export type ImportField = keyof typeof importColumns;
const importFields = Object.keys(importColumns) as ImportField[];

/** "TradingView username", "Full-Name " → "tradingview_username", "full_name". */
export function headerKey(header: string): string {
	return header
		.trim()
		.toLowerCase()
		.replace(/[\s-]+/g, '_');
}

/** Status words a spreadsheet may hold, in either language; empty means the default (active). */
const statusWords: Record<string, (typeof clientStatuses)[number]> = {
	active: 'active',
	activo: 'active',
	activa: 'active',
	inactive: 'inactive',
	inactivo: 'inactive',
	inactiva: 'inactive'
};

export type RowIssue =
	| { kind: 'invalid'; field: ImportField; message: string }
	| { kind: 'taken'; field: 'tradingviewUsername' | 'email'; clientId: string }
	| { kind: 'inFile'; field: 'tradingviewUsername' | 'email'; line: number };

export interface ImportRow {
	/** The line of the file where the row starts. */
	line: number;
	/** The cells as read (for the preview). */
	values: Record<ImportField, string>;
	/** The validated fields, or null when the row has a validation error. */
	fields: ClientFields | null;
	issues: RowIssue[];
}

export type FileProblem =
	{ kind: 'empty' } | { kind: 'malformed'; line: number } | { kind: 'missingUsername' };

export interface ImportPlan {
	problem: FileProblem | null;
	rows: ImportRow[];
	/** Rows to import: valid and no duplicate. */
	valid: ImportRow[];
	invalidCount: number;
	duplicateCount: number;
	/** Header names the import does not know (shown, not an error). */
	ignoredColumns: string[];
}

type Existing = Pick<ClientRow, 'id' | 'tradingviewUsername' | 'email'>;

function emptyPlan(problem: FileProblem): ImportPlan {
	return { problem, rows: [], valid: [], invalidCount: 0, duplicateCount: 0, ignoredColumns: [] };
}

function validate(values: Record<ImportField, string>): {
	fields: ClientFields | null;
	issues: RowIssue[];
} {
	const statusText = values.status.trim().toLowerCase();
	const input = {
		tradingviewUsername: values.tradingviewUsername,
		email: values.email,
		fullName: values.fullName,
		status: statusText === '' ? undefined : (statusWords[statusText] ?? statusText),
		notes: values.notes
	};
	const parsed = clientFieldsSchema.safeParse(input);
	if (parsed.success) return { fields: parsed.data, issues: [] };
	const issues: RowIssue[] = [];
	const seen = new Set<string>();
	for (const issue of parsed.error.issues) {
		const field = String(issue.path[0] ?? '') as ImportField;
		if (!importFields.includes(field) || seen.has(field)) continue;
		seen.add(field);
		issues.push({ kind: 'invalid', field, message: issue.message });
	}
	return { fields: null, issues };
}

/**
 * Reads a CSV file and decides, row by row, what importing it would do. A row is imported when it
 * validates and neither its username nor its email belongs to an existing client or to an earlier
 * importable row of the file (case-insensitively, as the server compares them).
 */
export function planImport(text: string, existing: readonly Existing[]): ImportPlan {
	let records;
	try {
		records = parseCsvRecords(text);
	} catch (error) {
		if (error instanceof CsvError) return emptyPlan({ kind: 'malformed', line: error.line });
		throw error;
	}
	const [header, ...body] = records;
	if (!header) return emptyPlan({ kind: 'empty' });

	const columns = new Map<ImportField, number>();
	const ignoredColumns: string[] = [];
	header.fields.forEach((name, index) => {
		const key = headerKey(name);
		const field = importFields.find((f) => (importColumns[f] as readonly string[]).includes(key));
		if (field && !columns.has(field)) columns.set(field, index);
		else if (key !== '') ignoredColumns.push(name.trim());
	});
	if (!columns.has('tradingviewUsername')) return emptyPlan({ kind: 'missingUsername' });

	const usernames = new Map<string, string>();
	const emails = new Map<string, string>();
	for (const client of existing) {
		usernames.set(client.tradingviewUsername.toLowerCase(), client.id);
		if (client.email) emails.set(client.email.toLowerCase(), client.id);
	}
	const fileUsernames = new Map<string, number>();
	const fileEmails = new Map<string, number>();

	const rows: ImportRow[] = [];
	const valid: ImportRow[] = [];
	let invalidCount = 0;
	let duplicateCount = 0;
	for (const record of body) {
		// A line of only separators or spaces is not a row (spreadsheets leave these at the end).
		if (record.fields.every((cell) => cell.trim() === '')) continue;
		const values = {} as Record<ImportField, string>;
		for (const field of importFields) {
			const index = columns.get(field);
			values[field] = index === undefined ? '' : unescapeCell(record.fields[index] ?? '');
		}
		const { fields, issues } = validate(values);
		if (fields) {
			const username = fields.tradingviewUsername.toLowerCase();
			const email = fields.email?.toLowerCase() ?? null;
			const takenBy = usernames.get(username);
			if (takenBy) issues.push({ kind: 'taken', field: 'tradingviewUsername', clientId: takenBy });
			else if (fileUsernames.has(username))
				issues.push({
					kind: 'inFile',
					field: 'tradingviewUsername',
					line: fileUsernames.get(username) as number
				});
			if (email) {
				const emailTakenBy = emails.get(email);
				if (emailTakenBy) issues.push({ kind: 'taken', field: 'email', clientId: emailTakenBy });
				else if (fileEmails.has(email))
					issues.push({ kind: 'inFile', field: 'email', line: fileEmails.get(email) as number });
			}
			if (issues.length === 0) {
				fileUsernames.set(username, record.line);
				if (email) fileEmails.set(email, record.line);
			}
		}
		const row: ImportRow = { line: record.line, values, fields, issues };
		rows.push(row);
		if (!fields) invalidCount++;
		else if (issues.length > 0) duplicateCount++;
		else valid.push(row);
	}
	if (rows.length === 0) return { ...emptyPlan({ kind: 'empty' }), ignoredColumns };
	return { problem: null, rows, valid, invalidCount, duplicateCount, ignoredColumns };
}

/** A field's label in the user's language. */
export function fieldName(locale: Locale, field: ImportField): string {
	return translate(locale, `clients.fields.${field}`);
}

/** The sentence the preview shows for an issue. */
export function issueMessage(locale: Locale, issue: RowIssue): string {
	switch (issue.kind) {
		case 'invalid':
			return translate(locale, 'clients.import.invalidField', {
				field: fieldName(locale, issue.field),
				message: translateIssue(locale, issue.message)
			});
		case 'taken':
			return translate(
				locale,
				issue.field === 'email' ? 'clients.form.emailTaken' : 'clients.form.usernameTaken'
			);
		case 'inFile':
			return translate(
				locale,
				issue.field === 'email' ? 'clients.import.emailInFile' : 'clients.import.usernameInFile',
				{ line: issue.line }
			);
	}
}

/** The sentence for a problem with the whole file. */
export function fileProblemMessage(locale: Locale, problem: FileProblem): string {
	switch (problem.kind) {
		case 'empty':
			return translate(locale, 'clients.import.empty');
		case 'malformed':
			return translate(locale, 'clients.import.malformed', { line: problem.line });
		case 'missingUsername':
			return translate(locale, 'clients.import.missingUsername');
	}
}
