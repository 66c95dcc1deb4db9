import { liveQuery, type Subscription } from 'dexie';
import { analyticsReport, type AnalyticsReport, type AnalyticsRows } from '$lib/shared/analytics';
import { rangeOf, type RangeChoice } from '$lib/shared/analytics-range';
import { PineGateDb } from '../db';
import { readAll, readAllBy } from '../sync/chunked-read';

/** What the analytics page asks of the report worker. */
export type ReportRequest =
	{ kind: 'open'; dbName: string } | { kind: 'report'; choice: RangeChoice; nowMs: number };

/** What the report worker answers: the report for the latest request, after every change. */
export type ReportAnswer =
	{ kind: 'report'; report: AnalyticsReport; empty: boolean } | { kind: 'error'; message: string };

/** Every row the report reads, from the device database (as the page read them before). */
export async function readAnalyticsRows(db: PineGateDb): Promise<AnalyticsRows> {
	const [accesses, events, clients] = await Promise.all([
		readAll(db.accesses),
		// By grant: the terms are then found by comparing neighbours, without a hash table.
		readAllBy(db.accessEvents, 'accessId'),
		readAll(db.clients)
	]);
	return { accesses, events, clients };
}

/**
 * The analytics report computed away from the page (docs/decisions.md §23): it reads the device
 * database itself, keeps the rows while they do not change (a live query: Dexie tells every
 * context of the origin about writes), and answers the latest request again after each change.
 * Runs in a Worker (report-worker.ts); plain TypeScript so it is tested without one.
 */
export class ReportServer {
	private db: PineGateDb | null = null;
	private subscription: Subscription | null = null;
	private rows: AnalyticsRows | null = null;
	private request: { choice: RangeChoice; nowMs: number } | null = null;

	constructor(private readonly post: (answer: ReportAnswer) => void) {}

	handle(message: ReportRequest): void {
		if (message.kind === 'report') {
			this.request = { choice: message.choice, nowMs: message.nowMs };
			this.answer();
			return;
		}
		if (this.db?.name === message.dbName) return;
		this.close();
		const db = new PineGateDb(message.dbName);
		this.db = db;
		db.open().then(
			() => {
				if (this.db !== db) return;
				this.subscription = liveQuery(() => readAnalyticsRows(db)).subscribe({
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

	close(): void {
		this.subscription?.unsubscribe();
		this.subscription = null;
		this.db?.close();
		this.db = null;
		this.rows = null;
	}

	private answer(): void {
		const { rows, request } = this;
		if (!rows || !request) return;
		const now = new Date(request.nowMs);
		try {
			const report = analyticsReport(rows, { ...rangeOf(request.choice, now), now });
			this.post({
				kind: 'report',
				report,
				empty: rows.clients.length === 0 && rows.accesses.length === 0
			});
		} catch (error) {
			this.fail(error);
		}
	}

	private fail(error: unknown): void {
		this.post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
	}
}
