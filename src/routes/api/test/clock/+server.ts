import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestHandler } from './$types';
import { now, testClock } from '$lib/server/clock';
import { env } from '$lib/server/env';
import { log } from '$lib/server/log';

// End-to-end tests move the server's clock forward (reminders, expiry) instead of waiting days.
// Only with TEST_CLOCK=on; otherwise the route does not exist.

const body = z.object({
	advanceMs: z
		.number()
		.int()
		.min(0)
		.max(5 * 365 * 86_400_000)
});

export const POST: RequestHandler = async ({ request }) => {
	if (env().TEST_CLOCK !== 'on') error(404, 'Not found');
	const parsed = body.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, 'advanceMs: a whole number of milliseconds ≥ 0');
	testClock.advance(parsed.data.advanceMs);
	log.warn({ advanceMs: parsed.data.advanceMs, now: now().toISOString() }, 'test clock moved');
	return json({ now: now().toISOString() });
};
