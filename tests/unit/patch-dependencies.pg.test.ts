import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKER, patchPostgres, POSTGRES_FILES } from '../../scripts/patch-dependencies.js';
import { TEST_DATABASE_URL } from '../helpers/db';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('patch-dependencies: the postgres.js nextWrite guard', () => {
	it('guards nextWrite once, leaves a patched file alone and reports code it does not know', () => {
		const unpatched = `  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n    return x\n  }`;
		const once = patchPostgres(unpatched);
		expect(once.state).toBe('patched');
		expect(once.text).toContain(MARKER);
		expect(once.text).toMatch(/if \(!socket\) \{[\s\S]*CONNECTION_CLOSED[\s\S]*return false/);
		expect(once.text.indexOf('if (!socket)')).toBeLessThan(once.text.indexOf('socket.write'));
		expect(patchPostgres(once.text)).toEqual({ text: once.text, state: 'already' });
		expect(patchPostgres('function other() {}').state).toBe('unknown');
	});

	it('is applied to the installed postgres.js (npm ci runs it from `prepare`)', () => {
		for (const file of POSTGRES_FILES)
			expect(readFileSync(path.join(ROOT, file), 'utf8'), file).toContain(MARKER);
	});

	// A PostgreSQL restart ends every backend: the server process must live through it.
	it.runIf(TEST_DATABASE_URL)(
		'a backend terminated mid-transaction rejects the transaction instead of ending the process',
		() => {
			const run = spawnSync(
				process.execPath,
				[
					'--import',
					'tsx',
					path.join(import.meta.dirname, 'fixtures/postgres-backend-terminated.ts')
				],
				{ cwd: ROOT, env: { ...process.env }, encoding: 'utf8', timeout: 30_000 }
			);
			expect(run.stderr).not.toContain('TypeError');
			expect(run.status, run.stderr).toBe(0);
			expect(JSON.parse(run.stdout.trim())).toEqual({ outcome: 'CONNECTION_CLOSED', after: 1 });
		}
	);
});
