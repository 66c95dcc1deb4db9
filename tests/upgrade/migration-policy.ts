/**
 * The expand/contract policy of docs/operations.md as a check: every migration in drizzle/ must be
 * expand-only (the previous release keeps working on the new schema) unless docs/operations.md
 * lists it under "Contract steps" with the reason it was safe. Run by
 * tests/unit/migrations-policy.test.ts.
 *
 * Deliberately an allow-list: a statement is expand-only when it is recognised as one; anything
 * not recognised (a DO block, CREATE OR REPLACE, an unusual ALTER) needs a person to list it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isWord, readName, splitStatements, splitTopLevel, type Token } from './sql-tokens';

export interface Finding {
	migration: string;
	/** Why the statement is not expand-only. */
	rule: string;
	statement: string;
}

export interface Migration {
	tag: string;
	sql: string;
}

/** The heading in docs/operations.md whose list items name the allowed contract migrations. */
export const CONTRACT_HEADING = 'Contract steps';

const EXPAND_CREATES = new Set([
	'schema',
	'type',
	'sequence',
	'extension',
	'function',
	'procedure',
	'view',
	'domain',
	'aggregate'
]);
const DATA_STATEMENTS = new Set(['insert', 'update', 'select', 'comment', 'grant', 'analyze']);

/** The statements of one migration that are not expand-only. */
export function checkMigration(migration: Migration): Finding[] {
	const findings: Finding[] = [];
	// A table created earlier in the same migration is unknown to the previous release: anything
	// may be done to it (constraints, unique indexes, triggers) without breaking that release.
	const created = new Set<string>();
	for (const statement of splitStatements(migration.sql)) {
		const rule = classify(statement.tokens, created);
		if (rule) {
			findings.push({
				migration: migration.tag,
				rule,
				statement: statement.source.replace(/\s+/g, ' ').slice(0, 160)
			});
		}
	}
	return findings;
}

/** Null when the statement is expand-only; otherwise the reason it is not. */
function classify(tokens: Token[], created: Set<string>): string | null {
	const [first, second] = tokens;
	if (isWord(first, 'create')) return classifyCreate(tokens, created);
	if (isWord(first, 'alter') && isWord(second, 'table')) return classifyAlterTable(tokens, created);
	if (isWord(first, 'alter') && isWord(second, 'type')) {
		// Only a new enum value is an expansion; renaming a type or a value is not.
		const name = readName(tokens, 2);
		return name && isWord(tokens[name.next], 'add') && isWord(tokens[name.next + 1], 'value')
			? null
			: 'ALTER TYPE other than ADD VALUE changes a type the previous release uses';
	}
	if (isWord(first, 'drop'))
		return `DROP ${second?.text.toUpperCase() ?? ''} removes what the previous release may read`;
	if (isWord(first, 'truncate', 'delete'))
		return `${first!.text.toUpperCase()} removes rows the previous release may read`;
	if (isWord(first, 'do'))
		return 'a DO block is code the policy check cannot read: list it after review';
	if (first?.kind === 'word' && DATA_STATEMENTS.has(first.text)) return null;
	return `not recognised as expand-only: ${tokens
		.slice(0, 3)
		.map((t) => t.text.toUpperCase())
		.join(' ')}`;
}

function classifyCreate(tokens: Token[], created: Set<string>): string | null {
	let at = 1;
	if (isWord(tokens[at], 'or') && isWord(tokens[at + 1], 'replace')) {
		return 'CREATE OR REPLACE changes an object the previous release may rely on';
	}
	if (isWord(tokens[at], 'unlogged', 'temporary', 'temp')) at++;
	const kind = tokens[at];
	if (isWord(kind, 'table')) {
		at++;
		if (isWord(tokens[at], 'if') && isWord(tokens[at + 2], 'exists')) at += 3;
		const name = readName(tokens, at);
		if (name) created.add(name.name);
		return null;
	}
	if (isWord(kind, 'unique') || isWord(kind, 'index')) {
		const unique = isWord(kind, 'unique');
		const onIndex = tokens.findIndex((t, i) => i > at && isWord(t, 'on'));
		const tableAt = isWord(tokens[onIndex + 1], 'only') ? onIndex + 2 : onIndex + 1;
		const table = onIndex === -1 ? undefined : readName(tokens, tableAt);
		if (unique && !(table && created.has(table.name))) {
			return 'a UNIQUE index on an existing table may refuse rows the previous release writes';
		}
		return null;
	}
	if (isWord(kind, 'trigger', 'rule', 'policy')) {
		const onIndex = tokens.findIndex((t, i) => i > at && isWord(t, 'on'));
		const table = onIndex === -1 ? undefined : readName(tokens, onIndex + 1);
		return table && created.has(table.name)
			? null
			: `CREATE ${kind!.text.toUpperCase()} on an existing table changes the previous release's writes`;
	}
	if (kind?.kind === 'word' && EXPAND_CREATES.has(kind.text)) return null;
	return `not recognised as expand-only: CREATE ${kind?.text.toUpperCase() ?? ''}`;
}

function classifyAlterTable(tokens: Token[], created: Set<string>): string | null {
	let at = 2;
	if (isWord(tokens[at], 'if') && isWord(tokens[at + 1], 'exists')) at += 2;
	if (isWord(tokens[at], 'only')) at++;
	const name = readName(tokens, at);
	if (!name) return 'ALTER TABLE without a table name';
	const isNew = created.has(name.name);
	for (const action of splitTopLevel(tokens.slice(name.next))) {
		const rule = classifyAction(action, isNew);
		if (rule) return rule;
	}
	return null;
}

function classifyAction(action: Token[], tableIsNew: boolean): string | null {
	const has = (...words: string[]) => action.some((t) => isWord(t, ...words));
	const [verb, object] = action;
	if (isWord(verb, 'rename')) return 'RENAME breaks the previous release, which uses the old name';
	if (isWord(verb, 'drop')) {
		if (isWord(object, 'constraint') && tableIsNew) return null;
		return `DROP ${object?.text.toUpperCase() ?? ''} removes what the previous release may use`;
	}
	if (isWord(verb, 'set') && isWord(object, 'schema'))
		return 'SET SCHEMA moves the table away from the previous release';
	if (isWord(verb, 'alter')) {
		if (has('type') || (has('set') && has('data')))
			return 'a column TYPE change breaks the previous release';
		if (has('set') && has('not'))
			return "SET NOT NULL on an existing column refuses the previous release's rows without it";
		if (has('drop') && has('default'))
			return "DROP DEFAULT breaks the previous release's inserts that rely on it";
		if (has('drop') && has('not')) return null; // DROP NOT NULL loosens: still expand-only
		if (has('drop')) return 'ALTER COLUMN … DROP changes a column the previous release uses';
		return null; // SET DEFAULT, SET STATISTICS/STORAGE: the previous release keeps working
	}
	if (isWord(verb, 'add')) {
		if (tableIsNew) return null;
		if (isWord(object, 'constraint', 'primary', 'unique', 'check', 'foreign', 'exclude'))
			return "a new constraint on an existing table may refuse the previous release's writes";
		if (has('not') && has('null') && !has('default') && !has('generated')) {
			return "ADD COLUMN … NOT NULL without a DEFAULT: the previous release's inserts fail";
		}
		if (has('unique', 'primary', 'references', 'check')) {
			return "a column constraint on an existing table may refuse the previous release's writes";
		}
		return null;
	}
	if (tableIsNew) return null;
	return `not recognised as expand-only: ALTER TABLE … ${action
		.slice(0, 2)
		.map((t) => t.text.toUpperCase())
		.join(' ')}`;
}

/**
 * The contract steps listed in docs/operations.md: list items under the "Contract steps" heading
 * that start with a migration tag in backticks, then the reason. Tag → reason.
 */
export function parseContractSteps(markdown: string): Map<string, string> {
	const steps = new Map<string, string>();
	let inSection = false;
	for (const line of markdown.split('\n')) {
		const heading = /^(#{1,6})\s+(.*)$/.exec(line);
		if (heading) {
			inSection = heading[2]!.trim().startsWith(CONTRACT_HEADING);
			continue;
		}
		if (!inSection) continue;
		const item = /^\s*[-*]\s+`(\d{4}_[a-z0-9_]+)`\s*[:—–-]?\s*(.*)$/.exec(line);
		if (item) steps.set(item[1]!, item[2]!.trim());
	}
	return steps;
}

export interface PolicyReport {
	/** Statements that are not expand-only, in migrations that are not listed. */
	violations: Finding[];
	/** Findings in listed migrations (allowed; kept so the report can show them). */
	allowed: Finding[];
	/** Problems with the list or the folder: unknown tags, missing reasons, journal mismatches. */
	problems: string[];
}

export function checkPolicy(
	migrations: Migration[],
	steps: Map<string, string>,
	journalTags: string[]
): PolicyReport {
	const report: PolicyReport = { violations: [], allowed: [], problems: [] };
	const tags = new Set(migrations.map((m) => m.tag));
	for (const [tag, reason] of steps) {
		if (!tags.has(tag))
			report.problems.push(`docs/operations.md lists ${tag}, which is not in drizzle/`);
		if (reason.length < 20)
			report.problems.push(`docs/operations.md lists ${tag} without saying why it was safe`);
	}
	// drizzle applies only what its journal names: a file outside it would silently never run.
	const journal = new Set(journalTags);
	for (const tag of tags)
		if (!journal.has(tag)) report.problems.push(`${tag}.sql is not in drizzle/meta/_journal.json`);
	for (const tag of journal)
		if (!tags.has(tag)) report.problems.push(`the journal names ${tag}, which has no .sql file`);
	for (const migration of migrations) {
		const findings = checkMigration(migration);
		(steps.has(migration.tag) ? report.allowed : report.violations).push(...findings);
	}
	return report;
}

export function readMigrations(dir: string): { migrations: Migration[]; journalTags: string[] } {
	const migrations = readdirSync(dir)
		.filter((file) => file.endsWith('.sql'))
		.sort()
		.map((file) => ({ tag: file.slice(0, -4), sql: readFileSync(path.join(dir, file), 'utf8') }));
	const journal = JSON.parse(readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8')) as {
		entries: Array<{ tag: string }>;
	};
	return { migrations, journalTags: journal.entries.map((e) => e.tag) };
}
