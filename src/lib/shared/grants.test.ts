import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, extendEnd, grantState, isOpenGrant, sameEnd } from './grants';
import { durationPresets, type Duration } from './schemas/access';

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

describe('extension arithmetic', () => {
	const presetDays = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 } as const;
	const nowMs = now.getTime();
	const instant = fc.integer({ min: nowMs - 400 * DAY_MS, max: nowMs + 400 * DAY_MS });
	const end = fc.option(
		instant.map((ms) => new Date(ms).toISOString()),
		{ nil: null }
	);
	const duration: fc.Arbitrary<Duration> = fc.oneof(
		fc.constantFrom(...durationPresets).map((preset) => ({ kind: 'preset' as const, preset })),
		instant.map((ms) => ({ kind: 'until' as const, endsAt: new Date(ms).toISOString() }))
	);

	it('examples: from the current end when it is later, from now when it has passed', () => {
		const preset = (p: (typeof durationPresets)[number]): Duration => ({
			kind: 'preset',
			preset: p
		});
		expect(extendEnd(at(3 * DAY_MS), preset('7d'), now)).toEqual({
			ok: true,
			endsAt: at(10 * DAY_MS)
		});
		expect(extendEnd(at(-90 * DAY_MS), preset('30d'), now)).toEqual({
			ok: true,
			endsAt: at(30 * DAY_MS)
		});
		expect(extendEnd(undefined, preset('365d'), now)).toEqual({
			ok: true,
			endsAt: at(365 * DAY_MS)
		});
		expect(extendEnd(at(DAY_MS), preset('lifetime'), now)).toEqual({ ok: true, endsAt: null });
		expect(extendEnd(at(5 * DAY_MS), { kind: 'until', endsAt: at(5 * DAY_MS) }, now)).toEqual({
			ok: false,
			reason: 'END_NOT_LATER'
		});
	});

	it('a renewal never shortens a grant', () => {
		fc.assert(
			fc.property(end, duration, (current, d) => {
				const result = extendEnd(current, d, now);
				if (!result.ok) return;
				if (current === null) expect(result.endsAt).toBeNull();
				else if (result.endsAt !== null)
					expect(Date.parse(result.endsAt)).toBeGreaterThan(Date.parse(current));
			})
		);
	});

	it('a preset always extends from max(now, end) by exactly its length', () => {
		fc.assert(
			fc.property(
				fc.option(instant, { nil: undefined }),
				fc.constantFrom<keyof typeof presetDays>('7d', '30d', '90d', '365d'),
				(currentMs, preset) => {
					const current = currentMs === undefined ? undefined : new Date(currentMs).toISOString();
					const result = extendEnd(current, { kind: 'preset', preset }, now);
					const from = Math.max(nowMs, currentMs ?? -Infinity);
					expect(result).toEqual({
						ok: true,
						endsAt: new Date(from + presetDays[preset] * DAY_MS).toISOString()
					});
				}
			)
		);
	});

	it('a custom end is taken as given only when later than both now and the current end', () => {
		fc.assert(
			fc.property(fc.option(instant, { nil: undefined }), instant, (currentMs, untilMs) => {
				const current = currentMs === undefined ? undefined : new Date(currentMs).toISOString();
				const until = new Date(untilMs).toISOString();
				const result = extendEnd(current, { kind: 'until', endsAt: until }, now);
				const later = untilMs > Math.max(nowMs, currentMs ?? -Infinity);
				expect(result).toEqual(
					later ? { ok: true, endsAt: until } : { ok: false, reason: 'END_NOT_LATER' }
				);
			})
		);
	});

	it('lifetime absorbs any renewal, and a lifetime preset makes any grant lifetime', () => {
		fc.assert(
			fc.property(end, duration, (current, d) => {
				expect(extendEnd(null, d, now)).toEqual({ ok: true, endsAt: null });
				expect(extendEnd(current, { kind: 'preset', preset: 'lifetime' }, now)).toEqual({
					ok: true,
					endsAt: null
				});
			})
		);
	});

	it('a renewed grant is open afterwards, whatever state it was in', () => {
		fc.assert(
			fc.property(end, duration, (current, d) => {
				const result = extendEnd(current, d, now);
				if (result.ok)
					expect(isOpenGrant({ revokedAt: null, endsAt: result.endsAt }, now)).toBe(true);
			})
		);
	});

	it('sameEnd compares instants, with null meaning lifetime', () => {
		expect(sameEnd('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z')).toBe(true);
		expect(sameEnd(null, null)).toBe(true);
		expect(sameEnd(null, '2026-01-01T00:00:00Z')).toBe(false);
	});
});
