import { liveQuery, type Subscription } from 'dexie';
import { PineGateDb } from '../db';

/** Rows per read in a worker: nothing to keep responsive there, so fewer, larger transactions. */
export const WORKER_CHUNK = 5_000;

/** What a page asks of its computation worker. */
export type ComputationRequest<Request> =
	{ kind: 'open'; dbName: string } | { kind: 'close' } | { kind: 'request'; request: Request };

/** What the worker answers: the result for the latest request, after every change to the rows. */
export type ComputationAnswer<Result> =
	{ kind: 'result'; result: Result } | { kind: 'error'; message: string };

/** A page's computation over device rows: what it reads, and what it makes of them per request. */
export interface ComputationSpec<Rows, Request, Result> {
	read(db: PineGateDb): Promise<Rows>;
	compute(rows: Rows, request: Request): Result;
}

/**
 * A computation over the device database kept current away from the page (docs/decisions.md §23):
 * it opens the database by name, reads its rows in a live query (Dexie tells every context of the
 * origin about writes), and answers the latest request again after each change. Runs in a Worker;
 * plain TypeScript, so it is tested without one.
 */
export class LiveComputation<Rows, Request, Result> {
	private db: PineGateDb | null = null;
	private subscription: Subscription | null = null;
	private rows: Rows | null = null;
	private request: { value: Request } | null = null;

	constructor(
		private readonly spec: ComputationSpec<Rows, Request, Result>,
		private readonly post: (answer: ComputationAnswer<Result>) => void
	) {}

	handle(message: ComputationRequest<Request>): void {
		if (message.kind === 'request') {
			this.request = { value: message.request };
			this.answer();
		} else if (message.kind === 'close') this.close();
		else if (this.db?.name !== message.dbName) this.open(message.dbName);
	}

	close(): void {
		this.subscription?.unsubscribe();
		this.subscription = null;
		this.db?.close();
		this.db = null;
		this.rows = null;
	}

	private open(dbName: string): void {
		this.close();
		const db = new PineGateDb(dbName);
		this.db = db;
		db.open().then(
			() => {
				if (this.db !== db) return;
				this.subscription = liveQuery(() => this.spec.read(db)).subscribe({
					next: (rows) => {
						if (this.db !== db) return;
						this.rows = rows;
						this.answer();
					},
					error: (error: unknown) => this.fail(error)
				});
			},
			(error: unknown) => this.fail(error)
		);
	}

	private answer(): void {
		const { rows, request } = this;
		if (rows === null || request === null) return;
		try {
			this.post({ kind: 'result', result: this.spec.compute(rows, request.value) });
		} catch (error) {
			this.fail(error);
		}
	}

	private fail(error: unknown): void {
		this.post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
	}
}
