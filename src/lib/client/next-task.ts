interface Scheduler {
	yield?: () => Promise<void>;
}

/**
 * Resolves in a later task, so the browser can paint and handle input before the work after it:
 * `scheduler.yield()` where the browser has it (the continuation runs ahead of other queued
 * tasks), else a MessageChannel message (not clamped like nested `setTimeout(0)`).
 */
export function nextTask(): Promise<void> {
	const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
	if (typeof scheduler?.yield === 'function') return scheduler.yield();
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => {
			channel.port1.close();
			resolve();
		};
		channel.port2.postMessage(null);
	});
}
