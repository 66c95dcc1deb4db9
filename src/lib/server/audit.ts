import { uuidv7 } from 'uuidv7';
import { now } from './clock';
import type { DbOrTx } from './db/client';
import { auditLog } from './db/schema';

export interface RequestMeta {
	ip: string;
	userAgent: string | null;
	requestId: string;
}

export interface Actor {
	id: string | null;
	label: string;
}

export const systemActor: Actor = { id: null, label: 'system' };

export interface AuditEntry {
	actor: Actor;
	action: string;
	entity: string;
	entityId?: string | null;
	before?: unknown;
	after?: unknown;
	meta?: Partial<RequestMeta>;
}

/** Appends to the audit log in the caller's transaction, so the record and the change commit together. */
export async function audit(db: DbOrTx, entry: AuditEntry): Promise<void> {
	await db.insert(auditLog).values({
		id: uuidv7(),
		actorId: entry.actor.id,
		actorLabel: entry.actor.label,
		action: entry.action,
		entity: entry.entity,
		entityId: entry.entityId ?? null,
		before: entry.before ?? null,
		after: entry.after ?? null,
		requestId: entry.meta?.requestId ?? null,
		ip: entry.meta?.ip ?? null,
		at: now()
	});
}
