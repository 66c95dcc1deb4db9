/**
 * `npm start`: build when the build is missing or stale, then serve it (scripts/serve.js).
 * A fresh clone needs only `npm ci && npm start`; the app then runs on http://localhost:3000 with
 * the embedded database under ./data (or PostgreSQL when DATABASE_URL is set).
 */
import process from 'node:process';
import { buildIfNeeded } from './build-if-needed.js';

process.env.NODE_ENV ??= 'production';

try {
	buildIfNeeded();
} catch (error) {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
}

const { main } = await import('./serve.js');
await main();
