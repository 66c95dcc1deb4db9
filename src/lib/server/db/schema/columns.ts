import { sql, type SQL } from 'drizzle-orm';
import { timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** A `timestamptz` column read as a `Date`: every time in the schema. */
export const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** `col in ('a', 'b', ...)` for a check constraint; the values are the schema's own constants. */
export const oneOf = (col: AnyPgColumn, values: readonly string[]): SQL =>
	sql`${col} in (${sql.raw(values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', '))})`;
