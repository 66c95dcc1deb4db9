/**
 * A small PostgreSQL lexer for the migration policy check (migration-policy.ts): enough to split a
 * migration into statements and read their leading words without being fooled by comments, string
 * literals, quoted identifiers or function bodies. A `DROP TABLE` inside a `CREATE FUNCTION` body
 * does not run when the migration runs, and a column named "drop" is not a DROP.
 */

export type TokenKind = 'word' | 'ident' | 'string' | 'body' | 'punct' | 'number';

export interface Token {
	kind: TokenKind;
	/** Words lowercased; quoted identifiers unquoted as written; strings and bodies elided. */
	text: string;
}

export interface Statement {
	tokens: Token[];
	/** The statement's source text (comments included), for messages. */
	source: string;
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/** Splits SQL into statements at top-level semicolons; comments and empty statements vanish. */
export function splitStatements(sql: string): Statement[] {
	const statements: Statement[] = [];
	let tokens: Token[] = [];
	let start = 0;
	let i = 0;
	const finish = (end: number) => {
		if (tokens.length > 0) {
			// The source starts at the first token, so leading comments stay out of messages.
			const text = sql.slice(start, end);
			const body = text.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
			statements.push({ tokens, source: body.trim() });
		}
		tokens = [];
		start = end + 1;
	};
	while (i < sql.length) {
		const c = sql[i]!;
		const next = sql[i + 1];
		if (/\s/.test(c)) {
			i++;
		} else if (c === '-' && next === '-') {
			// Line comment; drizzle's `--> statement-breakpoint` is one too.
			const end = sql.indexOf('\n', i);
			i = end === -1 ? sql.length : end + 1;
		} else if (c === '/' && next === '*') {
			i = skipBlockComment(sql, i);
		} else if (c === "'" || ((c === 'E' || c === 'e') && next === "'")) {
			i = skipString(sql, c === "'" ? i : i + 1);
			tokens.push({ kind: 'string', text: "''" });
		} else if (c === '"') {
			const end = skipQuoted(sql, i, '"');
			tokens.push({ kind: 'ident', text: sql.slice(i + 1, end - 1).replaceAll('""', '"') });
			i = end;
		} else if (c === '$' && DOLLAR_TAG.test(sql.slice(i))) {
			const tag = DOLLAR_TAG.exec(sql.slice(i))![0];
			const end = sql.indexOf(tag, i + tag.length);
			if (end === -1) throw new Error(`unterminated dollar-quoted body starting ${tag}`);
			tokens.push({ kind: 'body', text: '$$…$$' });
			i = end + tag.length;
		} else if (WORD_START.test(c)) {
			let end = i + 1;
			while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
			tokens.push({ kind: 'word', text: sql.slice(i, end).toLowerCase() });
			i = end;
		} else if (/[0-9]/.test(c)) {
			let end = i + 1;
			while (end < sql.length && /[0-9.]/.test(sql[end]!)) end++;
			tokens.push({ kind: 'number', text: sql.slice(i, end) });
			i = end;
		} else if (c === ';') {
			finish(i);
			i++;
		} else {
			tokens.push({ kind: 'punct', text: c });
			i++;
		}
	}
	finish(sql.length);
	return statements;
}

function skipBlockComment(sql: string, from: number): number {
	// PostgreSQL block comments nest.
	let depth = 0;
	let i = from;
	while (i < sql.length) {
		if (sql.startsWith('/*', i)) {
			depth++;
			i += 2;
		} else if (sql.startsWith('*/', i)) {
			depth--;
			i += 2;
			if (depth === 0) return i;
		} else {
			i++;
		}
	}
	throw new Error('unterminated block comment');
}

function skipString(sql: string, from: number): number {
	let i = from + 1;
	while (i < sql.length) {
		if (sql[i] === '\\') {
			i += 2;
		} else if (sql[i] === "'") {
			if (sql[i + 1] === "'") i += 2;
			else return i + 1;
		} else {
			i++;
		}
	}
	throw new Error('unterminated string literal');
}

function skipQuoted(sql: string, from: number, quote: string): number {
	let i = from + 1;
	while (i < sql.length) {
		if (sql[i] === quote) {
			if (sql[i + 1] === quote) i += 2;
			else return i + 1;
		} else {
			i++;
		}
	}
	throw new Error(`unterminated ${quote}-quoted identifier`);
}

/** Splits tokens at commas outside parentheses (the actions of one ALTER TABLE). */
export function splitTopLevel(tokens: Token[]): Token[][] {
	const parts: Token[][] = [[]];
	let depth = 0;
	for (const token of tokens) {
		if (token.kind === 'punct' && token.text === '(') depth++;
		if (token.kind === 'punct' && token.text === ')') depth--;
		if (depth === 0 && token.kind === 'punct' && token.text === ',') parts.push([]);
		else parts[parts.length - 1]!.push(token);
	}
	return parts.filter((part) => part.length > 0);
}

/** True when the token is the unquoted keyword `word`. */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
	return token?.kind === 'word' && words.includes(token.text);
}

/**
 * Reads a possibly schema-qualified name at `at`; returns it normalized (`public.` dropped, so
 * `"public"."clients"` and `clients` are one table) and the index after it.
 */
export function readName(tokens: Token[], at: number): { name: string; next: number } | undefined {
	const first = tokens[at];
	if (!first || (first.kind !== 'word' && first.kind !== 'ident')) return undefined;
	const parts = [first.text];
	let next = at + 1;
	while (tokens[next]?.kind === 'punct' && tokens[next]!.text === '.') {
		const part = tokens[next + 1];
		if (!part || (part.kind !== 'word' && part.kind !== 'ident')) break;
		parts.push(part.text);
		next += 2;
	}
	if (parts.length > 1 && parts[0] === 'public') parts.shift();
	return { name: parts.join('.'), next };
}
