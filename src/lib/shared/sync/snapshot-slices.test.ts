import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSnapshotPiece, decodeWireTables, type WireTables } from './protocol';
import { cutSlices } from './snapshot-slices';

type Table = { columns: string[]; values: unknown[][] };

/** A row as PostgreSQL's `json_build_array` writes it: values joined by ", ". */
const rowText = (row: unknown[]) => `[${row.map((value) => JSON.stringify(value)).join(', ')}]`;

/** Rows text as the server writes it, a line break around every run of `marks[k]` rows. */
function serverText(tables: Array<[string, Table]>, runOf: (table: number) => number): string {
	const parts = tables.map(([name, { columns, values }], n) => {
		const runs: string[] = [];
		const run = runOf(n);
		for (let at = 0; at < values.length; at += run)
			runs.push(
				values
					.slice(at, at + run)
					.map(rowText)
					.join(',')
			);
		return `${JSON.stringify(name)}:[${JSON.stringify(columns)},[\n${runs.join('\n,\n')}\n]]`;
	});
	return `{${parts.join(',')}}`;
}

const value = fc.oneof(
	fc.string({ unit: 'grapheme' }),
	fc.constantFrom('line\nbreak', 'quote " and \\ and \u2028', 'ñandú'),
	fc.integer(),
	fc.constant(null)
);

/** Tables of unique increasing ids (strings, or numbers for grants) and random values, at least one row each. */
const tablesArb = fc
	.array(
		fc.tuple(
			fc.constantFrom('clients', 'accesses', 'accessEvents'),
			fc.integer({ min: 1, max: 9 })
		),
		{ minLength: 1, maxLength: 3 }
	)
	.chain((specs) => {
		const names = [...new Set(specs.map(([name]) => name))];
		return fc.tuple(
			...names.map((name) =>
				fc
					.array(fc.array(value, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 12 })
					.map((rows): [string, Table] => [
						name,
						{
							columns: ['id', 'a', 'b'],
							// Numbers of which each is how the next one's text begins (1, 10, 100…), so a
							// run a row off starts with the text of the value it should start with.
							values: rows.map((row, i) => [
								name === 'accesses' ? 10 ** i : `id-${String(i).padStart(3, '0')}`,
								...row
							])
						}
					])
			)
		);
	});

const groups = (values: unknown[][], run: number) =>
	Array.from({ length: Math.ceil(values.length / run) }, (_, k) =>
		values.slice(k * run, (k + 1) * run)
	);

describe('cutSlices', () => {
	it('cuts a marked text into runs whose texts are exactly their rows, and reads as the unmarked text', () => {
		fc.assert(
			fc.property(tablesArb, fc.integer({ min: 1, max: 5 }), (tables, run) => {
				const text = serverText(tables, () => run);
				const decoded = decodeWireTables(text);
				expect(decoded).toEqual(Object.fromEntries(tables));
				cutSlices(text, decoded, run);
				for (const [name, table] of tables) {
					const sliced = decoded[name as keyof WireTables]?.sliced;
					expect(sliced?.rows).toBe(run);
					expect(sliced?.texts.map((t) => JSON.parse(`[${t}]`) as unknown)).toEqual(
						groups(table.values, run)
					);
				}
			})
		);
	});

	it('cuts nothing unless every run is where the device would cut it', () => {
		fc.assert(
			fc.property(
				tablesArb,
				fc.integer({ min: 1, max: 5 }),
				fc.integer({ min: 1, max: 5 }),
				fc.nat(),
				(tables, asked, marked, which) => {
					// One table marked in runs of `marked`, the others as asked.
					const odd = which % tables.length;
					const text = serverText(tables, (n) => (n === odd ? marked : asked));
					const decoded = decodeWireTables(text);
					cutSlices(text, decoded, asked);
					// The marks are the device's own when the runs are the same, or both one run.
					const alike =
						marked === asked || tables[odd]![1].values.length <= Math.min(marked, asked);
					for (const [name, table] of tables) {
						const sliced = decoded[name as keyof WireTables]?.sliced;
						if (!alike) expect(sliced).toBeUndefined();
						else
							expect(sliced?.texts.map((t) => JSON.parse(`[${t}]`) as unknown)).toEqual(
								groups(table.values, asked)
							);
					}
				}
			)
		);
	});

	it('cuts nothing from a text without marks, or with a break too many or too few', () => {
		const tables: Array<[string, Table]> = [
			[
				'clients',
				{
					columns: ['id', 'name'],
					values: [
						['a', 'Ana'],
						['b', 'Bo'],
						['c', 'Cy']
					]
				}
			]
		];
		const marked = serverText(tables, () => 2);
		const variants = [
			JSON.stringify({ clients: [tables[0]![1].columns, tables[0]![1].values] }),
			marked.replace('\n,\n', ','),
			marked.replace('],[', '],\n[')
		];
		for (const text of variants) {
			const decoded = decodeWireTables(text);
			cutSlices(text, decoded, 2);
			expect(decoded.clients?.sliced).toBeUndefined();
		}
		const decoded = decodeWireTables(marked);
		cutSlices(marked, decoded, 2);
		expect(decoded.clients?.sliced?.texts).toEqual(['["a", "Ana"],["b", "Bo"]', '["c", "Cy"]']);
	});

	it('cuts nothing where the first values do not increase, since a run a row off could not be told', () => {
		const values = [
			['same', 1],
			['same', 2],
			['same', 3]
		];
		// Runs of two marked after the first row instead of the second.
		const text = `{"clients":[["status","n"],[\n${rowText(values[0]!)}\n,\n${rowText(values[1]!)},${rowText(values[2]!)}\n]]}`;
		const decoded = decodeWireTables(text);
		cutSlices(text, decoded, 2);
		expect(decoded.clients?.sliced).toBeUndefined();
	});

	it('is what decodeSnapshotPiece does when the request asked for runs', () => {
		const text = serverText(
			[
				[
					'clients',
					{
						columns: ['id', 'n'],
						values: [
							['a', 1],
							['b', 2],
							['c', 3]
						]
					}
				]
			],
			() => 2
		);
		const wire = {
			status: 'ok',
			version: 1,
			rows: text,
			next: null,
			total: 3,
			serverNow: ''
		} as const;
		const asked = decodeSnapshotPiece(wire, 2);
		const unasked = decodeSnapshotPiece(wire);
		if (asked.status !== 'ok' || unasked.status !== 'ok') throw new Error('expected ok');
		expect(asked.tables.clients?.sliced?.texts).toEqual(['["a", 1],["b", 2]', '["c", 3]']);
		expect(unasked.tables.clients?.sliced).toBeUndefined();
	});
});
