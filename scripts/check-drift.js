/**
 * Schema drift check: fails when the drizzle schema (src/lib/server/db/schema) has changes that no
 * migration in drizzle/ records, i.e. someone changed the schema and forgot `npm run db:generate`.
 *
 * It copies drizzle/ to a temporary folder, runs `drizzle-kit generate` there with the project's
 * drizzle.config.ts (only `out` replaced) and looks for new files. The real drizzle/ folder is never
 * written. Exit 0 = in sync, 1 = drift (the would-be migration is printed), 2 = the check itself
 * could not run.
 */
import { spawn } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** drizzle-kit asks interactively about ambiguous changes (renames); never wait for an answer. */
const TIMEOUT_MS = 120_000;

/** @param {string} dir @returns {string[]} relative paths of every file under dir */
function listFiles(dir) {
	/** @type {string[]} */
	const files = [];
	/** @param {string} sub */
	const walk = (sub) => {
		for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
			const rel = path.join(sub, entry.name);
			if (entry.isDirectory()) walk(rel);
			else files.push(rel);
		}
	};
	if (existsSync(dir)) walk('');
	return files.sort();
}

/** @param {string} root */
function drizzleKitBin(root) {
	const require = createRequire(path.join(root, 'package.json'));
	// drizzle-kit's exports map hides its package.json: walk up from its entry point instead.
	let dir = path.dirname(require.resolve('drizzle-kit'));
	while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir)
		dir = path.dirname(dir);
	const manifestPath = path.join(dir, 'package.json');
	const manifest = /** @type {{ bin: string | Record<string, string> }} */ (
		JSON.parse(readFileSync(manifestPath, 'utf8'))
	);
	const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin['drizzle-kit'];
	if (!bin) throw new Error('cannot find the drizzle-kit executable in node_modules/drizzle-kit');
	return path.join(path.dirname(manifestPath), bin);
}

/**
 * @typedef {object} DriftResult
 * @property {boolean} drift
 * @property {string[]} added files drizzle-kit would add to drizzle/
 * @property {string[]} changed existing files drizzle-kit would rewrite
 * @property {Record<string, string>} contents the added and changed files' new text
 * @property {string} output drizzle-kit's own output
 */

/**
 * @param {{ root?: string, migrationsDir?: string, configFile?: string }} [options]
 * @returns {Promise<DriftResult>}
 */
export async function checkDrift(options = {}) {
	const root = options.root ?? ROOT;
	const migrationsDir = path.resolve(root, options.migrationsDir ?? 'drizzle');
	const configFile = path.resolve(root, options.configFile ?? 'drizzle.config.ts');
	if (!existsSync(configFile)) throw new Error(`${configFile} not found`);

	const temp = mkdtempSync(path.join(os.tmpdir(), 'pinegate-drift-'));
	try {
		const out = path.join(temp, 'drizzle');
		if (existsSync(migrationsDir)) cpSync(migrationsDir, out, { recursive: true });
		const before = new Map(
			listFiles(out).map((file) => [file, readFileSync(path.join(out, file), 'utf8')])
		);

		// The project's config with only the output folder moved.
		const tempConfig = path.join(temp, 'drizzle.config.ts');
		writeFileSync(
			tempConfig,
			`import base from ${JSON.stringify(configFile)};\n` +
				// drizzle-kit prefixes `./` to `out` when it reads snapshots: give it a relative path.
				`export default { ...base, out: ${JSON.stringify(path.relative(root, out))} };\n`
		);

		const output = await run(
			process.execPath,
			[drizzleKitBin(root), 'generate', '--config', tempConfig],
			root
		);

		/** @type {string[]} */
		const added = [];
		/** @type {string[]} */
		const changed = [];
		/** @type {Record<string, string>} */
		const contents = {};
		for (const file of listFiles(out)) {
			const text = readFileSync(path.join(out, file), 'utf8');
			const previous = before.get(file);
			if (previous === undefined) added.push(file);
			else if (previous !== text) changed.push(file);
			else continue;
			contents[file] = text;
		}
		const drift = added.length > 0 || changed.length > 0;
		// drizzle-kit exits 0 even when it fails (unreadable snapshot, bad schema import): trust only
		// its explicit "nothing to migrate" answer or files it actually wrote.
		if (!drift && !/no schema changes/i.test(output)) {
			throw new Error(`drizzle-kit generate did not report a result:\n${output}`);
		}
		return { drift, added, changed, contents, output };
	} finally {
		rmSync(temp, { recursive: true, force: true });
	}
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @returns {Promise<string>}
 */
function run(command, args, cwd) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += String(chunk)));
		child.stderr.on('data', (chunk) => (output += String(chunk)));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(
				new Error(
					`drizzle-kit generate did not finish in ${TIMEOUT_MS / 1000} s; it may be asking a ` +
						'question (a renamed table or column?). Run `npm run db:generate` yourself and answer it.\n' +
						output
				)
			);
		}, TIMEOUT_MS);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve(output);
			else reject(new Error(`drizzle-kit generate failed (exit ${code}):\n${output}`));
		});
	});
}

/** @param {DriftResult} result */
export function describeDrift(result) {
	const lines = [
		'Schema drift: src/lib/server/db/schema differs from the migrations in drizzle/.',
		'Run `npm run db:generate`, review the new migration and commit it with the schema change.',
		''
	];
	for (const file of [...result.added, ...result.changed]) {
		const status = result.added.includes(file) ? 'would add' : 'would change';
		lines.push(`${status} drizzle/${file}`);
		if (file.endsWith('.sql')) {
			const text = result.contents[file] ?? '';
			const shown = text.split('\n').slice(0, 60);
			lines.push(...shown.map((line) => `    ${line}`));
			if (text.split('\n').length > shown.length) lines.push('    …');
		}
	}
	return lines.join('\n');
}

const invokedDirectly =
	process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
	try {
		const result = await checkDrift();
		if (result.drift) {
			process.stderr.write(describeDrift(result) + '\n');
			process.exit(1);
		}
		process.stdout.write('No schema drift: drizzle/ matches src/lib/server/db/schema.\n');
	} catch (error) {
		process.stderr.write(
			`Schema drift check could not run: ${error instanceof Error ? error.message : String(error)}\n`
		);
		process.exit(2);
	}
}
