import { SvelteSet } from 'svelte/reactivity';
import { accessGrant } from '$lib/shared/mutators';
import { mutate, syncState } from '../sync/sync.svelte';
import { clientsApplied, forEachInChunks, type GrantArgs } from './bulk';

/** Mutations started together between two turns of the event loop (see `forEachInChunks`). */
const CHUNK_SIZE = 20;

export interface BulkFailure {
	args: GrantArgs;
	/** What `mutate` threw; translated when shown, so a language switch follows. */
	error: unknown;
}

/**
 * One bulk grant being applied on this device: `access.grant` per client, each applied to
 * IndexedDB and queued for the server (so it works offline), with progress, the failures kept for
 * a retry, and how many of its mutations are still waiting for the server or were refused there.
 */
export class BulkGrantRun {
	status = $state<'idle' | 'running' | 'done'>('idle');
	/** Mutations handled in the current pass, of `total`. */
	done = $state(0);
	total = $state(0);
	failures = $state.raw<BulkFailure[]>([]);
	/** Every mutation this run queued, over all passes (retries add theirs). */
	private readonly mutationIds = new SvelteSet<number>();
	/** Clients with all their grants applied on this device, over all passes. */
	private readonly appliedClients = new SvelteSet<string>();

	get applied(): number {
		return this.appliedClients.size;
	}

	/** This run's mutations still in the outbox (not yet confirmed by the server). */
	readonly waiting = $derived(
		this.mutationIds.size === 0
			? 0
			: syncState.outbox.filter((entry) => this.mutationIds.has(entry.id)).length
	);

	/** This run's mutations the server refused (shown in the Sync panel until dismissed). */
	readonly rejected = $derived(
		this.mutationIds.size === 0
			? 0
			: syncState.rejections.filter((rejection) => this.mutationIds.has(rejection.mutationId))
					.length
	);

	/**
	 * Applies the list once. A second call while one runs is ignored: a double click or a repeated
	 * Enter must not grant (and so extend) twice.
	 */
	async start(list: readonly GrantArgs[]): Promise<void> {
		if (this.status === 'running') return;
		this.status = 'running';
		this.done = 0;
		this.total = list.length;
		const failed: BulkFailure[] = [];
		const ok: string[] = [];
		try {
			await forEachInChunks(list, {
				size: CHUNK_SIZE,
				run: async (args) => {
					try {
						const { mutationId } = await mutate(accessGrant, args);
						this.mutationIds.add(mutationId);
						ok.push(args.clientId);
					} catch (error) {
						failed.push({ args, error });
					}
				},
				progress: (done) => (this.done = done)
			});
		} finally {
			const failedClients = failed.map((failure) => failure.args.clientId);
			for (const clientId of clientsApplied(ok, failedClients)) this.appliedClients.add(clientId);
			this.failures = failed;
			this.status = 'done';
		}
	}

	/** Sends the failed ones again, with the same ids (nothing of them was written). */
	retry(): Promise<void> {
		return this.start(this.failures.map((failure) => failure.args));
	}

	reset(): void {
		if (this.status === 'running') return;
		this.status = 'idle';
		this.done = 0;
		this.total = 0;
		this.failures = [];
		this.mutationIds.clear();
		this.appliedClients.clear();
	}
}
