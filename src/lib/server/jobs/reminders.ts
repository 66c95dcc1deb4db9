import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../db/client';
import { rowsOf } from '../db/rows';
import { notifications } from '../db/schema';
import { pokeHub } from '../sync/pokes';

// Expiry reminders (issue 7): a notification when a grant enters its last 7 days and another when
// it enters its last day, once per term. A renewal moves `ends_at`, which starts a new term and so
// new reminders; the term's end is in the notification's data and is what makes it "once".

const DAY_MS = 86_400_000;

export const REMINDERS = [
	{ kind: 'expiring_7d', withinMs: 7 * DAY_MS },
	{ kind: 'expiring_1d', withinMs: DAY_MS }
] as const;

export type ReminderKind = (typeof REMINDERS)[number]['kind'];

interface Ending {
	id: string;
	client_id: string;
	indicator_id: string;
	ends_at: Date | string;
}

const BATCH = 1000;

/** Sends the reminders due at `now` that were not sent for the grant's current term. */
export async function sendReminders(db: Db, now: Date): Promise<Record<ReminderKind, number>> {
	const sent: Record<ReminderKind, number> = { expiring_7d: 0, expiring_1d: 0 };
	for (const { kind, withinMs } of REMINDERS) {
		const until = new Date(now.getTime() + withinMs);
		for (;;) {
			const count = await db.transaction(async (tx) => {
				const due = rowsOf<Ending>(
					await tx.execute(sql`
						select a.id, a.client_id, a.indicator_id, a.ends_at from accesses a
						where a.revoked_at is null and a.deleted_at is null and a.ends_at is not null
						and a.ends_at > ${now.toISOString()} and a.ends_at <= ${until.toISOString()}
						and not exists (
							select 1 from notifications n
							where n.entity = 'accesses' and n.entity_id = a.id::text and n.kind = ${kind}
							and (n.data->>'endsAt')::timestamptz = a.ends_at
						)
						order by a.ends_at
						limit ${BATCH}`)
				);
				// One statement for the batch: a statement a reminder held PGlite, and every device's
				// request behind it, 11 s for the 18,896 of the bench set's first run.
				if (due.length > 0)
					await tx.insert(notifications).values(
						due.map((grant) => ({
							id: uuidv7(),
							kind,
							entity: 'accesses',
							entityId: grant.id,
							data: {
								clientId: grant.client_id,
								indicatorId: grant.indicator_id,
								endsAt: new Date(grant.ends_at).toISOString()
							},
							at: now,
							userId: null
						}))
					);
				return due.length;
			});
			sent[kind] += count;
			if (count < BATCH) break;
		}
	}
	if (sent.expiring_7d + sent.expiring_1d > 0) pokeHub().poke();
	return sent;
}
