import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../tests/helpers/db';
import { staffDevice } from '../../../tests/helpers/staff';
import { makeUser } from '../../../tests/helpers/sync';
import { eq } from 'drizzle-orm';
import { parseCsv } from '$lib/shared/csv';
import { auditListInput } from '$lib/shared/schemas/audit';
import { audit, systemActor } from './audit';
import { auditActions, exportAuditCsv, listAudit } from './audit-log';
import { testClock } from './clock';
import { accesses } from './db/schema';

const T0 = new Date('2026-03-01T10:00:00.000Z');

describeEachDatabase('audit log', (kind) => {
	const database = useTestDatabase(
		kind,
		'audit_log, clients, indicators, accesses, access_events, notifications, sync_clients, mutation_results, field_writes, record_edits, users'
	);
	beforeEach(() => testClock.set(T0));
	afterEach(() => testClock.reset());

	const list = (input: Record<string, unknown> = {}) =>
		listAudit(database.current.db, auditListInput.parse(input));

	it('records grants, renewals, revokes and deletes pushed by devices, with actor and before/after', async () => {
		const seller = await makeUser(database.current.db, 'seller');
		const admin = await makeUser(database.current.db, 'admin');
		const staff = staffDevice(() => database.current.db, admin);
		const sellerDevice = staffDevice(() => database.current.db, seller);
		const indicator = await staff.indicator();
		const client = await sellerDevice.client();
		const grant = await sellerDevice.grant(client, indicator);
		testClock.set(new Date(T0.getTime() + 60_000));
		const [row] = (await list({ action: 'access.grant' })).entries;
		expect(row).toMatchObject({
			actorId: seller.id,
			actorLabel: seller.email,
			entity: 'clients',
			entityId: client
		});
		expect(row?.after).toMatchObject({
			clientId: client,
			items: [{ accessId: grant, indicatorId: indicator }]
		});

		const [granted] = await database.current.db
			.select()
			.from(accesses)
			.where(eq(accesses.id, grant));
		const baseEndsAt = granted?.endsAt?.toISOString() ?? null;
		await sellerDevice.renew(grant, baseEndsAt, { kind: 'preset', preset: '7d' });
		const [renewal] = (await list({ action: 'access.renew' })).entries;
		expect(renewal).toMatchObject({ entity: 'accesses', entityId: grant, actorId: seller.id });
		expect(renewal?.before).toMatchObject({ id: grant, endsAt: baseEndsAt });

		await sellerDevice.revoke(grant, 'refunded');
		const [revoke] = (await list({ action: 'access.revoke' })).entries;
		expect(revoke).toMatchObject({ entity: 'accesses', entityId: grant });
		expect(revoke?.before).toMatchObject({ id: grant, revokedAt: null });
		expect(revoke?.after).toMatchObject({ accessId: grant, reason: 'refunded' });

		await staff.applied('client.delete', { id: client });
		const [deletion] = (await list({ action: 'client.delete' })).entries;
		expect(deletion).toMatchObject({ actorId: admin.id, entityId: client });
		expect(deletion?.before).toMatchObject({ id: client, deletedAt: null });
		// Plain edits are not audit events (they have their own history).
		expect((await list({ action: 'client.create' })).entries).toHaveLength(0);
		expect(await auditActions(database.current.db)).toEqual(
			expect.arrayContaining(['access.grant', 'access.revoke', 'client.delete'])
		);
	});

	it('filters by action prefix, entity, actor and time, pages newest first, and exports the same as CSV', async () => {
		for (let i = 0; i < 7; i++) {
			testClock.set(new Date(T0.getTime() + i * 3_600_000));
			await audit(database.current.db, {
				actor: i % 2 ? systemActor : { id: null, label: 'ana@example.test' },
				action: i < 4 ? 'auth.login' : 'job.run',
				entity: i < 4 ? 'users' : 'job',
				entityId: String(i),
				after: { i, note: 'a, "quoted" value' }
			});
		}
		const first = await list({ limit: 3 });
		expect(first.entries.map((e) => e.entityId)).toEqual(['6', '5', '4']);
		const second = await list({ limit: 3, before: first.next ?? undefined });
		expect(second.entries.map((e) => e.entityId)).toEqual(['3', '2', '1']);
		const last = await list({ limit: 3, before: second.next ?? undefined });
		expect(last).toEqual({ entries: [expect.objectContaining({ entityId: '0' })], next: null });

		expect((await list({ action: 'auth.' })).entries).toHaveLength(4);
		expect((await list({ action: 'auth' })).entries).toHaveLength(0); // exact unless it ends with a dot
		expect((await list({ entity: 'job' })).entries.map((e) => e.entityId)).toEqual(['6', '5', '4']);
		expect((await list({ actor: 'ANA@' })).entries.map((e) => e.entityId)).toEqual([
			'6',
			'4',
			'2',
			'0'
		]);
		const window = {
			from: new Date(T0.getTime() + 2 * 3_600_000).toISOString(),
			to: new Date(T0.getTime() + 4 * 3_600_000).toISOString()
		};
		expect((await list(window)).entries.map((e) => e.entityId)).toEqual(['4', '3', '2']);
		expect((await list({ actor: '%' })).entries).toHaveLength(0); // LIKE characters are literal

		const exported = await exportAuditCsv(database.current.db, { action: 'job.run' });
		const rows = parseCsv(exported.csv);
		expect(rows[0]).toEqual([
			'at',
			'actor',
			'action',
			'entity',
			'entity_id',
			'before',
			'after',
			'request_id',
			'ip'
		]);
		expect(rows.slice(1).map((r) => r[4])).toEqual(['6', '5', '4']);
		expect(JSON.parse(rows[1]?.[6] ?? '')).toEqual({ i: 6, note: 'a, "quoted" value' });
		expect(exported).toMatchObject({ rows: 3, truncated: false });
	});
});
