import { describe, expect, it } from 'vitest';
import {
	escapeText,
	expirationsCalendar,
	foldLine,
	grantPageUrl,
	icsCalendar,
	icsDateTime,
	type GrantExpiration
} from './ics';

const octets = (line: string) => new TextEncoder().encode(line).length;

/** Undoes folding (RFC 5545 §3.1): a CRLF followed by one space or tab joins the lines. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('escapeText', () => {
	it('escapes backslash, semicolon, comma and line breaks', () => {
		expect(escapeText('a\\b;c,d')).toBe('a\\\\b\\;c\\,d');
		expect(escapeText('one\ntwo\r\nthree\rfour')).toBe('one\\ntwo\\nthree\\nfour');
		// The backslash is escaped first, so an escaped comma does not get doubled.
		expect(escapeText('\\,')).toBe('\\\\\\,');
	});

	it('drops control characters TEXT may not hold, keeps tabs and colons', () => {
		expect(escapeText('a\u0000b\u001bc\u007fd')).toBe('abcd');
		expect(escapeText('a\tb: c')).toBe('a\tb: c');
	});
});

describe('foldLine', () => {
	it('leaves a line of 75 octets alone and folds the 76th onto a line starting with a space', () => {
		const exact = 'X'.repeat(75);
		expect(foldLine(exact)).toBe(exact);
		const folded = foldLine('X'.repeat(76));
		expect(folded).toBe(`${'X'.repeat(75)}\r\n X`);
	});

	it('keeps every physical line within 75 octets, space included', () => {
		const folded = foldLine(`DESCRIPTION:${'abc '.repeat(60)}`);
		const lines = folded.split('\r\n');
		expect(lines.length).toBeGreaterThan(3);
		for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
		for (const line of lines.slice(1)) expect(line.startsWith(' ')).toBe(true);
		expect(unfold(folded)).toBe(`DESCRIPTION:${'abc '.repeat(60)}`);
	});

	it('counts UTF-8 octets and never splits a character', () => {
		// "é" is 2 octets, "—" 3, "📈" 4: 74 ASCII then "é" would be 76 octets, so "é" moves down.
		const line = `${'a'.repeat(74)}é`;
		expect(foldLine(line)).toBe(`${'a'.repeat(74)}\r\n é`);
		const mixed = `SUMMARY:${'Señal — 📈 '.repeat(20)}`;
		const lines = foldLine(mixed).split('\r\n');
		for (const physical of lines) {
			expect(octets(physical)).toBeLessThanOrEqual(75);
			// A cut inside a character would leave a lone surrogate or U+FFFD after a round trip.
			expect(new TextDecoder().decode(new TextEncoder().encode(physical))).toBe(physical);
			expect(physical).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
		}
		expect(unfold(lines.join('\r\n'))).toBe(mixed);
	});
});

describe('icsDateTime', () => {
	it('writes UTC with a Z, without separators or milliseconds', () => {
		expect(icsDateTime(new Date('2026-11-14T09:05:07.123Z'))).toBe('20261114T090507Z');
	});
});

describe('grantPageUrl', () => {
	it('joins the grant page to the base, with or without a trailing slash or a base path', () => {
		expect(grantPageUrl('https://pine.example', 'abc')).toBe('https://pine.example/accesses/abc');
		expect(grantPageUrl('https://pine.example/', 'abc')).toBe('https://pine.example/accesses/abc');
		expect(grantPageUrl('https://example.com/pinegate/', 'abc')).toBe(
			'https://example.com/pinegate/accesses/abc'
		);
	});
});

describe('a small calendar', () => {
	const expirations: GrantExpiration[] = [
		{
			accessId: '01931f4e-0000-7000-8000-000000000001',
			endsAt: '2026-11-14T10:05:00.000Z',
			indicatorName: 'Trend Pulse',
			clientUsername: 'trader_joe',
			updatedAt: '2026-11-07T10:05:00.000Z'
		},
		{
			accessId: '01931f4e-0000-7000-8000-000000000002',
			endsAt: '2026-12-07T23:30:00.000Z',
			indicatorName: 'Bands; fast, slow',
			clientUsername: 'pine_ann'
		}
	];
	const ics = expirationsCalendar(expirations, {
		now: new Date('2026-11-07T12:00:00.000Z'),
		baseUrl: 'https://pine.example/'
	});

	it('is exactly the expected file, CRLF-terminated', () => {
		expect(ics).toBe(
			[
				'BEGIN:VCALENDAR',
				'VERSION:2.0',
				'PRODID:-//PineGate//Expirations//EN',
				'CALSCALE:GREGORIAN',
				'METHOD:PUBLISH',
				'X-WR-CALNAME:PineGate expirations',
				'BEGIN:VEVENT',
				'UID:01931f4e-0000-7000-8000-000000000001@pinegate',
				'DTSTAMP:20261107T120000Z',
				'DTSTART:20261114T100500Z',
				'DTEND:20261114T102000Z',
				'SUMMARY:Access to Trend Pulse ends — trader_joe',
				'DESCRIPTION:TradingView access of trader_joe to Trend Pulse ends. Renew it ',
				' in PineGate to keep it.',
				'URL:https://pine.example/accesses/01931f4e-0000-7000-8000-000000000001',
				'LAST-MODIFIED:20261107T100500Z',
				'TRANSP:TRANSPARENT',
				'END:VEVENT',
				'BEGIN:VEVENT',
				'UID:01931f4e-0000-7000-8000-000000000002@pinegate',
				'DTSTAMP:20261107T120000Z',
				'DTSTART:20261207T233000Z',
				'DTEND:20261207T234500Z',
				'SUMMARY:Access to Bands\\; fast\\, slow ends — pine_ann',
				'DESCRIPTION:TradingView access of pine_ann to Bands\\; fast\\, slow ends. Ren',
				' ew it in PineGate to keep it.',
				'URL:https://pine.example/accesses/01931f4e-0000-7000-8000-000000000002',
				'TRANSP:TRANSPARENT',
				'END:VEVENT',
				'END:VCALENDAR',
				''
			].join('\r\n')
		);
	});

	it('uses CRLF only, and no physical line passes 75 octets', () => {
		expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
		for (const line of ics.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
	});

	it('keeps the UID when a renewal moves the end, so a re-import updates the event', () => {
		const renewed = expirationsCalendar(
			[{ ...expirations[0]!, endsAt: '2026-12-14T10:05:00.000Z' }],
			{
				now: new Date('2026-11-20T12:00:00.000Z'),
				baseUrl: 'https://pine.example/'
			}
		);
		expect(renewed).toContain('UID:01931f4e-0000-7000-8000-000000000001@pinegate\r\n');
		expect(renewed).toContain('DTSTART:20261214T100500Z\r\n');
	});

	it('writes an empty but valid calendar when nothing is upcoming', () => {
		const empty = icsCalendar([], { now: new Date('2026-11-07T12:00:00.000Z') });
		expect(empty).toBe(
			'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PineGate//Expirations//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n'
		);
	});
});
