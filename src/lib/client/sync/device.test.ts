import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { PineGateDb } from '../db';
import { localStorageMirror, memoryMirror, MIRROR_KEY, openDevice, resetDevice } from './device';

let counter = 0;
const opened: PineGateDb[] = [];
const names: string[] = [];

afterEach(async () => {
	for (const db of opened.splice(0)) db.close();
	for (const name of names.splice(0)) await new PineGateDb(name).delete();
});

function dbName(): string {
	const name = `pinegate-device-${++counter}`;
	names.push(name);
	return name;
}

async function open(name: string, userId: string, mirror = memoryMirror()) {
	const device = await openDevice({ userId, mirror, name });
	opened.push(device.db);
	return device;
}

describe('device identity', () => {
	it('keeps its id across reloads for the same user and records it in the mirror', async () => {
		const name = dbName();
		const mirror = memoryMirror();
		const first = await open(name, 'user-1', mirror);
		first.db.close();
		const again = await open(name, 'user-1', mirror);
		expect(again.clientId).toBe(first.clientId);
		expect(again).toMatchObject({ lostEdits: 0, discardedEdits: 0 });
		expect(mirror.read()).toEqual({ clientId: first.clientId, userId: 'user-1', pending: 0 });
	});

	it('two tabs opening a fresh database together settle on one id', async () => {
		const name = dbName();
		const devices = await Promise.all([open(name, 'user-1'), open(name, 'user-1')]);
		expect(devices[0].clientId).toBe(devices[1].clientId);
		const stored = await devices[0].db.meta.get('clientId');
		expect(stored?.value).toBe(devices[0].clientId);
	});

	it('reports edits lost with the storage, and never reuses the old id', async () => {
		const name = dbName();
		const mirror = memoryMirror({ clientId: 'old-device', userId: 'user-1', pending: 4 });
		const device = await open(name, 'user-1', mirror);
		expect(device.lostEdits).toBe(4);
		expect(device.clientId).not.toBe('old-device');
		expect(mirror.read()).toMatchObject({ clientId: device.clientId, pending: 0 });
	});

	it('wipes another user’s data and counts their unsent edits; a server reset does the same', async () => {
		const name = dbName();
		const first = await open(name, 'user-1');
		await first.db.outbox.bulkPut([
			{
				id: 1,
				name: 'client.create',
				args: {},
				createdAt: new Date().toISOString(),
				status: 'pending',
				entity: 'clients',
				entityId: 'x'
			}
		]);
		await first.db.meta.put({ key: 'cursor', value: 12 });
		first.db.close();

		const second = await open(name, 'user-2');
		expect(second.discardedEdits).toBe(1);
		expect(second.clientId).not.toBe(first.clientId);
		expect(await second.db.outbox.count()).toBe(0);
		expect(await second.db.meta.get('cursor')).toBeUndefined();

		const mirror = memoryMirror();
		const reset = await resetDevice(second.db, 'user-2', mirror);
		expect(reset.clientId).not.toBe(second.clientId);
		expect((await second.db.meta.get('clientId'))?.value).toBe(reset.clientId);
		expect((await second.db.meta.get('userId'))?.value).toBe('user-2');
	});
});

describe('the mirror in localStorage', () => {
	const items = new Map<string, string>();
	const storage = {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value),
		removeItem: (key: string) => void items.delete(key)
	};
	afterEach(() => {
		items.clear();
		Reflect.deleteProperty(globalThis, 'localStorage');
	});

	it('writes, reads back and clears the device summary', () => {
		Object.assign(globalThis, { localStorage: storage });
		const mirror = localStorageMirror();
		mirror.write({ clientId: 'c-1', userId: 'user-1', pending: 3 });
		expect(JSON.parse(items.get(MIRROR_KEY) ?? 'null')).toEqual({
			clientId: 'c-1',
			userId: 'user-1',
			pending: 3
		});
		expect(mirror.read()).toEqual({ clientId: 'c-1', userId: 'user-1', pending: 3 });
		mirror.write(null);
		expect(items.has(MIRROR_KEY)).toBe(false);
		expect(mirror.read()).toBeNull();
	});

	it('reads anything else in the slot as no mirror, so no loss is ever invented', () => {
		Object.assign(globalThis, { localStorage: storage });
		const mirror = localStorageMirror('test-mirror');
		for (const value of [
			'{broken',
			'"text"',
			'null',
			'{"clientId":"c","userId":"u","pending":"3"}'
		]) {
			items.set('test-mirror', value);
			expect(mirror.read()).toBeNull();
		}
	});

	it('works without storage at all (private mode): nothing kept, nothing thrown', () => {
		Object.assign(globalThis, {
			localStorage: {
				getItem: () => {
					throw new DOMException('denied', 'SecurityError');
				},
				setItem: () => {
					throw new DOMException('full', 'QuotaExceededError');
				},
				removeItem: () => {}
			}
		});
		const mirror = localStorageMirror();
		expect(() => mirror.write({ clientId: 'c', userId: 'u', pending: 1 })).not.toThrow();
		expect(mirror.read()).toBeNull();
	});
});
