import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { ISOLATED } from './tests/helpers/isolated-tests.js';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		tailwindcss(),
		sveltekit(),
		SvelteKitPWA({
			registerType: 'prompt',
			injectRegister: false,
			strategies: 'generateSW',
			manifest: false,
			kit: { includeVersionFile: true },
			workbox: {
				// The app shell is prerendered at `/`; every navigation falls back to it so a reload
				// while offline still boots the client-side router.
				navigateFallback: '/',
				navigateFallbackDenylist: [/^\/api\//, /^\/healthz/],
				globPatterns: [
					'client/**/*.{js,css,ico,png,svg,webp,webmanifest,woff2}',
					'prerendered/**/*.html'
				],
				cleanupOutdatedCaches: true
			},
			devOptions: { enabled: false }
		})
	],
	// The device's computation Workers (client/device-workers/) as ES modules.
	worker: { format: 'es' },
	server: { port: 3000 },
	test: {
		environment: 'node',
		globalSetup: ['tests/helpers/vitest-setup.ts'],
		// Vitest's default on two cores is one worker; the suite waits on databases, servers and
		// timers much of the time, so three keep both cores busy (CI: docs/testing.md).
		maxWorkers: 3,
		env: { LOG_LEVEL: 'warn' },
		testTimeout: 60_000,
		hookTimeout: 180_000,
		// Issue 8: coverage of the library code (every .ts under src/lib, tests aside) is reported
		// on each run; the Svelte components are exercised by the Playwright suite instead.
		coverage: {
			provider: 'v8',
			include: ['src/lib/**/*.ts'],
			exclude: ['src/lib/**/*.test.ts'],
			reporter: ['text-summary', 'json-summary'],
			// The floor CI holds (docs/testing.md): a run below either figure fails.
			thresholds: { lines: 80, branches: 80 }
		},
		// A worker runs file after file in the same module graph (no isolation): evaluating
		// PGlite, drizzle and the routers again for each of a hundred files was a third of the
		// suite's CPU. The files that change the process for their own tests (browser globals,
		// environment variables read once, module mocks) keep a fresh graph each (docs/testing.md).
		projects: [
			{
				extends: true,
				test: {
					name: 'shared',
					include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
					exclude: ISOLATED,
					isolate: false,
					setupFiles: ['tests/helpers/indexeddb-setup.ts']
				}
			},
			{ extends: true, test: { name: 'isolated', include: ISOLATED } }
		]
	}
});
