import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patchRowSet, rowSet } from './row-set';

interface Row {
	id: string;
	v: number;
}

const sorted = (rows: Row[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('patchRowSet', () => {
	it('puts, replaces and removes rows, keeping primary-key order', () => {
		const set = rowSet(
			sorted([
				{ id: 'b', v: 1 },
				{ id: 'd', v: 1 },
				{ id: 'f', v: 1 }
			])
		);
		const next = patchRowSet(
			set,
			[
				{ id: 'e', v: 2 },
				{ id: 'a', v: 2 },
				{ id: 'd', v: 2 },
				{ id: 'g', v: 2 }
			],
			['f', 'x']
		);
		expect(next.rows).toEqual([
			{ id: 'a', v: 2 },
			{ id: 'b', v: 1 },
			{ id: 'd', v: 2 },
			{ id: 'e', v: 2 },
			{ id: 'g', v: 2 }
		]);
		expect(next.byId.get('d')).toEqual({ id: 'd', v: 2 });
		expect(next.byId.has('f')).toBe(false);
		// The set it came from is left as it was (a page may still be showing it).
		expect(set.rows.map((r) => r.id)).toEqual(['b', 'd', 'f']);
	});

	it('gives what a fresh read of the patched table gives, whatever the changes', () => {
		const id = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDÄé'.split(''), 'aa', 'a-', 'b0');
		const table = fc.uniqueArray(fc.record({ id, v: fc.nat(9) }), { selector: (r) => r.id });
		fc.assert(
			fc.property(
				table,
				fc.uniqueArray(fc.record({ id, v: fc.nat(9) }), { selector: (r) => r.id }),
				fc.array(id),
				(rows, upserts, deletes) => {
					// The store as IndexedDB would hold it: the puts applied, then the deletes of ids the
					// puts did not write (a bulkGet finds a row, or finds none: never both).
					const live = new Map(rows.map((r) => [r.id, r]));
					for (const row of upserts) live.set(row.id, row);
					const gone = deletes.filter((d) => !upserts.some((u) => u.id === d));
					for (const d of gone) live.delete(d);
					const next = patchRowSet(rowSet(sorted(rows)), upserts, gone);
					expect(next.rows).toEqual(sorted([...live.values()]));
					expect([...next.byId.keys()].sort()).toEqual([...live.keys()].sort());
				}
			)
		);
	});
});
