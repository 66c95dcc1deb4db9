import { afterEach, describe, expect, it } from 'vitest';
import { electLeader, SyncChannel, type LockManagerLike, type SyncMessage } from './leader';

/** An exclusive lock manager like the browser's: one holder per name, waiters in order, abortable. */
function fakeLocks(): LockManagerLike {
	const queues = new Map<string, Array<() => void>>();
	const held = new Set<string>();
	function next(name: string) {
		const queue = queues.get(name) ?? [];
		const run = queue.shift();
		if (run) run();
	}
	return {
		request(name, options, callback) {
			return new Promise((resolve, reject) => {
				const run = () => {
					held.add(name);
					callback().then(
						(value) => {
							held.delete(name);
							resolve(value);
							next(name);
						},
						(error: unknown) => {
							held.delete(name);
							reject(error instanceof Error ? error : new Error(String(error)));
							next(name);
						}
					);
				};
				if (!held.has(name)) return run();
				const queue = queues.get(name) ?? [];
				queue.push(run);
				queues.set(name, queue);
				options.signal?.addEventListener('abort', () => {
					const index = queue.indexOf(run);
					if (index >= 0) {
						queue.splice(index, 1);
						reject(new DOMException('aborted', 'AbortError'));
					}
				});
			});
		}
	};
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('leader election', () => {
	it('lets one tab lead at a time and hands over when the leader stops', async () => {
		const locks = fakeLocks();
		const leaders: string[] = [];
		const stopA = electLeader(() => leaders.push('A'), { locks });
		const stopB = electLeader(() => leaders.push('B'), { locks });
		const stopC = electLeader(() => leaders.push('C'), { locks });
		await tick();
		expect(leaders).toEqual(['A']);

		stopB(); // a waiting tab closes before it ever led
		stopA();
		await tick();
		expect(leaders).toEqual(['A', 'C']);
		stopC();
		stopC(); // stopping twice is harmless
	});

	it('leads at once without Web Locks', () => {
		let led = false;
		const stop = electLeader(() => (led = true), { locks: null });
		expect(led).toBe(true);
		stop();
	});
});

describe('sync channel', () => {
	const channels: SyncChannel[] = [];
	afterEach(() => {
		for (const channel of channels.splice(0)) channel.close();
	});

	it('carries messages to the other tabs, not back to the sender', async () => {
		const name = `pinegate-sync-test-${Math.random()}`;
		const heardByA: SyncMessage[] = [];
		const heardByB: SyncMessage[] = [];
		const a = new SyncChannel((m) => heardByA.push(m), name);
		const b = new SyncChannel((m) => heardByB.push(m), name);
		channels.push(a, b);
		a.post({ type: 'push' });
		b.post({ type: 'hello' });
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(heardByB).toEqual([{ type: 'push' }]);
		expect(heardByA).toEqual([{ type: 'hello' }]);
	});
});
