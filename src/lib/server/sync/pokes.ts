import { EventEmitter, on } from 'node:events';
import type { Database } from '../db/client';
import { log } from '../log';

/**
 * "Pull now" signals. A poke carries no data. Within one process an EventEmitter fans out to the
 * open subscriptions; on PostgreSQL, NOTIFY carries the poke to every other server instance.
 */
const CHANNEL = 'pinegate_poke';
const emitter = new EventEmitter();
emitter.setMaxListeners(0);

let notifyOthers: (() => Promise<void>) | null = null;
let stopListening: (() => Promise<void>) | null = null;

export function poke(): void {
	emitter.emit('poke');
	notifyOthers?.().catch((error: unknown) => log.warn({ err: error }, 'poke NOTIFY failed'));
}

export async function startPokeRelay(database: Database): Promise<void> {
	if (database.driver.kind !== 'postgres') return;
	const client = database.driver.client;
	const listener = await client.listen(CHANNEL, () => emitter.emit('poke'));
	notifyOthers = async () => {
		await client.notify(CHANNEL, '');
	};
	stopListening = () => listener.unlisten();
}

export async function stopPokeRelay(): Promise<void> {
	notifyOthers = null;
	await stopListening?.();
	stopListening = null;
}

/** Pokes as an async stream, coalesced: a burst of commits becomes one "pull now" per tick. */
export async function* pokeStream(signal: AbortSignal | undefined): AsyncGenerator<number> {
	let sequence = 0;
	for await (const _ of on(emitter, 'poke', { signal })) {
		yield ++sequence;
	}
}
