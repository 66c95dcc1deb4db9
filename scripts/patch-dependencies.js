/**
 * Fixes in installed dependencies that their upstream has not released yet. Runs from `prepare`
 * (after every `npm ci` / `npm install`), and is idempotent: a file already patched is left alone,
 * and a dependency whose code no longer has the text to patch (a release with the fix, or a
 * rewrite) is reported, not broken.
 *
 * - postgres (postgres.js) 3.4.x: `nextWrite` writes to a socket that a closing connection has
 *   already set to null, from a `setImmediate`, so the TypeError ends the process: a PostgreSQL
 *   restart crashed a server in about half the fault soak's restarts (docs/reliability.md;
 *   porsager/postgres#1154, #1208). The guard is the one of porsager/postgres#1209: with no socket,
 *   drop the buffered write and fail the connection's queries with CONNECTION_CLOSED, which the
 *   app already handles like any lost connection (the pool reconnects).
 *
 * Usage: node scripts/patch-dependencies.js [--check]  (--check: exit 1 when a patch is missing)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const MARKER = '/* pinegate: nextWrite guard (porsager/postgres#1209) */';

const UNPATCHED = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;

const PATCHED = `  function nextWrite(fn) {
    ${MARKER}
    if (!socket) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options, socket))
      return false
    }
    const x = socket.write(chunk, fn)`;

export const POSTGRES_FILES = ['src', 'cjs/src', 'cf/src'].map((dir) =>
	path.join('node_modules', 'postgres', dir, 'connection.js')
);

/**
 * Applies the guard to one file's text.
 * @param {string} text
 * @returns {{ text: string, state: 'patched' | 'already' | 'unknown' }}
 */
export function patchPostgres(text) {
	if (text.includes(MARKER)) return { text, state: 'already' };
	if (!text.includes(UNPATCHED)) return { text, state: 'unknown' };
	return { text: text.replace(UNPATCHED, PATCHED), state: 'patched' };
}

function main() {
	const check = process.argv.includes('--check');
	let missing = 0;
	for (const file of POSTGRES_FILES) {
		const full = path.join(ROOT, file);
		if (!existsSync(full)) continue;
		const { text, state } = patchPostgres(readFileSync(full, 'utf8'));
		if (state === 'patched') {
			if (check) missing++;
			else writeFileSync(full, text);
		}
		if (state === 'unknown')
			process.stderr.write(
				`patch-dependencies: ${file} has no unguarded nextWrite (fixed upstream?): left as is\n`
			);
		if (state === 'patched' || state === 'already')
			process.stderr.write(
				`patch-dependencies: ${file}: ${state === 'already' || !check ? 'nextWrite guarded' : 'NOT patched'}\n`
			);
	}
	if (missing) process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
