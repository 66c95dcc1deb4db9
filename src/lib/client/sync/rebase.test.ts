import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientCreate, clientUpdate } from '$lib/shared/mutators';
import type { ClientRow } from '$lib/shared/schemas/client';
import { backoffDelay } from './backoff';
import { mutate, storePullPage, type DeviceContext } from './local';
import { MemoryStore } from './memory-store';

// A model-based check of SYNC.md 8: after any pull, what the device shows equals the server's
// state with the still-pending mutations replayed on top — computed here by a plain reference.

type Projection = { id: string; username: string; fullName: string | null };
type Pending =
	| { id: number; kind: 'create'; row: Projection }
	| { id: number; kind: 'update'; target: string; fullName: string };

const ids = Array.from({ length: 6 }, (_, i) => `0190a000-0000-7000-8000-00000000000${i}`);
const names = ['ann', 'bob', 'cy', 'dee'];

/** Replays mutations; the server also refuses to re-create a tombstoned id, a device cannot know. */
function replay(
	server: Map<string, Projection>,
	pending: Pending[],
	tombstones: ReadonlySet<string> = new Set()
): Map<string, Projection> {
	const state = new Map([...server].map(([k, v]) => [k, { ...v }]));
	for (const p of pending) {
		if (p.kind === 'create') {
			const taken = [...state.values()].some(
				(r) => r.username.toLowerCase() === p.row.username.toLowerCase()
			);
			if (!state.has(p.row.id) && !taken && !tombstones.has(p.row.id))
				state.set(p.row.id, { ...p.row });
		} else {
			const row = state.get(p.target);
			if (row) row.fullName = p.fullName;
		}
	}
	return state;
}

function fullRow(p: Projection, version: number): ClientRow {
	const at = '2026-01-01T00:00:00.000Z';
	return {
		id: p.id,
		tradingviewUsername: p.username,
		tvUsernameState: 'unverified',
		email: null,
		fullName: p.fullName,
		registeredAt: at,
		status: 'active',
		notes: null,
		createdAt: at,
		updatedAt: at,
		version,
		deletedAt: null
	};
}

type Op =
	| { op: 'create'; id: number; name: number }
	| { op: 'update'; pick: number; fullName: string }
	| { op: 'otherDevice'; pick: number; fullName: string; remove: boolean }
	| { op: 'serverApplies'; count: number }
	| { op: 'pull' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
	fc.record({
		op: fc.constant('create' as const),
		id: fc.nat(ids.length - 1),
		name: fc.nat(names.length - 1)
	}),
	fc.record({
		op: fc.constant('update' as const),
		pick: fc.nat(10),
		fullName: fc.constantFrom('pat', 'quin', 'ros', 'sol')
	}),
	fc.record({
		op: fc.constant('otherDevice' as const),
		pick: fc.nat(10),
		fullName: fc.constantFrom('pat', 'quin', 'ros', 'sol'),
		remove: fc.boolean()
	}),
	fc.record({ op: fc.constant('serverApplies' as const), count: fc.nat(3) }),
	fc.constant({ op: 'pull' as const })
);

describe('rebase', () => {
	it('visible state = server state + replay of pending mutations, after every pull', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
				const store = new MemoryStore();
				const device: DeviceContext = {
					clientId: ids[0]!,
					userId: ids[1]!,
					role: 'admin',
					now: () => new Date()
				};
				const server = new Map<string, Projection>();
				const versions = new Map<string, number>(); // row id → version of its last change
				const tombstones = new Set<string>();
				let version = 0;
				let pending: Pending[] = [];
				let acked = 0;
				let cursor = 0;
				const bump = (id: string) => versions.set(id, ++version);

				for (const step of ops) {
					const shownNow = await store.transaction((tx) => tx.entity('clients').toArray());
					const visible = new Map(shownNow.map((r) => [r.id, r]));
					if (step.op === 'create') {
						const row = { id: ids[step.id]!, username: names[step.name]!, fullName: null };
						const refused =
							visible.has(row.id) || shownNow.some((r) => r.tradingviewUsername === row.username);
						const attempt = mutate(store, device, clientCreate, {
							id: row.id,
							fields: { tradingviewUsername: row.username }
						});
						if (refused) {
							await expect(attempt).rejects.toBeDefined();
							continue;
						}
						const { mutationId } = await attempt;
						pending.push({ id: mutationId, kind: 'create', row });
					} else if (step.op === 'update') {
						const target = [...visible.keys()][step.pick % Math.max(1, visible.size)];
						if (!target) continue;
						const { mutationId } = await mutate(store, device, clientUpdate, {
							id: target,
							base: null,
							patch: { fullName: step.fullName || 'x' }
						});
						pending.push({
							id: mutationId,
							kind: 'update',
							target,
							fullName: step.fullName || 'x'
						});
					} else if (step.op === 'otherDevice') {
						const target = [...server.keys()][step.pick % Math.max(1, server.size)];
						if (!target) continue;
						if (step.remove) {
							server.delete(target);
							tombstones.add(target);
						} else server.get(target)!.fullName = step.fullName;
						bump(target);
					} else if (step.op === 'serverApplies') {
						const applying = pending.slice(0, step.count);
						const next = replay(server, applying, tombstones);
						for (const [id, row] of next) {
							const before = server.get(id);
							if (!before || before.fullName !== row.fullName || before.username !== row.username)
								bump(id);
						}
						server.clear();
						for (const [id, row] of next) server.set(id, row);
						if (applying.length) acked = applying.at(-1)!.id;
						pending = pending.slice(applying.length);
					} else {
						const changed = [...versions].filter(([, v]) => v > cursor).map(([id]) => id);
						const rows = changed.map((id) =>
							server.has(id)
								? fullRow(server.get(id)!, versions.get(id)!)
								: {
										...fullRow({ id, username: 'gone', fullName: null }, versions.get(id)!),
										deletedAt: '2026-01-02T00:00:00.000Z'
									}
						);
						cursor = version;
						await storePullPage(store, device, {
							status: 'ok',
							cursor,
							rows: { clients: rows },
							more: false,
							lastMutationId: acked,
							rejected: [],
							total: null,
							serverNow: new Date().toISOString()
						});
						const shown = await store.transaction((tx) => tx.entity('clients').toArray());
						const expected = [...replay(server, pending).values()].sort((a, b) =>
							a.id < b.id ? -1 : 1
						);
						expect(
							shown.map((r) => ({
								id: r.id,
								username: r.tradingviewUsername,
								fullName: r.fullName
							}))
						).toEqual(expected);
						const queued = await store.transaction((tx) => tx.outbox.toArray());
						expect(queued.map((e) => e.id)).toEqual(pending.map((p) => p.id));
					}
				}
			}),
			{ numRuns: 300 }
		);
	});
});

describe('backoff', () => {
	it('grows exponentially, stays within [half, full] of the capped ceiling, never exceeds the cap', () => {
		fc.assert(
			fc.property(
				fc.nat(40),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				(attempt, r) => {
					const delay = backoffDelay(attempt, { baseMs: 1000, capMs: 60_000, random: () => r });
					const ceiling = Math.min(60_000, 1000 * 2 ** attempt);
					expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
					expect(delay).toBeLessThanOrEqual(ceiling);
				}
			)
		);
		expect(backoffDelay(0, { random: () => 0 })).toBe(500);
		expect(backoffDelay(3, { random: () => 0 })).toBe(4000);
		expect(backoffDelay(30, { random: () => 1 })).toBe(60_000);
	});
});
