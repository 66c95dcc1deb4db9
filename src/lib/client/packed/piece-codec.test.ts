import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePiece, encodePiece } from './piece-codec';
import { sortEntries, type IndexPiece, type Key, type KeyPiece } from './pieces';

const uuid = (n: number) => `018fc251-f400-749a-ba3d-${String(n).padStart(12, '0')}`;

/** An index piece as `finishBase` cuts one: (value, key) pairs sorted. */
function indexPiece(values: Key[]): IndexPiece {
	const sorted = sortEntries(
		values,
		values.map((_, n) => uuid(n))
	);
	return { id: 'accesses/g/i:clientId:0', ...sorted };
}

describe('encodePiece and decodePiece', () => {
	it('give back every index piece, its repeated values stored as runs', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.oneof(
						fc.constantFrom<Key>('a', 'b', 'ab', '', 'Zoë', uuid(1), uuid(2)),
						fc.integer({ min: -3, max: 3 })
					),
					{ maxLength: 300 }
				),
				(values) => {
					const piece = indexPiece(values);
					expect(decodePiece<IndexPiece>(encodePiece(piece))).toEqual(piece);
				}
			)
		);
	});

	it('stores runs where they are shorter, and the values as they are where few repeat', () => {
		// A grant's events: three or so per grant, the index by grant as the bench set has it.
		const shared = indexPiece(Array.from({ length: 4000 }, (_, n) => uuid(Math.floor(n / 3))));
		const sharedBody = encodePiece(shared).body;
		expect(sharedBody).toContain('"runs":');
		expect(sharedBody).not.toContain('"values":');
		expect(sharedBody.length).toBeLessThan(
			JSON.stringify({ values: shared.values, keys: shared.keys }).length * 0.75
		);

		// E-mail addresses: each its own.
		const unique = indexPiece(Array.from({ length: 4000 }, (_, n) => `user${n}@example.com`));
		const uniqueBody = encodePiece(unique).body;
		expect(JSON.parse(uniqueBody)).toEqual({ values: unique.values, keys: unique.keys });
		expect(decodePiece<IndexPiece>(encodePiece(unique))).toEqual(unique);
	});

	it('reads the index pieces an earlier release stored, and key pieces as before', () => {
		const earlier = { values: ['a', 'a', 'a', 'b'], keys: [uuid(1), uuid(2), uuid(3), uuid(4)] };
		expect(
			decodePiece<IndexPiece>({ id: 'clients/g/i:status:0', body: JSON.stringify(earlier) })
		).toEqual({ id: 'clients/g/i:status:0', ...earlier });

		const keys: KeyPiece = { id: 'clients/g/k0', keys: [uuid(1), uuid(2), uuid(3)] };
		expect(encodePiece(keys).body).toBe(JSON.stringify({ keys: keys.keys }));
		expect(decodePiece<KeyPiece>(encodePiece(keys))).toEqual(keys);
	});
});
