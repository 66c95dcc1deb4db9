import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { clientArgs, envelope, makeUser, pullAll, pushOne } from '../../../../tests/helpers/sync';
import type { SessionUser } from '$lib/shared/schemas/user';
import { recordEdits } from '../db/schema';
import { pull } from './pull';

// The edit log (issue 4): every applied update of a client or indicator that changes something
// appends one `record_edits` row — who, when, and each changed field before and after — which
// every device then pulls.

describeEachDatabase('record edits', (kind) => {
	let database: TestDatabase;
	let admin: SessionUser;
	let device: string;
	let next: number;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await database.exec(
			'truncate clients, indicators, accesses, access_events, notifications, record_edits, sync_clients, mutation_results, field_writes, users cascade'
		);
		admin = await makeUser(database.db, 'admin');
		device = uuidv7();
		next = 1;
	});

	async function apply(name: string, args: unknown, user = admin, clientId = device) {
		const answer = await pushOne(database.db, user, clientId, [envelope(next++, name, args)]);
		expect(answer).toMatchObject({ status: 'ok', results: [{ outcome: 'applied' }] });
	}
	const edits = () => database.db.select().from(recordEdits);

	it('a client update logs the changed fields only, with before, after and the actor', async () => {
		const created = clientArgs({ tradingviewUsername: 'ana_trades', email: 'ana@example.com' });
		await apply('client.create', created);
		expect(await edits()).toEqual([]); // creating is not an edit

		await apply('client.update', {
			id: created.id,
			base: null,
			// fullName is unchanged ('Test Client'): not logged.
			patch: { email: 'ana@new.example', fullName: 'Test Client', notes: 'VIP', status: 'inactive' }
		});
		const rows = await edits();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			entity: 'clients',
			entityId: created.id,
			actor: admin.id,
			deletedAt: null,
			changes: {
				email: { before: 'ana@example.com', after: 'ana@new.example' },
				notes: { before: null, after: 'VIP' },
				status: { before: 'active', after: 'inactive' }
			}
		});
		expect(rows[0]?.at).toBeInstanceOf(Date);
		expect(rows[0]?.version).toBeGreaterThan(0);

		// A new username resets its verification state; the log shows the username, not the state.
		await apply('client.update', {
			id: created.id,
			base: null,
			patch: { tradingviewUsername: 'ana_2' }
		});
		const [, second] = (await edits()).sort((a, b) => a.version - b.version);
		expect(second?.changes).toEqual({
			tradingviewUsername: { before: 'ana_trades', after: 'ana_2' }
		});
	});

	it('an update that changes nothing real logs nothing', async () => {
		const created = clientArgs({ email: 'same@example.com' });
		await apply('client.create', created);
		await apply('client.update', {
			id: created.id,
			base: null,
			patch: { fullName: 'Test Client', email: 'same@example.com', notes: '' }
		});
		expect(await edits()).toEqual([]);
	});

	it('another device pulls the edit; a device on schema 1 is not sent it', async () => {
		const created = clientArgs();
		await apply('client.create', created);
		await apply('client.update', { id: created.id, base: null, patch: { fullName: 'Renamed' } });

		const seller = await makeUser(database.db, 'seller');
		const { pages } = await pullAll(database.db, seller, uuidv7());
		const pulled = pages.flatMap((page) => page.rows.recordEdits ?? []);
		expect(pulled).toHaveLength(1);
		const [row] = await edits();
		expect(pulled[0]).toEqual({
			id: row?.id,
			entity: 'clients',
			entityId: created.id,
			actor: admin.id,
			at: row?.at.toISOString(),
			changes: { fullName: { before: 'Test Client', after: 'Renamed' } },
			version: row?.version,
			deletedAt: null
		});

		const old = await pull(database.db, seller, {
			clientId: uuidv7(),
			schemaVersion: 1,
			cursor: 0
		});
		expect(old).toMatchObject({ status: 'ok', more: false });
		if (old.status !== 'ok') return;
		expect(old.rows.recordEdits).toBeUndefined();
		expect(old.rows.clients).toHaveLength(1);
		expect(old.total).toBe(2); // the client and its "new client" notification
	});

	it('an indicator update is logged too; server-derived fields are not', async () => {
		const id = uuidv7();
		await apply('indicator.create', {
			id,
			fields: { name: 'Trend', pubId: 'PUB;' + 'a'.repeat(32), releaseVersion: '1.0' }
		});
		await apply('indicator.update', {
			id,
			base: null,
			patch: { name: 'Trend Pro', pubId: 'PUB;' + 'b'.repeat(32), releaseVersion: '1.1' }
		});
		const rows = await edits();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ entity: 'indicators', entityId: id, actor: admin.id });
		// pubIdState and lastUpdatedAt changed too, but the server derives them.
		expect(rows[0]?.changes).toEqual({
			name: { before: 'Trend', after: 'Trend Pro' },
			pubId: { before: 'PUB;' + 'a'.repeat(32), after: 'PUB;' + 'b'.repeat(32) },
			releaseVersion: { before: '1.0', after: '1.1' }
		});
	});
});
