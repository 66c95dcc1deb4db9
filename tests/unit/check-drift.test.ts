import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDrift, describeDrift, ROOT } from '../../scripts/check-drift.js';

/** A fingerprint of every file under drizzle/, to prove the check never writes there. */
function fingerprint(dir: string): string {
	const hash = createHash('sha256');
	for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).sort((a, b) =>
		path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name))
	)) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath, entry.name);
		hash.update(path.relative(dir, file)).update(readFileSync(file));
	}
	return hash.digest('hex');
}

describe('check-drift', { timeout: 120_000 }, () => {
	it('finds no drift between the schema and drizzle/ in this tree, and leaves drizzle/ alone', async () => {
		const drizzleDir = path.join(ROOT, 'drizzle');
		const before = fingerprint(drizzleDir);
		const result = await checkDrift();
		expect(result.drift, describeDrift(result)).toBe(false);
		expect(fingerprint(drizzleDir)).toBe(before);
	});

	it('reports the migration drizzle-kit would write when drizzle/ lacks it', async () => {
		const empty = mkdtempSync(path.join(os.tmpdir(), 'pinegate-drift-test-'));
		try {
			const result = await checkDrift({ migrationsDir: empty });
			expect(result.drift).toBe(true);
			expect(result.added.some((file) => file.endsWith('.sql'))).toBe(true);
			expect(result.added).toContain(path.join('meta', '_journal.json'));
			const message = describeDrift(result);
			expect(message).toContain('Schema drift');
			expect(message).toContain('npm run db:generate');
			expect(message).toMatch(/CREATE TABLE/);
			expect(readdirSync(empty)).toEqual([]);
		} finally {
			rmSync(empty, { recursive: true, force: true });
		}
	});
});
