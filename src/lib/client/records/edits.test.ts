import { describe, expect, it } from 'vitest';
import { shorten } from './edits';

describe('shortening long values in the edit history', () => {
	it('keeps short text and cuts long text at a word with an ellipsis', () => {
		expect(shorten('Paid by bank transfer')).toBe('Paid by bank transfer');
		expect(shorten('one two three four five', 15)).toBe('one two three…');
		expect(shorten('x'.repeat(30), 10)).toBe(`${'x'.repeat(10)}…`);
	});
});
