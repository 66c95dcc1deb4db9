import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests drive the system Chromium (Debian's package): Playwright's own browser
 * downloads need a network this machine does not have. There is no shared webServer: each spec
 * file starts its own server with a fresh database through tests/e2e/support/app.ts (PGlite
 * folders are copied from a migrated template that global-setup.ts makes once per run).
 * Run `npm run test:e2e`, which builds first when the build is stale.
 */
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
	throw new Error(
		`Chromium not found at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`
	);
}

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.spec.ts',
	globalSetup: './tests/e2e/support/global-setup.ts',
	// Two cores: two workers, each with its own server and browser.
	workers: 2,
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
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		serviceWorkers: 'allow'
	}
});
