import { describe, expect, it } from 'vitest';
import type { AccessEventRow } from '$lib/shared/schemas/access-event';
import type { AccessRow } from '$lib/shared/schemas/access';
import type { RecordEditRow } from '$lib/shared/schemas/record-edit';
import { editedFields, splitAccesses, timeline, timelineKey } from './profile';
import { deviceAccess } from '../../../../tests/factories/device-rows';

const now = Date.parse('2025-06-15T12:00:00.000Z');
let seq = 0;
function access(fields: Partial<AccessRow>): AccessRow {
	seq++;
	return deviceAccess({
		id: `0190a000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
		startsAt: '2025-01-01T00:00:00.000Z',
		createdAt: '2025-01-01T00:00:00.000Z',
		updatedAt: '2025-01-01T00:00:00.000Z',
		...fields
	});
}

describe('splitAccesses', () => {
	it('puts open grants in current and ended ones in past, with their states', () => {
		const lifetime = access({});
		const expiring = access({ endsAt: '2025-06-20T00:00:00.000Z' });
		const active = access({ endsAt: '2025-09-01T00:00:00.000Z' });
		const expired = access({ endsAt: '2025-06-15T12:00:00.000Z' });
		const revoked = access({
			endsAt: '2026-01-01T00:00:00.000Z',
			revokedAt: '2025-06-01T00:00:00.000Z'
		});
		const { current, past } = splitAccesses([lifetime, expired, active, revoked, expiring], now);
		expect(current.map((v) => [v.access.id, v.state])).toEqual([
			[expiring.id, 'expiring'],
			[active.id, 'active'],
			[lifetime.id, 'active']
		]);
		expect(past.map((v) => [v.access.id, v.state])).toEqual([
			[expired.id, 'expired'],
			[revoked.id, 'revoked']
		]);
	});
});

describe('timeline', () => {
	const event = (id: string, at: string): AccessEventRow => ({
		id,
		accessId: 'a',
		clientId: 'c',
		indicatorId: 'i',
		kind: 'granted',
		at,
		actor: 'system',
		previousEndsAt: null,
		newEndsAt: null,
		preset: null,
		note: null,
		relatedEventId: null,
		version: 1,
		deletedAt: null
	});

	it('lists events, the creation and the last edit, newest first', () => {
		const entries = timeline(
			{ createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-03-01T00:00:00.000Z' },
			[event('e1', '2025-02-01T00:00:00.000Z'), event('e2', '2025-04-01T00:00:00.000Z')]
		);
		expect(entries.map((e) => (e.kind === 'event' ? e.event.id : e.kind))).toEqual([
			'e2',
			'updated',
			'e1',
			'created'
		]);
	});

	it('leaves out the edit when the client was never edited', () => {
		const at = '2025-01-01T00:00:00.000Z';
		expect(timeline({ createdAt: at, updatedAt: at }, []).map((e) => e.kind)).toEqual(['created']);
	});

	const edit = (id: string, at: string, changes: RecordEditRow['changes']): RecordEditRow => ({
		id,
		entity: 'clients',
		entityId: 'c',
		actor: 'u',
		at,
		changes,
		version: 1,
		deletedAt: null
	});

	it('merges logged edits with events, newest first, and drops "last edited" once edits show', () => {
		const client = { createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-05-01T00:00:00.000Z' };
		const sameTime = '2025-03-01T00:00:00.000Z';
		const entries = timeline(
			client,
			[event('0190a000-0000-7000-8000-00000000000b', sameTime)],
			[
				edit('0190a000-0000-7000-8000-00000000000a', sameTime, {
					email: { before: null, after: 'a@b.co' }
				}),
				edit('0190a000-0000-7000-8000-00000000000c', '2025-05-01T00:00:00.000Z', {
					fullName: { before: 'Ana', after: 'Ana Gómez' }
				})
			]
		);
		expect(entries.map((e) => [e.kind, timelineKey(e)])).toEqual([
			['edit', '0190a000-0000-7000-8000-00000000000c'],
			// The same time: the later id first, whatever the input order.
			['event', '0190a000-0000-7000-8000-00000000000b'],
			['edit', '0190a000-0000-7000-8000-00000000000a'],
			['created', 'created']
		]);
		const first = entries[0];
		expect(first?.kind === 'edit' && first.edit.changes).toEqual({
			fullName: { before: 'Ana', after: 'Ana Gómez' }
		});
		// Stable: the same rows in another order give the same timeline.
		expect(
			timeline(
				client,
				[...entries].reverse().flatMap((e) => (e.kind === 'event' ? [e.event] : [])),
				[...entries.flatMap((e) => (e.kind === 'edit' ? [e.edit] : []))].reverse()
			)
		).toEqual(entries);
		// Once edits show, when the client was last edited plays no part: the profile passes its
		// creation time instead, so saving the client's details does not rebuild the history.
		expect(
			timeline(
				{ createdAt: client.createdAt, updatedAt: client.createdAt },
				entries.flatMap((e) => (e.kind === 'event' ? [e.event] : [])),
				entries.flatMap((e) => (e.kind === 'edit' ? [e.edit] : []))
			)
		).toEqual(entries);
	});

	it("lists an edit's fields in the order the details show them", () => {
		const changes = {
			notes: { before: null, after: 'x' },
			email: { before: 'a@b.co', after: null },
			fullName: { before: 'A', after: 'B' },
			somethingNew: { before: 1, after: 2 }
		};
		expect(editedFields(edit('e', '2025-01-01T00:00:00.000Z', changes))).toEqual([
			{ field: 'fullName', before: 'A', after: 'B' },
			{ field: 'email', before: 'a@b.co', after: null },
			{ field: 'notes', before: null, after: 'x' },
			{ field: 'somethingNew', before: 1, after: 2 }
		]);
	});
});
