import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { systemActor } from '../audit';
import { auditLog, settings } from '../db/schema';
import { secretBox } from '../secrets';
import { CONNECTION_KEY, cleanCookie, clearSession, loadSession, saveSession } from './connection';

const box = secretBox(Buffer.alloc(32, 7));
const otherBox = secretBox(Buffer.alloc(32, 9));
const env = { sessionid: 'env-id', sessionidSign: 'env-sign' };

describeEachDatabase('TradingView connection storage', (kind) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database.dispose();
	});
	beforeEach(async () => {
		await database.exec('truncate settings, audit_log');
	});

	it('stores the cookies sealed, prefers them over the environment, audits without values', async () => {
		expect((await loadSession(database.db, box, {})).info.source).toBe('none');
		expect((await loadSession(database.db, box, env)).session).toEqual(env);

		await saveSession(
			database.db,
			box,
			{ sessionid: 'abc123', sessionidSign: 'v2:sig' },
			systemActor
		);
		const [row] = await database.db.select().from(settings).where(eq(settings.key, CONNECTION_KEY));
		expect(JSON.stringify(row?.value)).not.toContain('abc123');
		expect(JSON.stringify(row?.value)).not.toContain('v2:sig');
		const loaded = await loadSession(database.db, box, env);
		expect(loaded.session).toEqual({ sessionid: 'abc123', sessionidSign: 'v2:sig' });
		expect(loaded.info.source).toBe('settings');

		const trail = await database.db.select().from(auditLog);
		expect(trail.map((e) => e.action)).toEqual(['tradingview.session.save']);
		expect(JSON.stringify(trail)).not.toContain('abc123');
	});

	it('a key change makes the saved cookies unreadable, not wrong; clearing falls back to env', async () => {
		await saveSession(database.db, box, { sessionid: 'a', sessionidSign: 'b' }, systemActor);
		const loaded = await loadSession(database.db, otherBox, env);
		expect(loaded.session).toBeNull();
		expect(loaded.info).toMatchObject({ source: 'settings', unreadable: true });
		await clearSession(database.db, systemActor);
		expect((await loadSession(database.db, otherBox, env)).session).toEqual(env);
	});
});

it('cleans pasted cookie values', () => {
	expect(cleanCookie(' "sessionid=abc123;" ', 'sessionid')).toBe('abc123');
	expect(cleanCookie('xyz ', 'sessionid_sign')).toBe('xyz');
	expect(cleanCookie('sessionid_sign=v2:AbC', 'sessionid_sign')).toBe('v2:AbC');
});
