import { describe, expect, it } from 'vitest';
import { parseCsv } from '$lib/shared/csv';
import type { ClientRow } from '$lib/shared/schemas/client';
import { clientsToCsv, escapeCell, exportColumns, exportFileName, unescapeCell } from './csv';
import { fileProblemMessage, headerKey, issueMessage, planImport } from './import';

const existing = [
	{ id: 'existing-ana', tradingviewUsername: 'Ana.Trader', email: 'ana@example.com' },
	{ id: 'existing-bob', tradingviewUsername: 'bob', email: null }
];

describe('planImport', () => {
	it('reads rows with any accepted header names, in any order and case', () => {
		const plan = planImport(
			'\uFEFFName,Username,EMAIL,Status,Notes,Extra\r\n' +
				'José Núñez,@jnunez ,JOSE@EXAMPLE.COM,Inactivo,"likes, commas",x\r\n' +
				',zoe_fx,,,,\r\n',
			existing
		);
		expect(plan.problem).toBeNull();
		expect(plan.ignoredColumns).toEqual(['Extra']);
		expect(plan.valid.map((row) => row.fields)).toEqual([
			{
				tradingviewUsername: 'jnunez',
				email: 'jose@example.com',
				fullName: 'José Núñez',
				status: 'inactive',
				notes: 'likes, commas'
			},
			{ tradingviewUsername: 'zoe_fx', email: null, fullName: null, status: 'active', notes: null }
		]);
		expect(plan.valid.map((row) => row.line)).toEqual([2, 3]);
	});

	it('reports per-row validation errors with the field', () => {
		const plan = planImport(
			'tradingview_username,email,status\nx,not-an-email,maybe\nok_user,,\n',
			existing
		);
		expect(plan.invalidCount).toBe(1);
		expect(plan.valid).toHaveLength(1);
		expect(plan.rows[0]?.fields).toBeNull();
		expect(plan.rows[0]?.issues).toEqual([
			{ kind: 'invalid', field: 'tradingviewUsername', message: 'validation.usernameTooShort' },
			{ kind: 'invalid', field: 'email', message: 'validation.emailInvalid' },
			{ kind: 'invalid', field: 'status', message: 'validation.statusInvalid' }
		]);
	});

	it('finds duplicates of existing clients, case-insensitively, with the client', () => {
		const plan = planImport(
			'username,email\nana.trader,new@example.com\nnew_one,ANA@example.com\nBOB,\n',
			existing
		);
		expect(plan.valid).toHaveLength(0);
		expect(plan.duplicateCount).toBe(3);
		expect(plan.rows.map((row) => row.issues)).toEqual([
			[{ kind: 'taken', field: 'tradingviewUsername', clientId: 'existing-ana' }],
			[{ kind: 'taken', field: 'email', clientId: 'existing-ana' }],
			[{ kind: 'taken', field: 'tradingviewUsername', clientId: 'existing-bob' }]
		]);
	});

	it('finds duplicates within the file, pointing to the first line', () => {
		const plan = planImport(
			'username,email\n' +
				'carla,carla@example.com\n' +
				'"multi\nline!",\n' + // invalid: does not claim anything
				'Carla,other@example.com\n' +
				'dan,CARLA@example.com\n',
			[]
		);
		expect(plan.valid.map((row) => row.fields?.tradingviewUsername)).toEqual(['carla']);
		expect(plan.rows.map((row) => [row.line, row.issues.map((issue) => issue.kind)])).toEqual([
			[2, []],
			[3, ['invalid']],
			[5, ['inFile']],
			[6, ['inFile']]
		]);
		expect(plan.rows[2]?.issues[0]).toEqual({
			kind: 'inFile',
			field: 'tradingviewUsername',
			line: 2
		});
		expect(plan.rows[3]?.issues[0]).toEqual({ kind: 'inFile', field: 'email', line: 2 });
	});

	it('an invalid first occurrence does not make a later row a duplicate', () => {
		const plan = planImport('username,email\nsame,bad\nsame,ok@example.com\n', []);
		expect(plan.valid.map((row) => row.line)).toEqual([3]);
	});

	it('skips blank lines and rows of only separators', () => {
		const plan = planImport('username,email\n\n,\n  , \neve,\n', []);
		expect(plan.rows.map((row) => row.line)).toEqual([5]);
	});

	it('reports problems with the whole file', () => {
		expect(planImport('', []).problem).toEqual({ kind: 'empty' });
		expect(planImport('username,email\r\n', []).problem).toEqual({ kind: 'empty' });
		expect(planImport('email,name\nx@y.z,X\n', []).problem).toEqual({ kind: 'missingUsername' });
		expect(planImport('username\nok\n"open\n', []).problem).toEqual({
			kind: 'malformed',
			line: 3
		});
	});

	it('reads back what the export wrote, formula guards included', () => {
		const row: ClientRow = {
			id: '0190a000-0000-7000-8000-000000000001',
			tradingviewUsername: '-dash',
			tvUsernameState: 'unverified',
			email: 'x@example.com',
			fullName: '=HYPERLINK("evil")',
			status: 'inactive',
			notes: 'line one\nline "two", with comma',
			registeredAt: '2025-03-10T12:00:00.000Z',
			createdAt: '2025-03-10T12:00:00.000Z',
			updatedAt: '2025-03-10T12:00:00.000Z',
			version: 3,
			deletedAt: null
		};
		const csv = clientsToCsv([row]);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(parseCsv(csv)).toEqual([
			[...exportColumns],
			[
				"'-dash",
				'x@example.com',
				`'=HYPERLINK("evil")`,
				'inactive',
				'2025-03-10T12:00:00.000Z',
				'line one\nline "two", with comma'
			]
		]);
		const plan = planImport(csv, []);
		expect(plan.valid[0]?.fields).toEqual({
			tradingviewUsername: '-dash',
			email: 'x@example.com',
			fullName: '=HYPERLINK("evil")',
			status: 'inactive',
			notes: 'line one\nline "two", with comma'
		});
	});
});

describe('messages', () => {
	const plan = planImport(
		'username,email\nx,bad\nana.trader,\nzed,z@example.com\nzed,\n',
		existing
	);
	const issues = plan.rows.flatMap((row) => row.issues);

	it('are in English', () => {
		expect(issues.map((issue) => issueMessage('en', issue))).toEqual([
			'TradingView username: The TradingView username needs at least 2 characters.',
			'Email: Enter a valid email address, like name@example.com.',
			'Another client already has this TradingView username.',
			'Same TradingView username as line 4.'
		]);
	});

	it('are in Spanish', () => {
		expect(issues.map((issue) => issueMessage('es', issue))).toEqual([
			'Usuario de TradingView: El usuario de TradingView necesita al menos 2 caracteres.',
			'Correo electrónico: Escribe un correo electrónico válido, como nombre@ejemplo.com.',
			'Otro cliente ya tiene este usuario de TradingView.',
			'Mismo usuario de TradingView que la línea 4.'
		]);
		expect(fileProblemMessage('es', { kind: 'malformed', line: 7 })).toContain('línea 7');
		expect(fileProblemMessage('es', { kind: 'missingUsername' })).toContain('tradingview_username');
	});
});

describe('helpers', () => {
	it('normalises header names', () => {
		expect(headerKey(' TradingView Username ')).toBe('tradingview_username');
		expect(headerKey('Full-Name')).toBe('full_name');
	});

	it('guards and unguards formula-like cells only', () => {
		for (const value of ['=1+1', '+34 600', '-x', '@me', '\tx']) {
			expect(escapeCell(value)).toBe(`'${value}`);
			expect(unescapeCell(escapeCell(value))).toBe(value);
		}
		expect(escapeCell("it's")).toBe("it's");
		expect(unescapeCell("'quoted'")).toBe("'quoted'");
	});

	it('names the export file by local date', () => {
		expect(exportFileName(new Date(2025, 2, 9, 23, 59))).toBe('clients-2025-03-09.csv');
	});
});
