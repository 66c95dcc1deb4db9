/**
 * `npm run tv:fake` — the fake TradingView on its own, seeded with a small demo vendor. Port from
 * TV_FAKE_PORT (default 4100). Prints the settings to point PineGate at it.
 */
import { startFakeTradingView } from './server';
import { seedDemo } from './state';

const port = Number(process.env.TV_FAKE_PORT ?? 4100);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
	console.error(`TV_FAKE_PORT must be a port number, got ${String(process.env.TV_FAKE_PORT)}`);
	process.exit(1);
}

const fake = await startFakeTradingView({
	port,
	seed: seedDemo,
	// Fixed demo values (not secrets) so a demo .env can name them.
	session: { sessionid: 'demo-sessionid', sessionidSign: 'v3:demo-sessionid-sign=' },
	credentials: { username: 'demo_vendor', password: 'demo-password' }
});

const scripts = [...fake.state.scripts.values()].filter((script) => script.owner === 'vendor');
console.log(`Fake TradingView listening on ${fake.url}`);
console.log(`  TRADINGVIEW_BASE_URL=${fake.url}`);
console.log(`  TRADINGVIEW_SESSIONID=${fake.state.session.sessionid}`);
console.log(`  TRADINGVIEW_SESSIONID_SIGN=${fake.state.session.sessionidSign}`);
console.log(`  password login: ${fake.state.credentials.username} / demo-password`);
console.log(`  scripts: ${scripts.map((s) => `${s.pineId} (${s.name})`).join(', ')}`);
console.log(`  users: ${[...fake.state.users.values()].map((u) => u.username).join(', ')}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		void fake.close().then(() => process.exit(0));
	});
}
