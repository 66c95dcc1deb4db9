import { and, eq, inArray, sql } from 'drizzle-orm';
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
	/** `ends_at` as PostgreSQL prints it: the next batch starts after it, to the microsecond. */
	ends_text: string;
}

const BATCH = 1000;

const instant = (value: Date | string) => new Date(value).getTime();

/**
 * Sends the reminders due at `now` that were not sent for the grant's current term.
 *
 * The grants due are walked in (ends_at, id) order a batch at a time, and the batch's reminders
 * already sent are looked up by its grants' ids. A `not exists` over notifications in one query
 * was planned by PostgreSQL, whose statistics still said the table was empty, as a nested loop
 * that compared every grant with every reminder sent so far: 92 s for the 18,896 of the bench
 * set's first run (docs/benchmarks.md), each batch's transaction holding the version lock.
 */
export async function sendReminders(db: Db, now: Date): Promise<Record<ReminderKind, number>> {
	const sent: Record<ReminderKind, number> = { expiring_7d: 0, expiring_1d: 0 };
	for (const { kind, withinMs } of REMINDERS) {
		const until = new Date(now.getTime() + withinMs);
		let after: Ending | undefined;
		for (;;) {
			const from: Ending | undefined = after;
			const batch = await db.transaction(async (tx) => {
				const grants = rowsOf<Ending>(
					await tx.execute(sql`
						select a.id, a.client_id, a.indicator_id, a.ends_at, a.ends_at::text as ends_text
						from accesses a
						where a.revoked_at is null and a.deleted_at is null and a.ends_at is not null
						and a.ends_at > ${now.toISOString()} and a.ends_at <= ${until.toISOString()}
						${from ? sql`and (a.ends_at, a.id) > (${from.ends_text}::timestamptz, ${from.id}::uuid)` : sql``}
						order by a.ends_at, a.id
						limit ${BATCH}`)
				);
				if (grants.length === 0) return { grants, due: 0 };
				const ids = grants.map((grant) => grant.id);
				const reminded = await tx
					.select({
						grant: notifications.entityId,
						endsAt: sql<string | null>`${notifications.data}->>'endsAt'`
					})
					.from(notifications)
					.where(
						and(
							eq(notifications.entity, 'accesses'),
							eq(notifications.kind, kind),
							inArray(notifications.entityId, ids)
						)
					);
				const terms = new Set(
					reminded.map((note) => `${note.grant} ${note.endsAt ? instant(note.endsAt) : ''}`)
				);
				const due = grants.filter((grant) => !terms.has(`${grant.id} ${instant(grant.ends_at)}`));
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
				return { grants, due: due.length };
			});
			sent[kind] += batch.due;
			if (batch.grants.length < BATCH) break;
			after = batch.grants.at(-1);
		}
	}
	if (sent.expiring_7d + sent.expiring_1d > 0) pokeHub().poke();
	return sent;
}
