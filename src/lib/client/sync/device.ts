import { uuidv7 } from 'uuidv7';
import { allTables, DB_NAME, PineGateDb } from '../db';
import { readStored, writeStored } from '../storage';

/**
 * A few bytes about the device kept outside IndexedDB (localStorage), so that when the browser
 * evicts the database we can still tell the person that unsynced edits were lost (SYNC.md 15).
 */
export interface SyncMirror {
	clientId: string;
	userId: string;
	/** Edits not yet confirmed by the server when last seen. */
	pending: number;
}

export interface MirrorStorage {
	read(): SyncMirror | null;
	write(mirror: SyncMirror | null): void;
}

function isMirror(value: unknown): value is SyncMirror {
	if (typeof value !== 'object' || value === null) return false;
	const mirror = value as Record<string, unknown>;
	return (
		typeof mirror.clientId === 'string' &&
		typeof mirror.userId === 'string' &&
		typeof mirror.pending === 'number'
	);
}

export const MIRROR_KEY = 'pinegate.sync.mirror';

/** The mirror in localStorage (never throws; without storage the warning is simply not possible). */
export function localStorageMirror(key: string = MIRROR_KEY): MirrorStorage {
	return {
		read() {
			try {
				const parsed: unknown = JSON.parse(readStored(key) ?? 'null');
				return isMirror(parsed) ? parsed : null;
			} catch {
				return null;
			}
		},
		write(mirror) {
			writeStored(key, mirror ? JSON.stringify(mirror) : null);
		}
	};
}

/** An in-memory mirror (tests, or a browser without localStorage). */
export function memoryMirror(initial: SyncMirror | null = null): MirrorStorage {
	let value = initial;
	return {
		read: () => (value ? { ...value } : null),
		write: (mirror) => {
			value = mirror ? { ...mirror } : null;
		}
	};
}

export interface OpenedDevice {
	db: PineGateDb;
	clientId: string;
	/** Unsynced edits of a different user, discarded because this user signed in on the device. */
	discardedEdits: number;
	/** Unsynced edits lost because the browser cleared this site's storage (known from the mirror). */
	lostEdits: number;
}

export interface OpenDeviceOptions {
	userId: string;
	mirror: MirrorStorage;
	/** Database name (tests use their own). */
	name?: string;
	/** Lets tests open the database with an extra Dexie version. */
	database?: (name: string) => PineGateDb;
	newClientId?: () => string;
}

/** Empties every table and writes the new identity (inside the caller's transaction). */
async function startFresh(
	db: PineGateDb,
	userId: string,
	clientId: string
): Promise<{ discardedEdits: number }> {
	const discardedEdits = await db.outbox.count();
	await Promise.all(allTables.map((table) => db.table(table).clear()));
	await db.meta.bulkPut([
		{ key: 'clientId', value: clientId },
		{ key: 'userId', value: userId },
		{ key: 'schemaVersion', value: db.verno }
	]);
	return { discardedEdits };
}

/**
 * Opens the device database for a signed-in user and settles who this device is:
 * - the same user as last time: the same client id, outbox and rows (a reload loses nothing);
 * - no identity stored (first start, or the browser evicted the database): a fresh client id — never
 *   the old one, whose mutation ids the server already counted — and, if the mirror says edits were
 *   pending, how many were lost;
 * - another user: everything is wiped and a fresh client id starts, reporting how many of the
 *   previous user's edits were discarded.
 * A full resync follows from the engine's first pull (cursor 0).
 */
export async function openDevice(options: OpenDeviceOptions): Promise<OpenedDevice> {
	const name = options.name ?? DB_NAME;
	const newClientId = options.newClientId ?? uuidv7;
	const db = options.database ? options.database(name) : new PineGateDb(name);
	await db.open();
	try {
		// One read-write transaction: two tabs starting together settle on one identity, and a crash
		// half-way leaves either the old device or the new one, never a mix.
		const settled = await db.transaction('rw', [...allTables], async () => {
			const storedClient = (await db.meta.get('clientId'))?.value;
			const storedUser = (await db.meta.get('userId'))?.value;
			if (typeof storedClient === 'string' && storedUser === options.userId) {
				return { clientId: storedClient, discardedEdits: 0, lostEdits: 0 };
			}
			const clientId = newClientId();
			if (typeof storedClient !== 'string') {
				const mirror = options.mirror.read();
				await startFresh(db, options.userId, clientId);
				return { clientId, discardedEdits: 0, lostEdits: Math.max(0, mirror?.pending ?? 0) };
			}
			const { discardedEdits } = await startFresh(db, options.userId, clientId);
			return { clientId, discardedEdits, lostEdits: 0 };
		});
		const pending = await db.outbox.count();
		options.mirror.write({ clientId: settled.clientId, userId: options.userId, pending });
		return { db, ...settled };
	} catch (error) {
		db.close();
		throw error;
	}
}

/**
 * The server said this device id belongs to someone else (`reset: device-user-mismatch`): start a
 * fresh device on the same database. Returns the new id and how many unsynced edits were dropped.
 */
export async function resetDevice(
	db: PineGateDb,
	userId: string,
	mirror: MirrorStorage,
	newClientId: () => string = uuidv7
): Promise<{ clientId: string; discardedEdits: number }> {
	const clientId = newClientId();
	const { discardedEdits } = await db.transaction('rw', [...allTables], () =>
		startFresh(db, userId, clientId)
	);
	mirror.write({ clientId, userId, pending: 0 });
	return { clientId, discardedEdits };
}
