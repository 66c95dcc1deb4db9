/**
 * Runs `vite build` only when the production build is missing or older than its inputs, so
 * `npm start` and `npm run test:e2e` on a fresh clone build once and then start at once.
 *
 * Usage: node scripts/build-if-needed.js [--force] [--dry-run]
 *   --force    build even when the build looks fresh
 *   --dry-run  only say whether a build is needed (exit 0 either way)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the build is made from: a change to any of these makes the build stale. */
export const INPUTS = [
	'src',
	'static',
	'drizzle',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];

/** The file the server imports; adapter-node writes it at the end of a successful build. */
export const BUILD_MARKER = path.join('build', 'handler.js');

/**
 * The newest file under `entry` (a file or folder), or undefined when it does not exist.
 *
 * @param {string} entry
 * @returns {{ file: string, mtimeMs: number } | undefined}
 */
export function newestFile(entry) {
	let stat;
	try {
		stat = statSync(entry);
	} catch {
		return undefined;
	}
	if (!stat.isDirectory()) return { file: entry, mtimeMs: stat.mtimeMs };
	/** @type {{ file: string, mtimeMs: number } | undefined} */
	let newest;
	for (const name of readdirSync(entry)) {
		// Tests are not part of the build: writing one must not make the build stale.
		if (/\.test\.ts$/.test(name)) continue;
		const found = newestFile(path.join(entry, name));
		if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
	}
	return newest;
}

/**
 * Why a build is needed, or null when build/handler.js is newer than every input.
 *
 * @param {string} [root]
 * @returns {string | null}
 */
export function buildReason(root = ROOT) {
	let built;
	try {
		built = statSync(path.join(root, BUILD_MARKER)).mtimeMs;
	} catch {
		return `${BUILD_MARKER} is missing`;
	}
	for (const input of INPUTS) {
		const newest = newestFile(path.join(root, input));
		if (newest && newest.mtimeMs > built) {
			return `${path.relative(root, newest.file)} changed after the last build`;
		}
	}
	return null;
}

/** @param {string} root */
function viteBin(root) {
	const require = createRequire(path.join(root, 'package.json'));
	const manifestPath = require.resolve('vite/package.json');
	const manifest = /** @type {{ bin: string | Record<string, string> }} */ (
		JSON.parse(readFileSync(manifestPath, 'utf8'))
	);
	const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.vite;
	if (!bin) throw new Error('cannot find the vite executable in node_modules/vite');
	return path.join(path.dirname(manifestPath), bin);
}

/**
 * Builds when needed. Returns true when it built. Throws when the build fails.
 *
 * @param {{ root?: string, force?: boolean, log?: (line: string) => void }} [options]
 */
export function buildIfNeeded(options = {}) {
	const root = options.root ?? ROOT;
	const log = options.log ?? ((line) => process.stderr.write(line + '\n'));
	const reason = options.force ? 'forced' : buildReason(root);
	if (!reason) {
		log('build is up to date');
		return false;
	}
	log(`building (${reason}) …`);
	const started = Date.now();
	const result = spawnSync(process.execPath, [viteBin(root), 'build'], {
		cwd: root,
		stdio: 'inherit',
		// A build always targets production, whatever NODE_ENV the caller set for itself.
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (result.error) throw result.error;
	if (result.status !== 0) {
		throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
	}
	log(`build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return true;
}

const invokedDirectly =
	process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
	const args = process.argv.slice(2);
	if (args.includes('--dry-run')) {
		const reason = buildReason();
		process.stdout.write(reason ? `build needed: ${reason}\n` : 'build is up to date\n');
	} else {
		try {
			buildIfNeeded({ force: args.includes('--force') });
		} catch (error) {
			process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
			process.exit(1);
		}
	}
}
