import { describe, expect, it } from 'vitest';
import { DAY_MS, grantState, isOpenGrant } from './grants';

const now = new Date('2026-06-15T12:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

describe('grant state from the server time', () => {
	it('is revoked whenever revoked, whatever the end', () => {
		expect(grantState({ revokedAt: at(-1), endsAt: at(30 * DAY_MS) }, now)).toBe('revoked');
		expect(grantState({ revokedAt: at(-1), endsAt: null }, now)).toBe('revoked');
	});
	it('is expired at exactly its end and after', () => {
		expect(grantState({ revokedAt: null, endsAt: at(0) }, now)).toBe('expired');
		expect(grantState({ revokedAt: null, endsAt: at(-1) }, now)).toBe('expired');
		expect(grantState({ revokedAt: null, endsAt: at(1) }, now)).toBe('expiring');
	});
	it('is expiring with exactly 7 days left, active with a millisecond more', () => {
		expect(grantState({ revokedAt: null, endsAt: at(7 * DAY_MS) }, now)).toBe('expiring');
		expect(grantState({ revokedAt: null, endsAt: at(7 * DAY_MS + 1) }, now)).toBe('active');
	});
	it('lifetime grants are never expiring', () => {
		expect(grantState({ revokedAt: null, endsAt: null }, now)).toBe('active');
	});
	it('open means active or expiring', () => {
		expect(isOpenGrant({ revokedAt: null, endsAt: at(DAY_MS) }, now)).toBe(true);
		expect(isOpenGrant({ revokedAt: null, endsAt: at(0) }, now)).toBe(false);
		expect(isOpenGrant({ revokedAt: at(-1), endsAt: null }, now)).toBe(false);
	});
});
