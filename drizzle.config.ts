import { defineConfig } from 'drizzle-kit';

// Generation only: migrations are applied by the server at start (never by drizzle-kit against a
// PGlite folder the server may hold).
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle',
	strict: true,
	verbose: true
});
