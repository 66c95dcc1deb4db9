import {
	CLIENT_NOTES,
	EMAIL_DOMAINS,
	OTHER_FIRST_NAMES,
	OTHER_LAST_NAMES,
	SPANISH_COMPOUND_FIRST_NAMES,
	SPANISH_FIRST_NAMES,
	SPANISH_LAST_NAMES
} from './names';
import { Random, idStream } from './random';
import type { ClientRecord } from './types';

export const DAY_MS = 86_400_000;
export const YEAR_MS = 365 * DAY_MS;

/** Id streams (see `idStream`): one per table, fixed so ids never depend on generation order. */
export const ID_STREAMS = {
	clients: 0,
	indicators: 1,
	indicatorVersions: 2,
	accesses: 3,
	accessEvents: 4,
	transactions: 5
} as const;

export interface ClientFactoryOptions {
	seed: string | number;
	count: number;
	/** The reference "now": registrations spread over the three years before it. */
	now: Date;
}

const SPECIAL_LETTERS: Record<string, string> = {
	ß: 'ss',
	ø: 'o',
	Ø: 'O',
	ł: 'l',
	Ł: 'L',
	æ: 'ae',
	Æ: 'Ae',
	œ: 'oe',
	Œ: 'Oe',
	đ: 'd',
	Đ: 'D',
	ı: 'i'
};

/** ASCII letters and digits only: `Núñez` → `Nunez`, `Łukasz` → `Lukasz`, `O'Brien` → `OBrien`. */
export function asciiFold(text: string): string {
	return text
		.replace(/[ßøØłŁæÆœŒđĐı]/g, (ch) => SPECIAL_LETTERS[ch] ?? '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9]/g, '');
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

interface PersonName {
	fullName: string;
	/** Folded, for usernames and emails. */
	first: string;
	last: string;
}

function personName(random: Random): PersonName {
	if (random.chance(0.45)) {
		const first = random.chance(0.12)
			? random.pick(SPANISH_COMPOUND_FIRST_NAMES)
			: random.pick(SPANISH_FIRST_NAMES);
		const last1 = random.pick(SPANISH_LAST_NAMES);
		// Spanish naming: usually two surnames (father's, mother's).
		const last2 = random.chance(0.6) ? random.pick(SPANISH_LAST_NAMES) : null;
		return {
			fullName: [first, last1, last2].filter(Boolean).join(' '),
			first: asciiFold(first.split(' ')[0] ?? first),
			last: asciiFold(last1)
		};
	}
	const first = random.pick(OTHER_FIRST_NAMES);
	const last = random.pick(OTHER_LAST_NAMES);
	return { fullName: `${first} ${last}`, first: asciiFold(first), last: asciiFold(last) };
}

/** TradingView-style handles: letters, digits, `_`, `.`, `-`; mixed case like real accounts. */
function usernameBase(random: Random, name: PersonName): string {
	const f = name.first.toLowerCase();
	const l = name.last.toLowerCase();
	const yy = String(random.between(60, 105) % 100).padStart(2, '0');
	const nn = String(random.between(1, 99));
	const base = random.weighted<() => string>([
		[() => capitalise(f) + capitalise(l), 14],
		[() => `${f}_${l}`, 12],
		[() => `${f}.${l}`, 8],
		[() => `${f.charAt(0)}${l}${yy}`, 10],
		[() => `${f}${l}${random.between(1965, 2005)}`, 6],
		[() => `${f}_trades`, 5],
		[() => `${capitalise(l)}Trader`, 5],
		[() => `TheReal${capitalise(f)}`, 3],
		[() => `${f}-${l}`, 5],
		[() => `${capitalise(f)}${nn}`, 8],
		[() => `${l}.${f}`, 4],
		[() => `${f}_${l.charAt(0)}`, 5],
		[() => `${f.toUpperCase()}_FX`, 3],
		[() => `${l}${f.charAt(0)}_${yy}`, 4],
		[() => `crypto_${f}`, 3],
		[() => `${f}${l}`, 5]
	])();
	return base.slice(0, 40);
}

function emailLocal(random: Random, name: PersonName): string {
	const f = name.first.toLowerCase();
	const l = name.last.toLowerCase();
	return random.weighted<() => string>([
		[() => `${f}.${l}`, 30],
		[() => `${f}${l}`, 15],
		[() => `${f.charAt(0)}${l}`, 15],
		[() => `${f}_${l}${random.between(1, 99)}`, 10],
		[() => `${f}${random.between(1965, 2005)}`, 10],
		[() => `${l}.${f}`, 8],
		[() => `${f}.${l}.trading`, 4],
		[() => `${f}`, 8]
	])();
}

/**
 * Makes `candidate` unique (case-insensitively) among `taken` by appending digits, and records it.
 * Deterministic: the suffixes come from the same stream.
 */
function claimUnique(
	random: Random,
	taken: Set<string>,
	candidate: string,
	suffix: (n: number) => string
): string {
	let value = candidate;
	for (let attempt = 0; taken.has(value.toLowerCase()); attempt++) {
		value = attempt < 4 ? suffix(random.between(1, 9999)) : suffix(10_000 + attempt);
	}
	taken.add(value.toLowerCase());
	return value;
}

/**
 * Clients: realistic names (Spanish ones with accents), unique TradingView usernames and emails
 * (case-insensitively; about 1 in 6 clients has no email), mostly active, registered over the
 * three years before `now` (more of them recently, as a business grows). Usernames are unverified:
 * nothing has been checked against TradingView yet.
 */
export function makeClients(options: ClientFactoryOptions): ClientRecord[] {
	const random = new Random(options.seed, 'clients');
	const nextId = idStream(options.seed, ID_STREAMS.clients);
	const usernames = new Set<string>();
	const emails = new Set<string>();
	const nowMs = options.now.getTime();
	const rows: ClientRecord[] = [];
	for (let i = 0; i < options.count; i++) {
		const name = personName(random);
		const base = usernameBase(random, name);
		const tradingviewUsername = claimUnique(random, usernames, base, (n) => `${base}${n}`);
		let email: string | null = null;
		if (random.chance(0.84)) {
			const local = emailLocal(random, name);
			const domain = random.weighted(EMAIL_DOMAINS);
			email = claimUnique(random, emails, `${local}@${domain}`, (n) => `${local}${n}@${domain}`);
		}
		// u^1.4 puts more registrations near `now`.
		const registeredAt = new Date(nowMs - Math.floor(random.next() ** 1.4 * 3 * YEAR_MS));
		rows.push({
			id: nextId(),
			tradingviewUsername,
			tvUsernameState: 'unverified',
			email,
			fullName: random.chance(0.03) ? null : name.fullName,
			registeredAt,
			status: random.chance(0.92) ? 'active' : 'inactive',
			notes: random.chance(0.08) ? random.pick(CLIENT_NOTES) : null,
			createdAt: registeredAt,
			updatedAt: registeredAt,
			deletedAt: null
		});
	}
	return rows;
}
