import { RangeSet } from 'dexie';
import { describe, expect, it } from 'vitest';
import { changedKeys, primaryKeyPart } from './changes';

describe('changedKeys', () => {
	it('lists single keys of a Dexie range set, and of its structured clone', () => {
		const set = new RangeSet().addKeys(['c', 'a', 'b', 'e', 'd']);
		expect(changedKeys(set, 100)?.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(changedKeys(structuredClone(set), 100)?.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('is empty for an empty set', () => {
		expect(changedKeys(new RangeSet(), 10)).toEqual([]);
	});

	it('gives up on ranges, non-string keys and too many keys', () => {
		expect(changedKeys(new RangeSet('a', 'z'), 10)).toBeNull();
		expect(changedKeys(new RangeSet(-Infinity, [[[]]]), 10)).toBeNull();
		expect(changedKeys(new RangeSet().addKey(5), 10)).toBeNull();
		expect(changedKeys(new RangeSet().addKeys(['a', 'b', 'c']), 2)).toBeNull();
		expect(changedKeys('nonsense', 2)).toBeNull();
	});

	it('names the primary-key part', () => {
		expect(primaryKeyPart('pinegate', 'clients')).toBe('idb://pinegate/clients/');
	});
});
