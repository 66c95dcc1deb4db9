import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePiece, encodePiece } from './piece-codec';
import {
	columnsOf,
	compareKeys,
	finishBase,
	pack,
	packBatch,
	sliceFirst,
	sliceId,
	sortEntries,
	type DataPiece,
	type Key
} from './pieces';

describe('sortEntries', () => {
	const reference = (values: Key[], keys: Key[]) => {
		const pairs = values.map((value, i) => [value, keys[i] as Key] as const);
		pairs.sort((a, b) => compareKeys(a[0], b[0]) || compareKeys(a[1], b[1]));
		return { values: pairs.map((p) => p[0]), keys: pairs.map((p) => p[1]) };
	};
	// Short strings over a small alphabet with U+0000 and U+FFFF, so prefixes and ties are common.
	const text = fc.string({
		unit: fc.constantFrom('\u0000', 'a', 'b', 'B', '\uffff'),
		maxLength: 4
	});
	const entries = (value: fc.Arbitrary<Key>, key: fc.Arbitrary<Key>) =>
		fc.array(fc.tuple(value, key), { maxLength: 60 }).map((pairs) => ({
			values: pairs.map((p) => p[0]),
			keys: pairs.map((p) => p[1])
		}));

	it('orders (value, key) pairs as IndexedDB does, strings joined or not', () => {
		for (const arbitrary of [
			entries(
				text.filter((s) => !s.includes('\u0000')),
				fc.uuid()
			),
			entries(text, fc.uuid()),
			entries(fc.oneof(text, fc.integer({ min: -3, max: 3 })), fc.oneof(text, fc.nat(5)))
		])
			fc.assert(
				fc.property(arbitrary, ({ values, keys }) => {
					expect(sortEntries(values, keys)).toEqual(reference(values, keys));
				}),
				{ numRuns: 300 }
			);
	});

	it('puts a value before the longer values it begins, also through the joined strings', () => {
		expect(sortEntries(['ab', 'a', 'a!', 'a'], ['k1', 'k3', 'k0', 'k2'])).toEqual({
			values: ['a', 'a', 'a!', 'ab'],
			keys: ['k2', 'k3', 'k0', 'k1']
		});
	});
});

describe('packBatch with slices', () => {
	const options = {
		table: 't',
		gen: 'g',
		primaryKey: 'id',
		indexes: [],
		rowsPerPiece: 5,
		entriesPerPiece: 5,
		rowsPerSlice: 2,
		firstPiece: 0,
		batch: 0
	};

	it('stores each piece as slices whose ids sort as their first keys and hold its rows in order', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(
					fc.string({ unit: fc.constantFrom('a', 'b', 'z', '~', ':'), minLength: 1, maxLength: 3 }),
					{
						maxLength: 23
					}
				),
				(ids) => {
					const sorted = [...ids].sort();
					const { pieces, staged } = packBatch(
						{ columns: ['id', 'n'], values: sorted.map((id, n) => [id, n]) },
						options
					);
					expect(staged.dataRefs.every((ref) => ref.sliced)).toBe(true);
					for (const ref of staged.dataRefs) {
						const slices = pieces.filter((piece) => piece.id.startsWith(`${ref.id}:`));
						expect(slices.map((slice) => slice.id)).toEqual(slices.map((s) => s.id).sort());
						for (const slice of slices)
							expect(slice.id).toBe(sliceId(ref.id, sliceFirst(ref.id, slice.id)));
						const rows = slices.flatMap((slice) => slice.values.map((v) => v[0]));
						expect(rows[0]).toBe(ref.first);
						expect(rows.at(-1)).toBe(ref.last);
					}
					expect(pieces.flatMap((piece) => piece.values.map((v) => v[0]))).toEqual(sorted);
				}
			),
			{ numRuns: 200 }
		);
	});

	it("stores the server's text of each slice as it came when its runs are the slices, and the same rows either way", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 17 }),
				fc.constantFrom(2, 4, 5, 6),
				fc.constantFrom(2, 3),
				(count, rowsPerPiece, run) => {
					const values = Array.from({ length: count }, (_, n) => [
						`k${String(n).padStart(2, '0')}`,
						n % 3 === 0 ? null : `name "${n}"\n`
					]);
					// PostgreSQL's spacing, which JSON.stringify does not write: a text kept shows.
					const texts = Array.from({ length: Math.ceil(count / run) }, (_, k) =>
						values
							.slice(k * run, (k + 1) * run)
							.map((row) => `[${row.map((v) => JSON.stringify(v)).join(', ')}]`)
							.join(',')
					);
					const table = { columns: ['id', 'name'], values };
					const opts = { ...options, rowsPerPiece };
					const plain = packBatch(table, opts).pieces.map(encodePiece);
					const kept = packBatch({ ...table, sliced: { rows: run, texts } }, opts).pieces.map(
						encodePiece
					);
					expect(kept.map((piece) => piece.id)).toEqual(plain.map((piece) => piece.id));
					expect(kept.map((piece) => decodePiece<DataPiece>(piece))).toEqual(
						plain.map((piece) => decodePiece<DataPiece>(piece))
					);
					const aligned = run === options.rowsPerSlice && rowsPerPiece % run === 0;
					if (aligned)
						expect(kept.map((piece) => piece.body)).toEqual(
							texts.map((text) => `{"columns":["id","name"],"values":[${text}]}`)
						);
					else expect(kept).toEqual(plain);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('leaves out the keys of an index every row of a batch has, and builds the same index', () => {
		const rows = Array.from({ length: 9 }, (_, n) => ({
			id: `k${n}`,
			n: n < 5 ? `v${n % 3}` : n === 7 ? null : `w${n % 2}`
		}));
		const opts = { ...options, indexes: ['n'], rowsPerPiece: 3, entriesPerPiece: 4 };
		const table = columnsOf(rows);
		const dense = packBatch({ columns: table.columns, values: table.values.slice(0, 5) }, opts);
		const sparse = packBatch(
			{ columns: table.columns, values: table.values.slice(5) },
			{ ...opts, firstPiece: 2, batch: 1 }
		);
		expect(dense.index.entries.n).toEqual({ values: ['v0', 'v1', 'v2', 'v0', 'v1'] });
		expect(sparse.index.entries.n).toEqual({
			values: ['w1', 'w0', 'w0'],
			keys: ['k5', 'k6', 'k8']
		});
		const whole = pack(rows, opts);
		expect(
			finishBase(
				[
					{ ...dense.staged, ...dense.index },
					{ ...sparse.staged, ...sparse.index }
				],
				opts
			).pieces
		).toEqual(whole.pieces.filter((piece) => !piece.id.includes('/d')));
	});

	it('refuses keys that are not strings, whose ids would not sort as the keys', () => {
		expect(() => packBatch({ columns: ['id'], values: [[1], [2], [10]] }, options)).toThrow(
			/slices need string keys/
		);
	});
});
