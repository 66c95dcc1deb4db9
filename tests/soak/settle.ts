/**
 * Quiescence: faults stopped, every device online. Sync every device until no outbox and no
 * TradingView queue has work, then until the database stops changing (the worker's read-backs and
 * username checks write rows too), within a bounded wait. Whatever is left then is "stuck".
 */
import type postgres from 'postgres';
import { pendingWork } from './checks';
import { sleep } from './chaos';
import type { Device } from './device';

export async function syncAll(devices: Device[]): Promise<void> {
	for (const device of devices) {
		await device.engine.requestSync();
		await device.engine.idle();
	}
}

export async function lastVersion(sql: postgres.Sql): Promise<number> {
	const [row] = await sql<{ v: string }[]>`select last_value::text as v from pinegate_version_seq`;
	return Number(row?.v ?? 0);
}

/** Returns how long it took (ms) and what was still pending when the bound ran out. */
export async function settle(
	sql: postgres.Sql,
	devices: Device[],
	boundMs: number
): Promise<{ ms: number; left: string[] }> {
	const started = Date.now();
	for (const device of devices) device.setOnline(true);
	let left: string[] = [];
	while (Date.now() - started < boundMs) {
		await syncAll(devices);
		left = await pendingWork(sql, devices);
		if (left.length === 0) {
			const before = await lastVersion(sql);
			await syncAll(devices);
			if ((await lastVersion(sql)) === before && (await pendingWork(sql, devices)).length === 0)
				return { ms: Date.now() - started, left: [] };
		}
		await sleep(500);
	}
	return { ms: Date.now() - started, left };
}
