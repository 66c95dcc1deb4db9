/**
 * Test files that change the process for their own tests, so Vitest gives each a fresh module
 * graph (project `isolated` in vite.config.ts) while the rest share one per worker: browser
 * globals, environment variables the server reads once, module mocks. `isolated-tests.test.ts`
 * fails when a file that does so is missing here.
 */
export const ISOLATED = [
	'src/lib/client/session.test.ts',
	'src/lib/client/trpc.test.ts',
	'src/lib/client/sync/device.test.ts',
	'src/lib/client/sync/sync-controller.test.ts',
	'src/lib/server/security.pg.test.ts',
	'src/lib/server/tradingview/service.pg.test.ts',
	'src/lib/server/tradingview/session-health.pg.test.ts',
	'src/lib/server/trpc/fuzz.pg.test.ts'
];

/** What makes a test file change the process for the files after it. */
/** @type {RegExp[]} */
export const PROCESS_CHANGES = [
	/\bvi\.(mock|doMock|stubGlobal|stubEnv)\(/,
	/Object\.assign\(\s*globalThis\b/,
	/\bglobalThis\.\w+\s*=(?!=)/,
	/\bprocess\.env(\.\w+|\[[^\]]+\])\s*=(?!=)/,
	/\bdelete\s+process\.env\b/
];
