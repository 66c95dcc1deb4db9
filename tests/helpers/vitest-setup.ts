/**
 * Vitest's global setup: names the migrated databases every test database of the run starts from
 * (tests/helpers/templates.ts), and removes them at the end. They are made on first use, by
 * whichever test worker needs one first, so a run of tests that open no database pays nothing.
 * PGlite: a dump of a migrated in-memory cluster, in a temp file. PostgreSQL (when
 * TEST_DATABASE_URL is set): a migrated database used only as `create database … template`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Where the dump of a migrated PGlite cluster is kept once made. */
		pgliteTemplate: string;
		/** The name of the migrated PostgreSQL template, when TEST_DATABASE_URL is set. */
		postgresTemplate?: string;
	}
}

export default function setup(project: TestProject): () => Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'pinegate-vitest-'));
	project.provide('pgliteTemplate', path.join(dir, 'pglite.tar'));
	const url = process.env.TEST_DATABASE_URL;
	const name = `pinegate_template_${randomBytes(6).toString('hex')}`;
	if (url) project.provide('postgresTemplate', name);
	return async () => {
		rmSync(dir, { recursive: true, force: true });
		if (!url) return;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		try {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
		} finally {
			await admin.end({ timeout: 5 });
		}
	};
}
