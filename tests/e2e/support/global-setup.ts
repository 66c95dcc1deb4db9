/**
 * Once per Playwright run: start the built server on an empty PGlite folder, let it run initdb and
 * every migration, stop it, and keep the folder as the template that startApp copies for each
 * spec file (see TEMPLATE_ENV in app.ts). Returns the teardown that removes it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, ROOT, spawnServer, TEMPLATE_ENV, waitForExit, waitForHealthy } from './app';

export default async function globalSetup(): Promise<() => void> {
	if (!existsSync(path.join(ROOT, 'build', 'handler.js'))) {
		throw new Error(
			'no build: run `npm run test:e2e` (it builds when needed) or `npm run build` first'
		);
	}
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-e2e-template-'));
	const port = await freePort();
	const server = spawnServer({
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		DATA_DIR: dataDir,
		LOG_LEVEL: 'warn'
	});
	try {
		await waitForHealthy(`http://127.0.0.1:${port}`, server);
	} catch (error) {
		rmSync(dataDir, { recursive: true, force: true });
		throw error;
	}
	server.child.kill('SIGTERM');
	const exit = await waitForExit(server);
	if (exit.code !== 0) {
		rmSync(dataDir, { recursive: true, force: true });
		throw new Error(
			`the template server exited with code ${exit.code}:\n${server.logs().join('\n')}`
		);
	}
	// A clean stop removes the pid lock; make sure no copy inherits one.
	rmSync(path.join(dataDir, 'server.pid'), { force: true });
	process.env[TEMPLATE_ENV] = dataDir;
	return () => rmSync(dataDir, { recursive: true, force: true });
}
