import { untrack } from 'svelte';
import type { DurationPreset } from '$lib/shared/schemas/access';
import { useLiveQuery } from '../sync/sync.svelte';
import type { AccessItem } from './list';

export type RenewPreset = Exclude<DurationPreset, 'lifetime'>;

/**
 * One-click renewals repeat the grant's last term (7, 30, 90 or 365 days), 30 days otherwise. Reads
 * the histories of the listed grants only, by index. Call during component initialisation.
 */
export function useRenewPresets(
	items: () => readonly AccessItem[]
): (accessId: string) => RenewPreset {
	const ids = () => items().map((item) => item.access.id);
	const last = useLiveQuery(
		async (db): Promise<Record<string, { at: string; preset: string | null }>> => {
			const events = await db.accessEvents.where('accessId').anyOf(untrack(ids)).toArray();
			const presets: Record<string, { at: string; preset: string | null }> = {};
			for (const e of events) {
				if (e.kind !== 'granted' && e.kind !== 'renewed') continue;
				const seen = presets[e.accessId];
				if (!seen || seen.at < e.at) presets[e.accessId] = { at: e.at, preset: e.preset };
			}
			return presets;
		},
		{ initial: {}, deps: () => ids().join() }
	);
	return (accessId) => {
		const preset = last.current[accessId]?.preset;
		return preset === '7d' || preset === '90d' || preset === '365d' ? preset : '30d';
	};
}
