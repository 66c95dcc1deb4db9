import type { Page } from '@playwright/test';
import superjson from 'superjson';
import { uuidv7 } from 'uuidv7';
import { CLIENT_SCHEMA_VERSION, type PushResponse } from '../../../src/lib/shared/sync/protocol';

/**
 * Arranges data for a spec the way another device would: mutations pushed through the real sync
 * endpoint with the signed-in page's session cookie. Use it for the "given" of a test, never for
 * what the test is about (that goes through the UI).
 */
export function apiDevice(page: Page) {
	const clientId = uuidv7();
	let next = 0;
	return {
		clientId,
		async push(...mutations: Array<{ name: string; args: unknown }>): Promise<PushResponse> {
			const body = superjson.serialize({
				clientId,
				schemaVersion: CLIENT_SCHEMA_VERSION,
				mutations: mutations.map((m) => ({
					id: ++next,
					name: m.name,
					args: m.args,
					createdAt: new Date().toISOString()
				}))
			});
			const response = await page.request.post('/api/trpc/sync.push', {
				data: body,
				headers: { 'content-type': 'application/json', origin: new URL(page.url()).origin }
			});
			if (!response.ok())
				throw new Error(`push: HTTP ${response.status()} ${await response.text()}`);
			const json = (await response.json()) as {
				result: { data: Parameters<typeof superjson.deserialize>[0] };
			};
			const result = superjson.deserialize<PushResponse>(json.result.data);
			if (result.status !== 'ok') throw new Error(`push: ${result.status}`);
			for (const r of result.results)
				if (r.outcome !== 'applied') throw new Error(`push: mutation ${r.id} ${JSON.stringify(r)}`);
			return result;
		}
	};
}

/** Arguments for the common mutations, with fresh ids. */
export const given = {
	client(fields: {
		tradingviewUsername: string;
		fullName?: string;
		email?: string;
		status?: string;
	}) {
		return { name: 'client.create', args: { id: uuidv7(), fields } };
	},
	indicator(fields: { name: string; pubId: string; status?: string }) {
		return { name: 'indicator.create', args: { id: uuidv7(), fields } };
	},
	grant(
		clientId: string,
		indicatorIds: string[],
		duration: { kind: 'preset'; preset: string } | { kind: 'until'; endsAt: string },
		accessType = 'paid'
	) {
		return {
			name: 'access.grant',
			args: {
				clientId,
				items: indicatorIds.map((indicatorId) => ({
					indicatorId,
					accessId: uuidv7(),
					eventId: uuidv7()
				})),
				duration,
				accessType,
				note: null
			}
		};
	}
};

/** A valid PUB ID derived from a seed text (32 letters or digits after `PUB;`). */
export function pubIdFor(seed: string): string {
	const letters = seed.replace(/[^A-Za-z0-9]/g, '');
	return `PUB;${(letters + '0'.repeat(32)).slice(0, 32)}`;
}
