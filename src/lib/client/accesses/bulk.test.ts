import { describe, expect, it, vi } from 'vitest';
import { AppError } from '$lib/shared/errors';
import { DAY_MS } from '$lib/shared/grants';
import type { AccessRow } from '$lib/shared/schemas/access';
import {
	MAX_GRANT_ITEMS,
	accessesByClient,
	bulkGrantArgs,
	chunk,
	clientsApplied,
	describeFilter,
	failureMessage,
	forEachInChunks,
	isSelected,
	planBulk,
	selectAll,
	selectNone,
	setSelected
} from './bulk';

const now = new Date('2026-05-01T00:00:00.000Z');
const at = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
const thirty = { kind: 'preset', preset: '30d' } as const;
const grant = (over: Partial<AccessRow>): AccessRow => ({
	id: 'g1',
	clientId: 'c1',
	indicatorId: 'A',
	startsAt: at(-30),
	endsAt: at(10),
	revokedAt: null,
	revokeReason: null,
	accessType: 'paid',
	tvState: 'verified',
	tvError: null,
	tvAttempts: 0,
	tvVerifiedAt: null,
	createdAt: at(-30),
	updatedAt: at(-30),
	version: 1,
	deletedAt: null,
	...over
});

const active = (id: string) => ({ id, status: 'active' as const });
const inactive = (id: string) => ({ id, status: 'inactive' as const });
const A = { id: 'A', status: 'production' as const };
const B = { id: 'B', status: 'production' as const };
const retired = { id: 'R', status: 'retired' as const };

describe('selection', () => {
	it('starts with everyone ticked and remembers exceptions either way', () => {
		let selection = selectAll;
		expect(isSelected(selection, 'c1')).toBe(true);
		selection = setSelected(selection, 'c1', false);
		expect(isSelected(selection, 'c1')).toBe(false);
		expect(isSelected(selection, 'c2')).toBe(true);
		selection = setSelected(selection, 'c1', true);
		expect(selection.flipped.size).toBe(0);

		selection = setSelected(selectNone, 'c2', true);
		expect(isSelected(selection, 'c2')).toBe(true);
		expect(isSelected(selection, 'c3')).toBe(false);
	});

	it('setting what is already so returns the same selection (no needless re-render)', () => {
		expect(setSelected(selectAll, 'c1', true)).toBe(selectAll);
	});
});

describe('planBulk', () => {
	const plan = (over: Partial<Parameters<typeof planBulk>[0]> = {}) =>
		planBulk({
			clients: [active('c1'), active('c2'), active('c3'), active('c4'), inactive('c5')],
			selection: selectAll,
			indicators: [A],
			accesses: accessesByClient([
				grant({ id: 'open', clientId: 'c1', endsAt: at(10) }),
				grant({ id: 'expired', clientId: 'c2', endsAt: at(-2) }),
				grant({ id: 'revoked', clientId: 'c3', revokedAt: at(-1) }),
				// Another indicator's grant does not count for A.
				grant({ id: 'other', clientId: 'c4', indicatorId: 'B' })
			]),
			duration: thirty,
			now,
			...over
		});

	it('counts new, extended, reopened and refused pairs the way the server will decide them', () => {
		const { totals, rows } = plan();
		expect(totals).toEqual({
			create: 2,
			extend: 1,
			reopen: 1,
			refused: { retired: 0, inactive: 1, usernameInvalid: 0, endNotLater: 0 },
			refusedTotal: 1,
			clients: 4,
			unselected: 0
		});
		expect(rows.map((r) => [r.client.id, r.items[0]?.outcome, r.grantable])).toEqual([
			['c1', 'extend', ['A']],
			['c2', 'reopen', ['A']],
			['c3', 'create', ['A']],
			['c4', 'create', ['A']],
			['c5', 'inactive', []]
		]);
		expect(rows[0]?.items[0]?.endsAt).toBe(at(40));
	});

	it('refuses a client whose TradingView username is invalid, and sends it nothing', () => {
		const { totals, rows } = plan({
			clients: [active('c1'), { ...active('c6'), tvUsernameState: 'invalid' as const }]
		});
		expect(rows.map((r) => [r.client.id, r.items[0]?.outcome, r.grantable])).toEqual([
			['c1', 'extend', ['A']],
			['c6', 'usernameInvalid', []]
		]);
		expect(totals.refused.usernameInvalid).toBe(1);
		expect(totals.clients).toBe(1);
	});

	it('leaves unticked clients out of the rows and counts them', () => {
		const selection = setSelected(setSelected(selectAll, 'c1', false), 'c2', false);
		const { totals, rows } = plan({ selection });
		expect(rows.map((r) => r.client.id)).toEqual(['c3', 'c4', 'c5']);
		expect(totals).toMatchObject({ create: 2, extend: 0, reopen: 0, unselected: 2, clients: 2 });
	});

	it('skips a retired indicator per pair, so the client still gets the others', () => {
		const { totals, rows } = plan({ indicators: [A, retired] });
		expect(rows[0]?.grantable).toEqual(['A']);
		expect(totals.refused).toEqual({ retired: 4, inactive: 2, usernameInvalid: 0, endNotLater: 0 });
		expect(totals.clients).toBe(4);
	});

	it('refuses a custom end that would shorten an open grant, only for that client', () => {
		const { totals, rows } = plan({ duration: { kind: 'until', endsAt: at(5) } });
		expect(rows.map((r) => r.items[0]?.outcome)).toEqual([
			'endNotLater',
			'reopen',
			'create',
			'create',
			'inactive'
		]);
		expect(totals.refused.endNotLater).toBe(1);
		expect(totals.clients).toBe(3);
	});
});

describe('bulkGrantArgs', () => {
	const options = { duration: thirty, accessType: 'paid' as const, note: 'Launch promo' };

	it('sends one mutation per client with grantable pairs, without the refused ones', () => {
		const { rows } = planBulk({
			clients: [active('c1'), inactive('c2'), active('c3')],
			selection: selectAll,
			indicators: [A, retired, B],
			accesses: new Map(),
			duration: thirty,
			now
		});
		const args = bulkGrantArgs(rows, options);
		expect(args.map((a) => [a.clientId, a.items.map((i) => i.indicatorId)])).toEqual([
			['c1', ['A', 'B']],
			['c3', ['A', 'B']]
		]);
		expect(args[0]).toMatchObject({ duration: thirty, accessType: 'paid', note: 'Launch promo' });
		const ids = args.flatMap((a) => a.items.flatMap((i) => [i.accessId, i.eventId]));
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('splits a client past the mutator’s item limit into several mutations', () => {
		const many = Array.from({ length: MAX_GRANT_ITEMS + 5 }, (_, i) => `i${i}`);
		const args = bulkGrantArgs([{ client: active('c1'), items: [], grantable: many }], options);
		expect(args.map((a) => a.items.length)).toEqual([MAX_GRANT_ITEMS, 5]);
		expect(args.every((a) => a.clientId === 'c1')).toBe(true);
	});
});

describe('clientsApplied', () => {
	it('counts a client once, and not at all when one of its mutations failed', () => {
		expect(clientsApplied(['c1', 'c2', 'c2', 'c3'], ['c3'])).toEqual(['c1', 'c2']);
	});
});

describe('chunked work', () => {
	it('chunk splits in order, the last one shorter', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(chunk([], 3)).toEqual([]);
		expect(() => chunk([1], 0)).toThrow(RangeError);
	});

	it('runs every item in order and yields between chunks, not after the last', async () => {
		const log: string[] = [];
		const pause = vi.fn(() => {
			log.push('pause');
			return Promise.resolve();
		});
		await forEachInChunks([1, 2, 3, 4, 5], {
			size: 2,
			run: (item, index) => {
				log.push(`${item}@${index}`);
				return Promise.resolve();
			},
			progress: (done) => log.push(`done ${done}`),
			pause
		});
		expect(log).toEqual([
			'1@0',
			'2@1',
			'done 2',
			'pause',
			'3@2',
			'4@3',
			'done 4',
			'pause',
			'5@4',
			'done 5'
		]);
	});

	it('starts the items of a chunk together and waits for all of them', async () => {
		const started: number[] = [];
		const finish: Array<() => void> = [];
		const run = forEachInChunks([1, 2, 3], {
			size: 2,
			run: (item) => {
				started.push(item);
				return new Promise<void>((resolve) => finish.push(resolve));
			},
			pause: () => Promise.resolve()
		});
		await Promise.resolve();
		expect(started).toEqual([1, 2]);
		finish[1]?.();
		await new Promise((resolve) => setTimeout(resolve, 0));
		// The chunk is not done until its first item is: the third has not started.
		expect(started).toEqual([1, 2]);
		finish[0]?.();
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(started).toEqual([1, 2, 3]);
		finish[2]?.();
		await run;
	});

	it('a throwing item stops before the next chunk, after its own chunk settles', async () => {
		const ran: number[] = [];
		await expect(
			forEachInChunks([1, 2, 3], {
				size: 2,
				run: (item) => {
					ran.push(item);
					return item === 1 ? Promise.reject(new Error('storage gone')) : Promise.resolve();
				},
				pause: () => Promise.resolve()
			})
		).rejects.toThrow('storage gone');
		expect(ran).toEqual([1, 2]);
	});

	it('really gives the event loop a turn between chunks', async () => {
		let ticked = false;
		setTimeout(() => (ticked = true), 0);
		const seen: boolean[] = [];
		await forEachInChunks([1, 2], {
			size: 1,
			run: () => {
				seen.push(ticked);
				return Promise.resolve();
			}
		});
		expect(seen).toEqual([false, true]);
	});
});

describe('messages', () => {
	it('a refusal is told in the user’s language with its details', () => {
		const error = new AppError('INDICATOR_RETIRED', { indicator: 'Trend Pulse' });
		expect(failureMessage(error, 'en')).toContain('Trend Pulse is retired');
		expect(failureMessage(error, 'es')).toContain('Trend Pulse');
		expect(failureMessage(new Error('boom'), 'en')).not.toContain('boom');
	});

	it('describes the filter the page came from', () => {
		const day = (d: string) => `<${d}>`;
		expect(describeFilter({ q: '', status: 'all', from: null, to: null }, 'en', day)).toBe(
			'All clients'
		);
		expect(describeFilter({ q: ' ana ', status: 'active', from: null, to: null }, 'en', day)).toBe(
			'Active clients matching “ana”'
		);
		expect(
			describeFilter({ q: '', status: 'inactive', from: '2026-01-01', to: '2026-02-01' }, 'es', day)
		).toBe('Clientes inactivos registrados del <2026-01-01> al <2026-02-01>');
	});
});
