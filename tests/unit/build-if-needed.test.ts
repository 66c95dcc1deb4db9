import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_MARKER, buildReason, INPUTS, newestFile } from '../../scripts/build-if-needed.js';

let root: string;

function write(relative: string, ageSeconds: number): void {
	const file = path.join(root, relative);
	mkdirSync(path.dirname(file), { recursive: true });
	writeFileSync(file, relative);
	const at = new Date(Date.now() - ageSeconds * 1000);
	utimesSync(file, at, at);
}

beforeEach(() => {
	root = mkdtempSync(path.join(os.tmpdir(), 'pinegate-build-test-'));
	write('src/routes/+page.svelte', 100);
	write('src/lib/server/env.ts', 100);
	write('static/favicon.svg', 100);
	write('drizzle/0000_init.sql', 100);
	write('svelte.config.js', 100);
	write('vite.config.ts', 100);
	write('package-lock.json', 100);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildReason', () => {
	it('asks for a build when build/handler.js is missing', () => {
		expect(buildReason(root)).toBe(`${BUILD_MARKER} is missing`);
	});

	it('is satisfied when the build is newer than every input', () => {
		write(BUILD_MARKER, 10);
		expect(buildReason(root)).toBeNull();
	});

	it.each([
		'src/lib/server/env.ts',
		'src/routes/(app)/clients/+page.svelte',
		'static/icon.png',
		'drizzle/0001_next.sql',
		'svelte.config.js',
		'vite.config.ts',
		'package-lock.json'
	])('asks for a build when %s is newer than the build', (changed) => {
		write(BUILD_MARKER, 10);
		write(changed, 1);
		expect(buildReason(root)).toBe(`${changed} changed after the last build`);
	});

	it('ignores files that are not build inputs', () => {
		write(BUILD_MARKER, 10);
		write('tests/e2e/server.spec.ts', 1);
		write('README.md', 1);
		write('data/pglite/PG_VERSION', 1);
		expect(buildReason(root)).toBeNull();
	});

	it('ignores tests written under src after the build (they are not part of it)', () => {
		write(BUILD_MARKER, 10);
		write('src/lib/server/env.test.ts', 1);
		write('src/lib/client/sync/engine.pg.test.ts', 1);
		expect(buildReason(root)).toBeNull();
		write('src/lib/server/env.ts', 1);
		expect(buildReason(root)).toBe(
			`${path.join('src', 'lib', 'server', 'env.ts')} changed after the last build`
		);
	});

	it('tolerates missing optional inputs', () => {
		rmSync(path.join(root, 'static'), { recursive: true });
		write(BUILD_MARKER, 10);
		expect(buildReason(root)).toBeNull();
	});
});

describe('newestFile', () => {
	it('walks folders recursively', () => {
		write('src/a/b/c/deep.ts', 1);
		expect(newestFile(path.join(root, 'src'))?.file).toBe(path.join(root, 'src/a/b/c/deep.ts'));
		expect(newestFile(path.join(root, 'nope'))).toBeUndefined();
	});

	it('covers the inputs the brief names', () => {
		expect(INPUTS).toEqual([
			'src',
			'static',
			'drizzle',
			'svelte.config.js',
			'vite.config.ts',
			'package-lock.json'
		]);
	});
});
