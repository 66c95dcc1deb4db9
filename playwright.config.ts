import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests drive the system Chromium (Debian's package): Playwright's own browser
 * downloads need a network this machine does not have. There is no shared webServer: each spec
 * file starts its own server with a fresh database through tests/e2e/support/app.ts (PGlite
 * folders are copied from a migrated template that global-setup.ts makes once per run).
 * Run `npm run test:e2e`, which builds first when the build is stale.
 */
// Debian's headless shell when installed: the same engine without the browser's UI processes, a
// third less CPU for the suite on two cores (docs/testing.md); the full browser otherwise.
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
const chromiumPath =
	process.env.CHROMIUM_PATH || (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');
if (!existsSync(chromiumPath)) {
	throw new Error(
		`Chromium not found at ${chromiumPath}: apt-get install -y chromium-headless-shell (or chromium), or set CHROMIUM_PATH`
	);
}

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.spec.ts',
	globalSetup: './tests/e2e/support/global-setup.ts',
	// Three workers on two cores, each with its own server and browser: a test waits on its server
	// and on timers part of the time (docs/testing.md).
	workers: 3,
	fullyParallel: false,
	retries: 0,
	forbidOnly: !!process.env.CI,
	timeout: 120_000,
	globalTimeout: 15 * 60_000,
	expect: { timeout: 10_000 },
	reporter: 'list',
	outputDir: 'test-results',
	use: {
		...devices['Desktop Chrome'],
		browserName: 'chromium',
		headless: true,
		launchOptions: {
			executablePath: chromiumPath,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		},
		// A trace with screenshots records a screencast through every passing test (a third of the
		// suite's CPU). CI keeps only its printed output, so it records none; elsewhere a failing
		// test keeps DOM snapshots and network, without the screencast.
		trace: process.env.CI ? 'off' : { mode: 'retain-on-failure', screenshots: false },
		screenshot: 'only-on-failure',
		serviceWorkers: 'allow'
	}
});
