import fc from 'fast-check';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isErrorCode } from '$lib/shared/errors';
import type { SessionUser } from '$lib/shared/schemas/user';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { appTables, changedTables, fingerprint, nearSample } from '../../../../tests/helpers/fuzz';
import { staffDevice } from '../../../../tests/helpers/staff';
import { clientArgs, envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import { mutators } from '.';

// Issue 8, "Bad input": every mutator, pushed through the real push path with hostile arguments
// around a valid sample. Each answer is a result (never a thrown error, which would be a 500):
// a rejection with a known code that leaves no trace but its recorded result, or — when the
// arguments happened to be valid — an application that writes only where that mutator writes.

/** Push bookkeeping every mutation writes, applied or not. */
const bookkeeping = ['public.mutation_results', 'public.sync_clients'];
const synced = ['public.field_writes', 'public.record_edits', 'public.sync_versions'];
/** A changed grant queues its TradingView write (pg-boss's job table and its per-queue partition). */
const tvQueue = 'pgboss.j*';
const within = (allowed: string[]) => (table: string) =>
	allowed.some((a) => (a.endsWith('*') ? table.startsWith(a.slice(0, -1)) : table === a));
/** Where an applied mutation of each mutator may write, besides the bookkeeping. */
const writes: Record<string, string[]> = {
	'client.create': ['public.clients', 'public.notifications'],
	// An edit made on an older base tells the author it overwrote (an edit_overwritten notification).
	'client.update': ['public.clients', 'public.notifications'],
	'client.delete': ['public.clients', 'public.audit_log'],
	'indicator.create': ['public.indicators'],
	'indicator.update': ['public.indicators', 'public.notifications'],
	'indicator.release': ['public.indicators', 'public.indicator_versions'],
	'access.grant': ['public.accesses', 'public.access_events', 'public.audit_log', tvQueue],
	'access.renew': [
		'public.accesses',
		'public.access_events',
		'public.notifications',
		'public.audit_log',
		tvQueue
	],
	'access.revoke': ['public.accesses', 'public.access_events', 'public.audit_log', tvQueue],
	'access.resolveConflict': [
		'public.accesses',
		'public.access_events',
		'public.notifications',
		'public.audit_log',
		tvQueue
	],
	'notification.markRead': ['public.notification_reads']
};

const RUNS = { pglite: 20, postgres: 10 };

describeEachDatabase('every mutator refuses hostile arguments as a result', (kind) => {
	let database: TestDatabase;
	let tables: string[];
	let admin: SessionUser;
	const fixture = { clientId: '', indicatorId: '', accessId: '', notificationId: '' };
	const samples: Record<string, () => unknown> = {
		'client.create': () => clientArgs({ notes: 'a note' }),
		'client.update': () => ({ id: fixture.clientId, base: null, patch: { notes: 'edited' } }),
		'client.delete': () => ({ id: fixture.clientId }),
		'indicator.create': () => ({
			id: uuidv7(),
			fields: { name: 'Fuzzed', pubId: `PUB;${uuidv7().replaceAll('-', '')}` }
		}),
		'indicator.update': () => ({
			id: fixture.indicatorId,
			base: null,
			patch: { description: 'edited' }
		}),
		'indicator.release': () => ({
			id: uuidv7(),
			indicatorId: fixture.indicatorId,
			releaseVersion: `v${uuidv7().slice(-6)}`,
			notes: null
		}),
		'access.grant': () => ({
			clientId: fixture.clientId,
			items: [{ indicatorId: fixture.indicatorId, accessId: uuidv7(), eventId: uuidv7() }],
			duration: { kind: 'preset', preset: '30d' },
			accessType: 'paid',
			note: null
		}),
		'access.renew': () => ({
			accessId: fixture.accessId,
			eventId: uuidv7(),
			conflictEventId: uuidv7(),
			notificationId: uuidv7(),
			baseEndsAt: null,
			duration: { kind: 'preset', preset: '30d' },
			note: null
		}),
		'access.revoke': () => ({ accessId: fixture.accessId, eventId: uuidv7(), reason: 'refund' }),
		'access.resolveConflict': () => ({
			accessId: fixture.accessId,
			conflictEventId: uuidv7(),
			eventId: uuidv7(),
			resolution: 'keep_both'
		}),
		'notification.markRead': () => ({
			reads: [{ notificationId: fixture.notificationId, readId: uuidv7() }]
		})
	};

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		admin = await makeUser(database.db, 'admin');
		const staff = staffDevice(() => database.db, admin);
		fixture.clientId = await staff.client();
		fixture.indicatorId = await staff.indicator();
		fixture.accessId = await staff.grant(fixture.clientId, fixture.indicatorId);
		fixture.notificationId = uuidv7();
		tables = await appTables(database.db);
	});
	afterAll(async () => {
		await database.dispose();
	});

	it('has a sample and a write list for every mutator', () => {
		expect(Object.keys(samples).sort()).toEqual(Object.keys(mutators).sort());
		expect(Object.keys(writes).sort()).toEqual(Object.keys(mutators).sort());
	});

	it('a NUL character in any text is a VALIDATION rejection, not a crash (regression)', async () => {
		const answer = await pushOne(database.db, admin, uuidv7(), [
			envelope(1, 'client.create', clientArgs({ notes: 'a\u0000b' })),
			envelope(2, 'client.update', {
				id: fixture.clientId,
				base: null,
				patch: { fullName: '\u0000' }
			})
		]);
		expect(answer).toMatchObject({
			status: 'ok',
			results: [
				{ outcome: 'rejected', code: 'VALIDATION' },
				{ outcome: 'rejected', code: 'VALIDATION' }
			]
		});
	});

	it('a lone surrogate in an audited mutation is a VALIDATION rejection and the push goes on (regression)', async () => {
		// A revoke of a grant already revoked changes nothing, but is audited, with its arguments as
		// JSON, which PostgreSQL refuses with a lone surrogate in it. That write ran outside the
		// mutation's savepoint: the push's transaction was left aborted and the push failed as a
		// whole, again at every retry of the device (found by the property below).
		const staff = staffDevice(() => database.db, admin);
		const accessId = await staff.grant(await staff.client(), await staff.indicator());
		const device = uuidv7();
		const revoke = (id: number, reason: string) =>
			pushOne(database.db, admin, device, [
				envelope(id, 'access.revoke', { accessId, eventId: uuidv7(), reason })
			]);
		expect(await revoke(1, 'refund')).toMatchObject({
			status: 'ok',
			results: [{ outcome: 'applied' }]
		});
		const before = await fingerprint(database.db, tables);
		expect(await revoke(2, '\ud800')).toMatchObject({
			status: 'ok',
			results: [{ outcome: 'rejected', code: 'VALIDATION' }]
		});
		const changed = changedTables(before, await fingerprint(database.db, tables));
		expect(changed.filter((t) => !bookkeeping.includes(t))).toEqual([]);
		// The device's next mutation is taken: nothing was left blocking its outbox.
		expect(await revoke(3, 'refund, again')).toMatchObject({ status: 'ok', results: [{}] });
	});

	for (const name of Object.keys(mutators)) {
		it(name, async () => {
			const device = uuidv7();
			let next = 0;
			await fc.assert(
				fc.asyncProperty(
					fc.constant(null).chain(() => nearSample(samples[name]?.())),
					async (args) => {
						const before = await fingerprint(database.db, tables);
						next += 1;
						const answer = await pushOne(database.db, admin, device, [envelope(next, name, args)]);
						const context = `${name} ${JSON.stringify(args)?.slice(0, 300)} → ${JSON.stringify(answer)}`;
						expect(answer.status, context).toBe('ok');
						if (answer.status !== 'ok') return;
						const [result] = answer.results;
						const changed = changedTables(before, await fingerprint(database.db, tables));
						if (result?.outcome === 'rejected') {
							expect(isErrorCode(result.code), context).toBe(true);
							expect(result.code, context).not.toBe('INTERNAL');
							expect(
								changed.filter((t) => !bookkeeping.includes(t)),
								`wrote ${changed.join(' ')}: ${context}`
							).toEqual([]);
						} else {
							const allowed = [...bookkeeping, ...synced, ...(writes[name] ?? [])];
							expect(
								changed.filter((t) => !within(allowed)(t)),
								`wrote ${changed.join(' ')}: ${context}`
							).toEqual([]);
						}
					}
				),
				{ numRuns: RUNS[kind] }
			);
		});
	}
});
