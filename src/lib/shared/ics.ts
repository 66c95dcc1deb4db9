// iCalendar (RFC 5545) files of grant expirations, made wherever they are needed (on the device, so
// the export works offline). Only what the export uses: a VCALENDAR of VEVENTs with UTC times.

const CRLF = '\r\n';
/** RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_OCTETS = 75;
const encoder = new TextEncoder();

export const ICS_PRODID = '-//PineGate//Expirations//EN';
/** How long an expiration's event lasts: RFC 5545 wants DTEND after DTSTART, not equal to it. */
export const EXPIRATION_EVENT_MS = 15 * 60_000;

export interface IcsEvent {
	/** Globally unique and stable: importing the file again updates the event, not duplicates it. */
	uid: string;
	start: Date;
	end: Date;
	summary: string;
	description?: string;
	url?: string;
	lastModified?: Date;
}

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, any line break written
 * `\n`. Other control characters are not allowed in TEXT and are dropped.
 */
export function escapeText(value: string): string {
	return (
		value
			.replace(/\\/g, '\\\\')
			.replace(/;/g, '\\;')
			.replace(/,/g, '\\,')
			.replace(/\r\n|\r|\n/g, '\\n')
			// eslint-disable-next-line no-control-regex -- removing control characters is the point
			.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '')
	);
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): each continuation starts with one space,
 * which counts towards its 75. Splits only between code points, so a multi-byte UTF-8 character
 * is never cut in two.
 */
export function foldLine(line: string): string {
	const lines: string[] = [];
	let current = '';
	let octets = 0;
	for (const char of line) {
		const size = encoder.encode(char).length;
		if (octets + size > MAX_OCTETS) {
			lines.push(current);
			current = ' ';
			octets = 1;
		}
		current += char;
		octets += size;
	}
	lines.push(current);
	return lines.join(CRLF);
}

/** A UTC DATE-TIME (RFC 5545 §3.3.5 form 2): `20261114T100500Z`. */
export function icsDateTime(date: Date): string {
	return date
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/[-:]/g, '');
}

function eventLines(event: IcsEvent, stamp: string): string[] {
	const lines = [
		'BEGIN:VEVENT',
		`UID:${escapeText(event.uid)}`,
		`DTSTAMP:${stamp}`,
		`DTSTART:${icsDateTime(event.start)}`,
		`DTEND:${icsDateTime(event.end)}`,
		`SUMMARY:${escapeText(event.summary)}`
	];
	if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
	// URI values are not TEXT: no escaping (RFC 5545 §3.3.13).
	if (event.url) lines.push(`URL:${event.url}`);
	if (event.lastModified) lines.push(`LAST-MODIFIED:${icsDateTime(event.lastModified)}`);
	// An expiration is a point in time, not a meeting: it should not block anyone's free time.
	lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
	return lines;
}

/**
 * A whole iCalendar file: CRLF line breaks (including after the last line), folded lines.
 * `now` is the DTSTAMP of every event (when the file was made).
 */
export function icsCalendar(
	events: readonly IcsEvent[],
	options: { now: Date; name?: string }
): string {
	const stamp = icsDateTime(options.now);
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		`PRODID:${ICS_PRODID}`,
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH'
	];
	// Not in RFC 5545, but what Google Calendar, Outlook and Apple Calendar show as the name.
	if (options.name) lines.push(`X-WR-CALNAME:${escapeText(options.name)}`);
	for (const event of events) lines.push(...eventLines(event, stamp));
	lines.push('END:VCALENDAR');
	return lines.map(foldLine).join(CRLF) + CRLF;
}

/** What an expiration's event says: the names as PineGate has them. */
export interface GrantExpiration {
	accessId: string;
	endsAt: string;
	indicatorName: string;
	/** The client's TradingView username (the name TradingView knows them by). */
	clientUsername: string;
	updatedAt?: string;
}

export interface ExpirationTexts {
	calendarName: string;
	summary(expiration: GrantExpiration): string;
	description(expiration: GrantExpiration): string;
}

export const englishExpirationTexts: ExpirationTexts = {
	calendarName: 'PineGate expirations',
	summary: (e) => `Access to ${e.indicatorName} ends — ${e.clientUsername}`,
	description: (e) =>
		`TradingView access of ${e.clientUsername} to ${e.indicatorName} ends. Renew it in PineGate to keep it.`
};

/** The grant page of an access under the app's base URL (`https://host/` or `https://host/app/`). */
export function grantPageUrl(baseUrl: string, accessId: string): string {
	const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
	return new URL(`accesses/${encodeURIComponent(accessId)}`, base).href;
}

/**
 * The calendar of grant expirations: one event per grant end, starting at the end and lasting
 * EXPIRATION_EVENT_MS, its UID made from the grant id (a renewed grant keeps its UID, so a calendar
 * that imports the file again moves the event instead of adding one).
 */
export function expirationsCalendar(
	expirations: readonly GrantExpiration[],
	options: { now: Date; baseUrl: string; texts?: ExpirationTexts }
): string {
	const texts = options.texts ?? englishExpirationTexts;
	const events = expirations.map((expiration): IcsEvent => {
		const start = new Date(expiration.endsAt);
		return {
			uid: `${expiration.accessId}@pinegate`,
			start,
			end: new Date(start.getTime() + EXPIRATION_EVENT_MS),
			summary: texts.summary(expiration),
			description: texts.description(expiration),
			url: grantPageUrl(options.baseUrl, expiration.accessId),
			...(expiration.updatedAt ? { lastModified: new Date(expiration.updatedAt) } : {})
		};
	});
	return icsCalendar(events, { now: options.now, name: texts.calendarName });
}
