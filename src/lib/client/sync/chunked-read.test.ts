import 'fake-indexeddb/auto';
import Dexie, { liveQuery, type Table } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { readAll, readAllBy } from './chunked-read';

interface Row {
	id: string;
	group: string;
}

class TestDb extends Dexie {
	rows!: Table<Row, string>;
	constructor(name: string) {
		super(name);
		this.version(1).stores({ rows: 'id, group' });
	}
}

let opened: TestDb[] = [];
let counter = 0;
afterEach(async () => {
	for (const db of opened) await db.delete();
	opened = [];
});

async function dbWith(rows: Row[]): Promise<TestDb> {
	const db = new TestDb(`chunked-read-test-${++counter}`);
	opened.push(db);
	await db.rows.bulkAdd(rows);
	return db;
}

// Groups of uneven sizes (one of 6 rows, larger than the small chunks), ids out of group order.
const rows: Row[] = Array.from({ length: 23 }, (_, i) => ({
	id: `id-${String((i * 7) % 23).padStart(2, '0')}`,
	group: i < 6 ? 'g-big' : `g-${String(i % 9).padStart(2, '0')}`
}));

describe('readAll', () => {
	it.each([1, 2, 5, 23, 24, 500])('reads what toArray reads, in chunks of %i', async (chunk) => {
		const db = await dbWith(rows);
		expect(await readAll(db.rows, chunk)).toEqual(await db.rows.toArray());
	});

	it('reads an empty table', async () => {
		const db = await dbWith([]);
		expect(await readAll(db.rows, 3)).toEqual([]);
	});
});

describe('readAllBy', () => {
	it.each([1, 2, 3, 5, 6, 7, 23, 500])(
		'reads what orderBy(index).toArray reads, in chunks of %i',
		async (chunk) => {
			const db = await dbWith(rows);
			expect(await readAllBy(db.rows, 'group', chunk)).toEqual(
				await db.rows.orderBy('group').toArray()
			);
		}
	);
});

describe('in a liveQuery', () => {
	it('sees a change in any chunk', async () => {
		const db = await dbWith(rows);
		const seen: number[] = [];
		let emitted: () => void = () => {};
		const subscription = liveQuery(async () => {
			const [all, byGroup] = await Promise.all([
				readAll(db.rows, 4),
				readAllBy(db.rows, 'group', 4)
			]);
			return all.length + byGroup.length;
		}).subscribe((count) => {
			seen.push(count);
			emitted();
		});
		const next = () => new Promise<void>((resolve) => (emitted = resolve));
		try {
			await next();
			// A row in the middle of the key range: neither the first nor the last chunk.
			const changed = next();
			await db.rows.put({ id: 'id-10x', group: 'g-03x' });
			await changed;
			expect(seen).toEqual([46, 48]);
		} finally {
			subscription.unsubscribe();
		}
	});
});
