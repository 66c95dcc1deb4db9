/**
 * Vitest's global setup: one migrated database of each kind for the whole run, which every test
 * database starts from (tests/helpers/db.ts). Creating a PGlite cluster costs ~2 s of CPU and
 * migrating a PostgreSQL database a few hundred statements; a suite opens well over a hundred.
 * PGlite: a dump of a migrated in-memory cluster in a temp file. PostgreSQL (when
 * TEST_DATABASE_URL is set): a migrated database used only as `create database … template`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/lib/server/db/client';

declare module 'vitest' {
	export interface ProvidedContext {
		/** A file holding the dump of a migrated PGlite cluster. */
		pgliteTemplate: string;
		/** A migrated PostgreSQL database to create test databases from, when TEST_DATABASE_URL is set. */
		postgresTemplate?: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const dir = mkdtempSync(path.join(tmpdir(), 'pinegate-vitest-'));
	const file = path.join(dir, 'pglite.tar');
	const database = await openDatabase({ migrationsDir: 'drizzle' });
	try {
		if (database.driver.kind !== 'pglite') throw new Error('expected PGlite');
		const dump = await database.driver.client.dumpDataDir('none');
		writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
	} finally {
		await database.close();
	}
	project.provide('pgliteTemplate', file);

	const url = process.env.TEST_DATABASE_URL;
	let dropTemplate = async () => {};
	if (url) {
		const name = `pinegate_template_${randomBytes(6).toString('hex')}`;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const templateUrl = new URL(url);
		templateUrl.pathname = `/${name}`;
		const template = await openDatabase({
			databaseUrl: templateUrl.toString(),
			migrationsDir: 'drizzle'
		});
		await template.close();
		project.provide('postgresTemplate', name);
		dropTemplate = async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end({ timeout: 5 });
		};
	}
	return async () => {
		rmSync(dir, { recursive: true, force: true });
		await dropTemplate();
	};
}
