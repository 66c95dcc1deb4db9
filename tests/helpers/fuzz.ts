import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';
import { rowsOf } from '../../src/lib/server/db/rows';

// Shared by the fuzz suites (issue 8, "Bad input"): hostile values, near-valid inputs built from a
// valid sample, and a fingerprint of the whole database to prove a refused call changed nothing.

/** Payloads people (or scripts) type into fields: markup, SQL, control and odd unicode. */
export const payloads = [
	'<img src=x onerror=window.__xss=1>',
	'<script>window.__xss=1</script>',
	'"><svg onload=window.__xss=1>',
	"'; drop table clients; --",
	"' or '1'='1",
	'\u0000',
	'a\u0000b',
	'\uD800',
	'\uDFFF\uD800',
	'\u202Eevil',
	'\uFEFF',
	'😀👩‍👩‍👧',
	'Ω≈ç√∫',
	'\r\n\t',
	'%00',
	'${7*7}{{7*7}}',
	'../../../etc/passwd',
	'__proto__',
	'constructor',
	'NaN',
	'-1',
	'1e308',
	' '
] as const;

export const hostileString: fc.Arbitrary<string> = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom(...payloads) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
	{
		weight: 1,
		arbitrary: fc.nat({ max: 3 }).map((n) => 'x'.repeat([300, 5_000, 70_000, 1_100_000][n] ?? 1))
	},
	{ weight: 1, arbitrary: fc.emailAddress() },
	{ weight: 1, arbitrary: fc.uuid() }
);

/** Any JSON-able value, weighted towards the wrong types a careless client sends. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 3, arbitrary: hostileString },
	{
		weight: 1,
		arbitrary: fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, 0.5, true, false, null)
	},
	{ weight: 1, arbitrary: fc.integer() },
	{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
	{ weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
	{ weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) }
);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Inputs around a valid sample: a field replaced by a hostile value, a field missing, an extra
 * field, nested the same way one level down; or anything at all.
 */
export function nearSample(sample: unknown): fc.Arbitrary<unknown> {
	if (Array.isArray(sample) && sample.length > 0) {
		const [head, ...rest] = sample as unknown[];
		return fc.oneof(
			nearSample(head).map((first) => [first, ...rest]),
			hostileValue
		);
	}
	if (!isRecord(sample)) return hostileValue;
	const keys = Object.keys(sample);
	if (keys.length === 0) return hostileValue;
	const key = fc.constantFrom(...keys);
	const replaced = fc.tuple(key, hostileValue).map(([k, v]) => ({ ...sample, [k]: v }));
	const nested = fc
		.tuple(key, hostileValue)
		.chain(([k, v]) =>
			isRecord(sample[k]) || Array.isArray(sample[k])
				? nearSample(sample[k]).map((inner) => ({ ...sample, [k]: inner }))
				: fc.constant({ ...sample, [k]: v })
		);
	const missing = key.map((k) =>
		Object.fromEntries(Object.entries(sample).filter(([name]) => name !== k))
	);
	const extra = fc.tuple(hostileString, hostileValue).map(([k, v]) => ({ ...sample, [k]: v }));
	return fc.oneof(
		{ weight: 4, arbitrary: replaced },
		{ weight: 2, arbitrary: nested },
		{ weight: 2, arbitrary: missing },
		{ weight: 1, arbitrary: extra },
		{ weight: 2, arbitrary: hostileValue }
	);
}

/** Every table of the app (not PostgreSQL's own), as `schema.table`. */
export async function appTables(db: Db): Promise<string[]> {
	const rows = rowsOf<{ name: string }>(
		await db.execute(sql`
			select table_schema || '.' || table_name as name from information_schema.tables
			where table_type = 'BASE TABLE'
				and table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg\\_%'
			order by 1`)
	);
	return rows.map((row) => row.name);
}

/**
 * A digest of each table's whole content. `sessions` is digested without `last_seen_at`, which a
 * request touches by design (at most once a minute).
 */
export async function fingerprint(db: Db, tables: string[]): Promise<Record<string, string>> {
	const parts = tables.map((table) => {
		const quoted = table
			.split('.')
			.map((part) => `"${part}"`)
			.join('.');
		const row =
			table === 'public.sessions' ? "t.id::text || coalesce(t.revoked_at::text, '')" : 't::text';
		return `select '${table}' as name, coalesce(md5(string_agg(${row}, ',' order by ${row})), '') as digest from ${quoted} t`;
	});
	const rows = rowsOf<{ name: string; digest: string }>(
		await db.execute(sql.raw(parts.join(' union all ')))
	);
	return Object.fromEntries(rows.map((row) => [row.name, row.digest]));
}

/** The tables whose digest differs. */
export function changedTables(
	before: Record<string, string>,
	after: Record<string, string>
): string[] {
	return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}
