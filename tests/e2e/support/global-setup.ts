/**
 * Once per Playwright run: start the built server on an empty PGlite folder, let it run initdb and
 * every migration, stop it, and keep the folder as the template that startApp copies for each
 * spec file (see TEMPLATE_ENV in app.ts); with TEST_DATABASE_URL, the same for a PostgreSQL
 * database that startApp's databases are created from. Returns the teardown that removes them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { throwawayPostgres, type ThrowawayDatabase } from '../../helpers/throwaway-postgres';
import {
	freePort,
	POSTGRES_TEMPLATE_ENV,
	ROOT,
	spawnServer,
	TEMPLATE_ENV,
	waitForExit,
	waitForHealthy
} from './app';

/** Starts the built server on a fresh database, waits until it is healthy, and stops it. */
async function migrateWithServer(env: Record<string, string>): Promise<void> {
	const port = await freePort();
	const server = spawnServer({
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		LOG_LEVEL: 'warn',
		...env
	});
	try {
		await waitForHealthy(`http://127.0.0.1:${port}`, server);
	} catch (error) {
		server.child.kill('SIGKILL');
		await server.exited;
		throw error;
	}
	server.child.kill('SIGTERM');
	const exit = await waitForExit(server);
	if (exit.code !== 0) {
		throw new Error(
			`the template server exited with code ${exit.code}:\n${server.logs().join('\n')}`
		);
	}
}

export default async function globalSetup(): Promise<() => Promise<void>> {
	if (!existsSync(path.join(ROOT, 'build', 'handler.js'))) {
		throw new Error(
			'no build: run `npm run test:e2e` (it builds when needed) or `npm run build` first'
		);
	}
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-e2e-template-'));
	try {
		await migrateWithServer({ DATA_DIR: dataDir });
	} catch (error) {
		rmSync(dataDir, { recursive: true, force: true });
		throw error;
	}
	// A clean stop removes the pid lock; make sure no copy inherits one.
	rmSync(path.join(dataDir, 'server.pid'), { force: true });
	process.env[TEMPLATE_ENV] = dataDir;

	// The same on PostgreSQL: a database the server migrated, which each spec's copies.
	const adminUrl = process.env.TEST_DATABASE_URL;
	let template: ThrowawayDatabase | undefined;
	if (adminUrl) {
		template = await throwawayPostgres(adminUrl, { prefix: 'pinegate_e2e_template' });
		try {
			await migrateWithServer({ DATABASE_URL: template.url });
		} catch (error) {
			await template.drop();
			rmSync(dataDir, { recursive: true, force: true });
			throw error;
		}
		process.env[POSTGRES_TEMPLATE_ENV] = template.name;
	}
	return async () => {
		rmSync(dataDir, { recursive: true, force: true });
		await template?.drop();
	};
}
