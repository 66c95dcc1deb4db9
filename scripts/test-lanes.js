/**
 * `npm test`: every test, in two lanes that run at the same time; fails when either fails.
 *   - main lane: the unit and integration suite (vitest, with coverage), then the end-to-end suite
 *     (Playwright) once the build is ready; their own output as is.
 *   - side lane: the build when stale, then the 2-minute fault soak, the rolling-restart test and
 *     the previous release's server on the new schema (their lines prefixed `[build]`, `[soak]`,
 *     `[rolling]`, `[upgrade]`).
 * Why two lanes: the soak spends its two minutes mostly waiting (devices offline, servers and a
 * database restarting), and CI must stay under 15 minutes on two cores. Every suite uses its own
 * servers, databases and ports (the soak its own PostgreSQL cluster), so they cannot see each other.
 *
 * Usage: node scripts/test-lanes.js [--only unit|e2e|soak]
 */
import { spawn, spawnSync } from 'node:child_process';
import process from 'node:process';
import { ROOT } from './build-if-needed.js';

const only = process.argv.includes('--only')
	? process.argv[process.argv.indexOf('--only') + 1]
	: undefined;

/**
 * Runs one command; resolves with its exit code. Output is passed through, each line prefixed
 * when `prefix` is given.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {string} [prefix]
 * @returns {Promise<number>}
 */
function run(command, args, prefix) {
	return new Promise((resolve) => {
		const child = spawn(command, args, {
			cwd: ROOT,
			stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit',
			env: process.env
		});
		if (prefix) {
			for (const [stream, out] of /** @type {const} */ ([
				[child.stdout, process.stdout],
				[child.stderr, process.stderr]
			])) {
				let rest = '';
				stream?.on('data', (chunk) => {
					const lines = (rest + String(chunk)).split('\n');
					rest = lines.pop() ?? '';
					for (const line of lines) out.write(`${prefix} ${line}\n`);
				});
				stream?.on('end', () => {
					if (rest) out.write(`${prefix} ${rest}\n`);
				});
			}
		}
		child.on('error', () => resolve(127));
		child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
	});
}

/**
 * Whether this checkout holds the git history `test:upgrade` takes the previous release from (a
 * shallow clone or an exported tree does not).
 */
function hasHistory() {
	const shallow = spawnSync('git', ['rev-parse', '--is-shallow-repository'], {
		cwd: ROOT,
		encoding: 'utf8'
	});
	return shallow.status === 0 && shallow.stdout.trim() === 'false';
}

/** The previous release against the new schema (docs/operations.md), when history allows. */
async function upgrade() {
	if (!hasHistory()) {
		process.stdout.write(
			'[upgrade] NOT RUN: this checkout has no full git history to take the previous release ' +
				'from; run `npm run test:upgrade` in a full clone\n'
		);
		return 0;
	}
	return run('npm', ['run', '--silent', 'test:upgrade'], '[upgrade]');
}

async function main() {
	const want = (/** @type {string} */ name) => !only || only === name;
	const build =
		want('e2e') || want('soak')
			? run('node', ['scripts/build-if-needed.js'], '[build]')
			: Promise.resolve(0);
	const main = (async () => {
		if (want('unit')) {
			const unit = await run('npx', ['vitest', 'run', '--coverage']);
			if (unit !== 0) return { name: 'unit and integration', code: unit };
		}
		if (!want('e2e')) return { name: 'unit and integration', code: 0 };
		if ((await build) !== 0) return { name: 'build', code: 1 };
		return { name: 'end-to-end', code: await run('npx', ['playwright', 'test']) };
	})();
	const side = (async () => {
		if (!want('soak')) return { name: 'soak', code: 0 };
		if ((await build) !== 0) return { name: 'build', code: 1 };
		const soak = await run('npm', ['run', '--silent', 'test:soak'], '[soak]');
		if (soak !== 0) return { name: 'soak', code: soak };
		const rolling = await run('npm', ['run', '--silent', 'test:rolling'], '[rolling]');
		if (rolling !== 0) return { name: 'rolling restart', code: rolling };
		return { name: 'soak, rolling restart and upgrade', code: await upgrade() };
	})();
	const results = await Promise.all([main, side]);
	for (const { name, code } of results)
		process.stdout.write(
			`test lanes: ${name} ${code === 0 ? 'passed' : `FAILED (exit ${code})`}\n`
		);
	return results.every((r) => r.code === 0) ? 0 : 1;
}

process.exit(await main());
