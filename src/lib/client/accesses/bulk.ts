import { AppError } from '$lib/shared/errors';
import { translate, type Locale } from '$lib/shared/i18n';
import type { AccessRow, AccessType, Duration } from '$lib/shared/schemas/access';
import type { ClientRow } from '$lib/shared/schemas/client';
import type { IndicatorRow } from '$lib/shared/schemas/indicator';
import { translateIssue } from '../api-error';
import type { ClientFilters } from '../clients/list';
import { grantArgs, previewGrant, refusedOutcomes, type GrantPreviewItem } from './grant';

// Bulk grant (docs/bulk-grant.md): the same rules as "Grant access", run over a filtered list of
// clients. Pure, so the page, its preview and the tests share one account of what will happen.

/** `access.grant` takes at most this many indicators (its zod schema); more are split. */
export const MAX_GRANT_ITEMS = 100;

/**
 * Which clients of the list are ticked. Stored as "all except" or "none except" so that ticking
 * everything in a list of 50,000 is one flag, not a set of 50,000 ids, and clients that join the
 * filtered list later (a sync) follow the last "Select all / none".
 */
export interface Selection {
	readonly all: boolean;
	/** Ids ticked against `all` (unticked when all, ticked when none). */
	readonly flipped: ReadonlySet<string>;
}

export const selectAll: Selection = { all: true, flipped: new Set() };
export const selectNone: Selection = { all: false, flipped: new Set() };

export function isSelected(selection: Selection, id: string): boolean {
	return selection.all !== selection.flipped.has(id);
}

export function setSelected(selection: Selection, id: string, on: boolean): Selection {
	if (isSelected(selection, id) === on) return selection;
	const flipped = new Set(selection.flipped);
	if (flipped.has(id)) flipped.delete(id);
	else flipped.add(id);
	return { all: selection.all, flipped };
}

/** The grants of a set of indicators, by client (what `previewGrant` needs per client). */
export function accessesByClient(accesses: readonly AccessRow[]): Map<string, AccessRow[]> {
	const byClient = new Map<string, AccessRow[]>();
	for (const access of accesses) {
		const list = byClient.get(access.clientId);
		if (list) list.push(access);
		else byClient.set(access.clientId, [access]);
	}
	return byClient;
}

export type BulkClient = Pick<ClientRow, 'id' | 'status'> &
	Partial<Pick<ClientRow, 'tvUsernameState'>>;

/** What happens to one client of the list. */
export interface BulkRow<C extends BulkClient = BulkClient> {
	client: C;
	items: GrantPreviewItem[];
	/** The indicators this client is actually sent (refused pairs are skipped). */
	grantable: string[];
}

export type RefusedOutcome = 'retired' | 'inactive' | 'usernameInvalid' | 'endNotLater';

export interface BulkTotals {
	create: number;
	extend: number;
	reopen: number;
	refused: Record<RefusedOutcome, number>;
	refusedTotal: number;
	/** Clients that get at least one grant: one mutation each. */
	clients: number;
	/** Active clients of the list left unticked. */
	unselected: number;
}

export interface BulkPlan<C extends BulkClient = BulkClient> {
	/** Ticked clients and every inactive one (so the preview says why they get nothing). */
	rows: BulkRow<C>[];
	totals: BulkTotals;
}

export function planBulk<C extends BulkClient>(input: {
	/** The filtered list, in its display order. */
	clients: readonly C[];
	selection: Selection;
	indicators: ReadonlyArray<Pick<IndicatorRow, 'id' | 'status'>>;
	/** Grants of the chosen indicators, by client (`accessesByClient`). */
	accesses: ReadonlyMap<string, readonly AccessRow[]>;
	duration: Duration;
	now: Date;
}): BulkPlan<C> {
	const totals: BulkTotals = {
		create: 0,
		extend: 0,
		reopen: 0,
		refused: { retired: 0, inactive: 0, usernameInvalid: 0, endNotLater: 0 },
		refusedTotal: 0,
		clients: 0,
		unselected: 0
	};
	const rows: BulkRow<C>[] = [];
	for (const client of input.clients) {
		// An inactive client cannot be ticked, yet stays in the preview: it was in the list asked for.
		if (client.status === 'active' && !isSelected(input.selection, client.id)) {
			totals.unselected++;
			continue;
		}
		const items = previewGrant({
			client,
			indicators: input.indicators,
			accesses: input.accesses.get(client.id) ?? [],
			duration: input.duration,
			now: input.now
		});
		const grantable: string[] = [];
		for (const item of items) {
			const outcome = item.outcome;
			if (refusedOutcomes.has(outcome)) {
				totals.refused[outcome as RefusedOutcome]++;
				totals.refusedTotal++;
				continue;
			}
			totals[outcome as 'create' | 'extend' | 'reopen']++;
			grantable.push(item.indicatorId);
		}
		if (grantable.length > 0) totals.clients++;
		rows.push({ client, items, grantable });
	}
	return { rows, totals };
}

export type GrantArgs = ReturnType<typeof grantArgs>;

/**
 * One `access.grant` per client with something to grant, carrying only its grantable pairs: the
 * server refuses a whole mutation for one retired indicator, so that pair must not sink the rest.
 * Fresh ids are made here, once: a retry re-sends the same arguments.
 */
export function bulkGrantArgs(
	rows: readonly BulkRow[],
	options: { duration: Duration; accessType: AccessType; note: string | null }
): GrantArgs[] {
	const list: GrantArgs[] = [];
	for (const row of rows) {
		for (const indicatorIds of chunk(row.grantable, MAX_GRANT_ITEMS)) {
			list.push(grantArgs({ clientId: row.client.id, indicatorIds, ...options }));
		}
	}
	return list;
}

/**
 * The clients whose grants all applied: a client split over several mutations (more than
 * MAX_GRANT_ITEMS indicators) counts once, and only when none of its mutations failed.
 */
export function clientsApplied(ok: readonly string[], failed: readonly string[]): string[] {
	const refused = new Set(failed);
	return [...new Set(ok)].filter((id) => !refused.has(id));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!(size >= 1)) throw new RangeError('chunk size must be at least 1');
	const chunks: T[][] = [];
	for (let start = 0; start < items.length; start += size) {
		chunks.push(items.slice(start, start + size));
	}
	return chunks;
}

/**
 * A turn of the event loop behind the timers already due: the browser paints, handles input and
 * runs the app's own timers (the sync's, the live queries') between chunks. Not `next-task.ts`'s
 * `nextTask`, whose continuation runs ahead of other queued tasks (a quick yield for rendering).
 */
const afterTimers = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs `run` on each item, `size` at a time: the items of a chunk are started together (in order)
 * and awaited together, then the event loop gets a turn before the next chunk, so thousands of
 * writes keep the page responsive and the progress bar moving. Started together, IndexedDB queues
 * their transactions back to back, and the app's live queries re-read once per chunk instead of
 * once per write (one at a time measured ~6× slower for 300 grants).
 *
 * `run` is expected to handle its own failures; if it throws, the chunk is still awaited in full
 * and then the first error is thrown (no later chunk starts).
 */
export async function forEachInChunks<T>(
	items: readonly T[],
	options: {
		size: number;
		run: (item: T, index: number) => Promise<void>;
		/** After each chunk, with how many items are done. */
		progress?: (done: number) => void;
		pause?: () => Promise<void>;
	}
): Promise<void> {
	const pause = options.pause ?? afterTimers;
	let done = 0;
	for (const part of chunk(items, options.size)) {
		const base = done;
		const results = await Promise.allSettled(part.map((item, i) => options.run(item, base + i)));
		const failed = results.find((result) => result.status === 'rejected');
		if (failed) throw failed.reason;
		done += part.length;
		options.progress?.(done);
		if (done < items.length) await pause();
	}
}

/** What `mutate` threw, as one sentence in the user's language. */
export function failureMessage(error: unknown, locale: Locale): string {
	if (!(error instanceof AppError)) return translate(locale, 'errors.INTERNAL');
	if (error.code === 'VALIDATION')
		return translateIssue(locale, String(error.params.message ?? ''));
	return translate(locale, `errors.${error.code}`, error.params);
}

/**
 * The filter the page came from, for people: "Active clients matching “ana”, registered from
 * 1 Mar 2026". `formatDay` shows a YYYY-MM-DD day in the user's format.
 */
export function describeFilter(
	filters: Pick<ClientFilters, 'q' | 'status' | 'from' | 'to'>,
	locale: Locale,
	formatDay: (day: string) => string
): string {
	let text = translate(locale, `bulk.filter.${filters.status}`);
	const q = filters.q.trim();
	if (q) text = translate(locale, 'bulk.filter.matching', { who: text, q });
	if (filters.from && filters.to)
		text = translate(locale, 'bulk.filter.between', {
			who: text,
			from: formatDay(filters.from),
			to: formatDay(filters.to)
		});
	else if (filters.from)
		text = translate(locale, 'bulk.filter.from', { who: text, from: formatDay(filters.from) });
	else if (filters.to)
		text = translate(locale, 'bulk.filter.to', { who: text, to: formatDay(filters.to) });
	return text;
}
