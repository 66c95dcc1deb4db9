/**
 * The faults and the workload while the soak runs: each device edits at random and goes offline
 * now and then; one schedule kills server instances (SIGKILL, preferably while a push is in
 * flight) and restarts PostgreSQL, one fault at a time so a restarting server always finds its
 * database.
 */
import { randomAction, type ActionKind, type Catalogue } from './actions';
import type { Device } from './device';
import type { PgCluster } from './pg-cluster';
import type { Instance } from './servers';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Counters {
	operations: Partial<Record<ActionKind | 'refused' | 'nothing to edit', number>>;
	faults: Record<string, number>;
}

const bump = (record: Record<string, number>, key: string, by = 1) => {
	record[key] = (record[key] ?? 0) + by;
};

/** One device's life until `stopped()`: an edit every 0.6–2 s, syncs, offline periods. */
export async function deviceLoop(
	device: Device,
	catalogue: Catalogue,
	counters: Counters,
	stopped: () => boolean
): Promise<void> {
	const r = device.random;
	let offlineUntil = 0;
	while (!stopped()) {
		await sleep(600 + r() * 1_400);
		if (stopped()) break;
		if (!device.online && Date.now() >= offlineUntil) device.setOnline(true);
		else if (device.online && r() < 0.03) {
			device.setOnline(false);
			offlineUntil = Date.now() + 2_000 + r() * 13_000;
			bump(counters.faults, 'device offline period');
		}
		const done = await randomAction(device, catalogue);
		bump(counters.operations, done ?? 'nothing to edit');
		// Other devices' changes arrive by pull (the app also has pokes and a heartbeat for that).
		if (r() < 0.25) void device.engine.requestSync();
		device.engine.watchdog();
	}
}

async function startWithRetries(instance: Instance, counters: Counters): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			await instance.start();
			return;
		} catch (error) {
			if (attempt >= 3) throw error;
			bump(counters.faults, 'server start failed, retried');
			await sleep(1_000);
		}
	}
}

/** Kills `instance` once a push is in flight on it (waiting up to 5 s), then starts it again. */
async function killMidPush(instance: Instance, random: () => number, counters: Counters) {
	const deadline = Date.now() + 5_000;
	while (instance.pushesInFlight === 0 && Date.now() < deadline) await sleep(2);
	const midPush = instance.pushesInFlight > 0;
	await instance.kill();
	bump(
		counters.faults,
		midPush ? 'server SIGKILL during a push' : 'server SIGKILL (no push in flight)'
	);
	await sleep(500 + random() * 2_500);
	await startWithRetries(instance, counters);
}

export interface ChaosOptions {
	instances: Instance[];
	cluster: PgCluster;
	random: () => number;
	counters: Counters;
	runMs: number;
	/** Mean time between server kills. */
	killEveryMs: number;
	/** Time between PostgreSQL restarts (the first at 40 % of the run). */
	pgRestartEveryMs: number;
	stopped: () => boolean;
}

/** Runs the fault schedule until the run time is over; leaves every instance and the database up. */
export async function chaosLoop(options: ChaosOptions): Promise<void> {
	const { instances, cluster, random, counters } = options;
	const started = Date.now();
	let nextPgRestart = started + options.runMs * 0.4;
	let pgRestarts = 0;
	const nextKillIn = () => options.killEveryMs * (0.5 + random());
	let nextKill = started + nextKillIn();
	while (!options.stopped()) {
		await sleep(100);
		const now = Date.now();
		const crashed = instances.find((i) => !i.up);
		if (crashed) {
			// Nobody killed it: a crash (counted as a finding by the run), started again to go on.
			await startWithRetries(crashed, counters);
		} else if (now >= nextPgRestart) {
			const mode = pgRestarts % 2 === 0 ? 'fast' : 'immediate';
			await cluster.restart(mode, 1_000 + random() * 2_000);
			pgRestarts++;
			bump(counters.faults, `PostgreSQL restart (${mode})`);
			nextPgRestart = Date.now() + options.pgRestartEveryMs;
		} else if (now >= nextKill) {
			const instance = instances[Math.floor(random() * instances.length)]!;
			await killMidPush(instance, random, counters);
			nextKill = Date.now() + nextKillIn();
		}
	}
	for (const instance of instances) if (!instance.up) await startWithRetries(instance, counters);
}
