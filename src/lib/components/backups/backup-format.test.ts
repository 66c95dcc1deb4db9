import { describe, expect, it } from 'vitest';
import { sizeWords } from './backup-format';

describe('backup sizes in words', () => {
	it.each([
		[0, '0 B'],
		[999, '999 B'],
		[1000, '1 KB'],
		[1550, '1.6 KB'],
		[48_213, '48 KB'],
		[7_340_032, '7.3 MB'],
		[2_500_000_000, '2.5 GB']
	])('%d bytes is %s in English', (bytes, words) => expect(sizeWords('en', bytes)).toBe(words));

	it('uses the decimal comma in Spanish', () => expect(sizeWords('es', 1550)).toBe('1,6 KB'));
});
