import type { SyncStatus } from '$lib/client/sync/status';
import { isMessageKey, translate, type Locale } from '$lib/shared/i18n';
import type { EntityName } from '$lib/shared/sync/entities';

/** The dictionary key (under `sync.status` / `sync.explain`) of each status. */
export const statusKey = {
	synced: 'synced',
	syncing: 'syncing',
	offline: 'offline',
	pending: 'pending',
	stalled: 'stalled',
	error: 'error',
	'paused-auth': 'pausedAuth',
	'update-required': 'updateRequired'
} as const satisfies Record<SyncStatus, string>;

/** "in 30 seconds", "5 minutes ago", "yesterday" — in the user's language. */
export function relativeTime(
	iso: string | number,
	nowMs: number,
	locale: Locale,
	options: { future?: boolean } = {}
): string {
	const at = typeof iso === 'number' ? iso : Date.parse(iso);
	const diff = at - nowMs;
	const abs = Math.abs(diff);
	// Past moments a few seconds either side of the clock we hold are "just now".
	if (!options.future && abs < 45_000) return translate(locale, 'sync.justNow');
	const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
	if (abs < 60_000) return format.format(Math.round(diff / 1000), 'second');
	if (abs < 45 * 60_000) return format.format(Math.round(diff / 60_000), 'minute');
	if (abs < 22 * 3600_000) return format.format(Math.round(diff / 3600_000), 'hour');
	return format.format(Math.round(diff / 86_400_000), 'day');
}

/** "client.create" → the translated label of the change ("New client"). */
export function mutationLabel(locale: Locale, name: string): string {
	const key = `sync.mutations.${name.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase())}`;
	return translate(locale, isMessageKey(key) ? key : 'sync.mutations.unknown');
}

/** A record field's translated name ("fullName" → "Full name"), or the field itself if unknown. */
export function fieldLabel(locale: Locale, field: string): string {
	const key = `sync.fields.${field}`;
	return isMessageKey(key) ? translate(locale, key) : field;
}

/** The translated reason of a refusal, with its parameters. */
export function reasonText(locale: Locale, code: string, params: Record<string, string | number>) {
	const key = `errors.${code}`;
	return translate(locale, isMessageKey(key) ? key : 'errors.INTERNAL', params);
}

type Row = Record<string, unknown> | undefined;

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * How a record is named in the sync panel: its current row if the device has it, else what the
 * change itself carried (a refused create leaves no row), else a short id.
 */
export function recordLabel(
	locale: Locale,
	entity: EntityName,
	id: string,
	row: Row,
	args: unknown
): string {
	const fields = (args as { fields?: Row; patch?: Row } | null)?.fields ?? undefined;
	const source: Row = row ?? fields;
	if (source) {
		const name =
			entity === 'clients'
				? (text(source.fullName) ?? text(source.tradingviewUsername))
				: (text(source.name) ?? null);
		if (name) return name;
	}
	return translate(locale, 'sync.record', { id: id.slice(-6) });
}

/** Bytes as "12.3 MB" in the user's number format. */
export function formatBytes(locale: Locale, bytes: number): string {
	const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: units[unit],
		unitDisplay: 'short',
		maximumFractionDigits: unit === 0 ? 0 : 1
	}).format(value);
}
