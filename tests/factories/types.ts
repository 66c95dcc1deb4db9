import type { clientStatuses, verificationStates } from '../../src/lib/shared/schemas/client';
import type { indicatorStatuses } from '../../src/lib/shared/schemas/indicator';
import type { accessEventKinds } from '../../src/lib/shared/schemas/access-event';
import type { accessTypes, tvStates } from '../../src/lib/shared/schemas/access';

/*
 * Plain rows shaped like the drizzle tables' insert types (camelCase, `Date` objects, no sync
 * `version`, which the database assigns). Type-only imports: the factories have no runtime
 * dependency, so browser-side benchmarks can use them too. `src/lib/server/seed.ts` checks at
 * compile time that each record type is assignable to its table's insert type.
 */

export type VerificationState = (typeof verificationStates)[number];
export type ClientStatus = (typeof clientStatuses)[number];
export type IndicatorStatus = (typeof indicatorStatuses)[number];
export type AccessType = (typeof accessTypes)[number];
export type TvState = (typeof tvStates)[number];
export type AccessEventKind = (typeof accessEventKinds)[number];
export type TransactionStatus = 'pending' | 'paid' | 'failed' | 'refunded';
export type TransactionSource = 'manual' | 'stripe';
export type Currency = 'USD' | 'EUR';
/** Duration presets of DESIGN.md §3, as recorded in `access_events.preset`. */
export type Preset = '7d' | '30d' | '90d' | '365d' | 'lifetime' | 'custom';

export interface ClientRecord {
	id: string;
	tradingviewUsername: string;
	tvUsernameState: VerificationState;
	email: string | null;
	fullName: string | null;
	registeredAt: Date;
	status: ClientStatus;
	notes: string | null;
	createdAt: Date;
	updatedAt: Date;
	deletedAt: Date | null;
}

export interface IndicatorRecord {
	id: string;
	name: string;
	pubId: string;
	pubIdState: VerificationState;
	releaseVersion: string | null;
	lastUpdatedAt: Date | null;
	status: IndicatorStatus;
	description: string | null;
	createdAt: Date;
	updatedAt: Date;
	deletedAt: Date | null;
}

export interface IndicatorVersionRecord {
	id: string;
	indicatorId: string;
	releaseVersion: string;
	releasedAt: Date;
	notes: string | null;
	deletedAt: Date | null;
}

export interface AccessRecord {
	id: string;
	clientId: string;
	indicatorId: string;
	startsAt: Date;
	endsAt: Date | null;
	revokedAt: Date | null;
	revokeReason: string | null;
	accessType: AccessType;
	tvState: TvState;
	tvError: string | null;
	tvAttempts: number;
	tvVerifiedAt: Date | null;
	createdAt: Date;
	updatedAt: Date;
	deletedAt: Date | null;
}

export interface AccessEventRecord {
	id: string;
	accessId: string;
	clientId: string;
	indicatorId: string;
	kind: AccessEventKind;
	at: Date;
	actor: string;
	previousEndsAt: Date | null;
	newEndsAt: Date | null;
	preset: Preset | null;
	note: string | null;
	relatedEventId: string | null;
	deletedAt: Date | null;
}

export interface TransactionRecord {
	id: string;
	clientId: string;
	amount: number;
	currency: Currency;
	occurredAt: Date;
	status: TransactionStatus;
	paymentReference: string | null;
	source: TransactionSource;
	createdAt: Date;
	updatedAt: Date;
	deletedAt: Date | null;
}

/** One grant with its history and the payments of its paid terms. */
export interface GrantHistory {
	access: AccessRecord;
	events: AccessEventRecord[];
	transactions: TransactionRecord[];
}
