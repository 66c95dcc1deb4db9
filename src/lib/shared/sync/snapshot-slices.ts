import type { WireTable, WireTables } from './protocol';

// Slices of a snapshot piece as the server wrote them (docs/decisions.md §24d). A device stores a
// large table's rows as JSON texts of 100 rows each; writing those texts out again from the parsed
// rows was about a third of the 1.9 s its main thread spent writing records out in a first sync.
// Asked to (`slice` in the request), the server puts a line break before and after every run of
// `slice` rows of each table, which JSON reads as plain whitespace:
//
//   {"clients":[["id",…],[⏎["a",…],["b",…]⏎,⏎["c",…]⏎]],"accesses":[[…],[⏎…⏎]]}
//
// so the text split at line breaks alternates between punctuation and runs of rows, and every
// other part is one run, table after table. JSON has no raw line break inside a string, so no
// row can hold one.

/**
 * Sets `sliced` on each table of a decoded piece from the piece's `text`, when the text is marked
 * for `rows` rows a run and every run checks out; otherwise leaves every table unsliced, and the
 * device writes the rows out itself. A run checks out when there is one for each `rows` rows of
 * each table, in order, and each begins with its first row's first value, which increases from
 * row to row (the id, in the walk's order): a run marked a row off, an extra break or a missing
 * one does not.
 */
export function cutSlices(text: string, tables: WireTables, rows: number): void {
	const parts = text.split('\n');
	if (parts.length < 3) return;
	const cut: Array<[WireTable, string[]]> = [];
	let at = 1;
	for (const table of Object.values(tables)) {
		if (!increasing(table.values)) return;
		const texts: string[] = [];
		for (let start = 0; start < table.values.length; start += rows, at += 2) {
			const run = parts[at];
			const first = (table.values[start] as unknown[])[0];
			if (run === undefined || first === undefined) return;
			// The value must end where the text's does: 1 is also how 12 begins.
			const head = `[${JSON.stringify(first)}`;
			const after = run[head.length];
			if (!run.startsWith(head) || (after !== ',' && after !== ']') || !run.endsWith(']')) return;
			texts.push(run);
		}
		cut.push([table, texts]);
	}
	if (at !== parts.length) return;
	for (const [table, texts] of cut) table.sliced = { rows, texts };
}

/** Whether each row's first value is a string or number above the one before (so no two alike). */
function increasing(values: unknown[][]): boolean {
	let before: unknown = undefined;
	for (const value of values) {
		const first = value[0];
		if (typeof first !== 'string' && typeof first !== 'number') return false;
		if (before !== undefined && (typeof first !== typeof before || !((before as string) < first)))
			return false;
		before = first;
	}
	return true;
}
