import { z } from 'zod';

/** Timestamps travel and are stored on devices as ISO-8601 UTC strings (sortable as text). */
export const isoTimestamp = z.iso.datetime({ offset: false });

/** Columns every synced row carries (DESIGN.md §3): server-assigned version and tombstone. */
export const syncedRowColumns = {
	/** Global server version of the last write; 0 on a device for a row not yet confirmed. */
	version: z.number().int().nonnegative(),
	deletedAt: isoTimestamp.nullable()
};

export const uuidSchema = z.uuid({ error: 'validation.idInvalid' });

/** Optional free text: trimmed, empty means absent. */
export function optionalText(max: number) {
	return z
		.string()
		.trim()
		.max(max, { error: 'validation.tooLong' })
		.transform((value) => (value === '' ? null : value))
		.nullable()
		.optional()
		.transform((value) => value ?? null);
}
