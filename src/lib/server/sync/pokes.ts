import { EventEmitter, on } from 'node:events';
import type { Database } from '../db/client';
import { log } from '../log';

const CHANNEL = 'pinegate_poke';

/**
 * "Pull now" signals; a poke carries no data. Within one process an EventEmitter fans out to the
 * open subscriptions; on PostgreSQL, NOTIFY carries each poke to every other server instance.
 */
export class PokeHub {
	private readonly emitter = new EventEmitter();
	private notifyOthers: (() => Promise<void>) | null = null;
	private unlisten: (() => Promise<void>) | null = null;

	constructor() {
		this.emitter.setMaxListeners(0);
	}

	static async start(database: Database): Promise<PokeHub> {
		const hub = new PokeHub();
		if (database.driver.kind === 'postgres') {
			const client = database.driver.client;
			const listener = await client.listen(CHANNEL, () => hub.emitter.emit('poke'));
			hub.notifyOthers = async () => {
				await client.notify(CHANNEL, '');
			};
			hub.unlisten = () => listener.unlisten();
		}
		return hub;
	}

	poke(): void {
		if (this.notifyOthers) {
			// Our own NOTIFY comes back to us too, so the local fan-out happens once, from the listener.
			this.notifyOthers().catch((error: unknown) => {
				log.warn({ err: error }, 'poke NOTIFY failed; poking this instance only');
				this.emitter.emit('poke');
			});
		} else {
			this.emitter.emit('poke');
		}
	}

	async *stream(signal: AbortSignal | undefined): AsyncGenerator<number> {
		let sequence = 0;
		for await (const _ of on(this.emitter, 'poke', { signal })) yield ++sequence;
	}

	async stop(): Promise<void> {
		this.notifyOthers = null;
		await this.unlisten?.();
		this.unlisten = null;
	}
}

let current = new PokeHub();

/** The process's hub: in-process only until the runtime starts the database-backed one. */
export function pokeHub(): PokeHub {
	return current;
}

export async function startPokeRelay(database: Database): Promise<void> {
	current = await PokeHub.start(database);
}

export async function stopPokeRelay(): Promise<void> {
	await current.stop();
}
