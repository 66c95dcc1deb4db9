/**
 * For test files: one fake TradingView per file (a real server on a free port), reset before each
 * test, with a settable clock.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeTradingView, type FakeTradingView } from './server';

export interface FakeHandle {
	/** The running fake; valid inside tests and hooks. */
	readonly fake: FakeTradingView;
	/** The fake's clock; tests move it. */
	now: Date;
}

export const TEST_NOW = new Date('2026-03-01T12:00:00.000Z');

export function useFakeTradingView(): FakeHandle {
	let fake: FakeTradingView | undefined;
	const handle = {
		now: TEST_NOW,
		get fake(): FakeTradingView {
			if (!fake) throw new Error('the fake TradingView is not running (use it inside tests)');
			return fake;
		}
	};
	beforeAll(async () => {
		fake = await startFakeTradingView({ now: () => handle.now });
	});
	beforeEach(() => {
		handle.now = TEST_NOW;
		fake?.reset();
	});
	afterAll(async () => {
		await fake?.close();
	});
	return handle;
}

/** A pine_id like TradingView's newer ones: `PUB;` + 32 lowercase hex digits. */
export function pineId(n: number): string {
	return `PUB;${n.toString(16).padStart(32, '0')}`;
}
