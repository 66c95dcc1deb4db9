import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@playwright/test';
import { freePort, ROOT } from './app';

/** `npm run demo` started for a test: its own folder, port and fake TradingView. */
export interface Demo {
	base: string;
	port: number;
	dataDir: string;
	child: ChildProcess;
	/** Everything the script printed so far. */
	output(): string;
	exited: Promise<number | null>;
	/** The account the demo printed. */
	email: string;
	password: string;
	/** The fake TradingView's address, as printed. */
	fakeUrl: string;
	/** SIGTERM (then SIGKILL if it hangs) and the folder removed. */
	dispose(): Promise<void>;
}

/** Starts the demo script on `dataset` (its --clients/--indicators/--accesses/--seed arguments). */
export async function startDemo(dataset: string[]): Promise<Demo> {
	const port = await freePort();
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-demo-e2e-'));
	const args = ['--port', String(port), '--data-dir', dataDir, ...dataset];
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
		cwd: ROOT,
		env: { ...process.env, LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code))
	);
	const dispose = async () => {
		if (child.exitCode === null) {
			// SIGTERM first: the demo stops its server; a SIGKILL would leave the server running.
			child.kill('SIGTERM');
			const gone = await Promise.race([
				exited.then(() => true),
				new Promise<false>((resolve) => setTimeout(() => resolve(false), 20_000))
			]);
			if (!gone) child.kill('SIGKILL');
		}
		rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		await expect
			.poll(() => output, { timeout: 150_000, message: 'the demo prints its banner' })
			.toContain('PineGate demo is running');
	} catch (error) {
		await dispose();
		throw error;
	}
	const [, email = '', password = ''] = /log in:\s+(\S+) \/ (\S+)/.exec(output) ?? [];
	const fakeUrl = /a fake one at (http:\/\/\S+)/.exec(output)?.[1] ?? '';
	return {
		base: `http://127.0.0.1:${port}`,
		port,
		dataDir,
		child,
		output: () => output,
		exited,
		email,
		password,
		fakeUrl,
		dispose
	};
}
