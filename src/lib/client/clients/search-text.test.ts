import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SearchText } from './search-text';

describe('SearchText', () => {
	it('finds exactly the keys that contain the word, in order, once each', () => {
		const unit = fc.constantFrom('a', 'b', 'n', '\n', 'é', 'ab');
		fc.assert(
			fc.property(
				fc.array(fc.string({ unit, maxLength: 8 })),
				fc.string({ unit: fc.constantFrom('a', 'b', 'n', 'é'), minLength: 1, maxLength: 3 }),
				(keys, word) => {
					const expected = keys.flatMap((key, at) => (key.includes(word) ? [at] : []));
					expect(new SearchText(keys).find(word)).toEqual(expected);
				}
			)
		);
	});

	it('does not match across two keys, and finds a word at the very end', () => {
		const text = new SearchText(['ana', 'nu', 'x\nana']);
		expect(text.find('an')).toEqual([0, 2]);
		expect(text.find('ana')).toEqual([0, 2]);
		expect(text.find('anu')).toEqual([]);
		expect(text.find('nu')).toEqual([1]);
		expect(new SearchText([]).find('a')).toEqual([]);
	});

	it('refuses a word that could span keys', () => {
		expect(() => new SearchText(['a']).find('a\nb')).toThrow();
		expect(() => new SearchText(['a']).find('')).toThrow();
	});
});
