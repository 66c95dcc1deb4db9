/**
 * The part of `npm test` after the unit suite: builds the app when stale, then runs two lanes at
 * the same time and fails when either fails:
 *   - the end-to-end suite (Playwright, its own output as is);
 *   - the 2-minute fault soak, then the rolling-restart test (their lines prefixed `[soak]`,
 *     `[rolling]`).
 * Why in parallel: the soak is mostly waiting (devices offline, servers restarting, a database
 * restart) for a fixed two minutes, and CI must stay under 15 minutes on two cores. Each lane's
 * tests use their own servers, databases and ports, so they cannot see each other.
 *
 * Usage: node scripts/test-lanes.js [--only e2e|soak]
 */
import { spawn } from 'node:child_process';
import process from 'node:process';
import { buildIfNeeded, ROOT } from './build-if-needed.js';

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

async function soakLane() {
	const soak = await run('npm', ['run', '--silent', 'test:soak'], '[soak]');
	if (soak !== 0) return { name: 'soak', code: soak };
	const rolling = await run('npm', ['run', '--silent', 'test:rolling'], '[rolling]');
	return { name: 'rolling restart', code: rolling };
}

async function main() {
	try {
		buildIfNeeded();
	} catch (error) {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		return 1;
	}
	const lanes = [];
	if (only !== 'soak')
		lanes.push(
			run('npx', ['playwright', 'test']).then((code) => ({ name: 'end-to-end', code }))
		);
	if (only !== 'e2e') lanes.push(soakLane());
	const results = await Promise.all(lanes);
	for (const { name, code } of results)
		process.stdout.write(`test lanes: ${name} ${code === 0 ? 'passed' : `FAILED (exit ${code})`}\n`);
	return results.every((r) => r.code === 0) ? 0 : 1;
}

process.exit(await main());
