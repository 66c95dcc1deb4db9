import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATED, PROCESS_CHANGES } from '../helpers/isolated-tests.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
// The files vite.config.ts's projects include.
const testFiles = ['src', 'tests/unit'].flatMap((dir) =>
	readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.test.ts'))
		.map((file) => path.posix.join(dir, file.split(path.sep).join('/')))
);
const changesProcess = (text: string) => PROCESS_CHANGES.some((pattern) => pattern.test(text));

describe('test isolation (vite.config.ts projects)', () => {
	it('recognises what changes the process for later files, and not what only reads it', () => {
		expect(changesProcess(`vi.mock('$app/environment', () => ({}));`)).toBe(true);
		expect(changesProcess(`Object.assign(globalThis, { window })`)).toBe(true);
		expect(changesProcess(`globalThis.fetch = serverFetch;`)).toBe(true);
		expect(changesProcess(`process.env.SECRET_KEY = 'x';`)).toBe(true);
		expect(changesProcess(`process.env['A'] = '1'`)).toBe(true);
		expect(changesProcess(`vi.stubEnv('A', '1')`)).toBe(true);
		expect(changesProcess(`if (globalThis.fetch === f) process.env.A ??= x;`)).toBe(false);
		expect(changesProcess(`const url = process.env.TEST_DATABASE_URL;`)).toBe(false);
	});

	it('gives every test file that changes the process its own module graph', () => {
		expect(testFiles.length).toBeGreaterThan(50);
		const changing = testFiles
			.filter((file) => file !== 'tests/unit/isolated-tests.test.ts')
			.filter((file) => changesProcess(readFileSync(path.join(ROOT, file), 'utf8')));
		expect(changing.sort()).toEqual([...ISOLATED].sort());
	});
});
