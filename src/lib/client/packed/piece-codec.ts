import { rowsOfTable, type WireTable } from '$lib/shared/sync/protocol';
import type { ColumnPiece, IndexPiece, Key, Piece, StagedBatch } from './pieces';

// How a piece is stored: one JSON text a record (docs/decisions.md §24).

/**
 * A piece as stored: its content as one JSON text (a data piece's rows in columns). IndexedDB
 * stores and reads one string far faster than the structured clone of a thousand objects, which
 * cost the first sync more than the records it saved (bench:idb, docs/benchmarks.md).
 */
export interface StoredPiece {
	id: string;
	body: string;
}

export function encodePiece(piece: Piece | ColumnPiece | StagedBatch): StoredPiece {
	if ('text' in piece && piece.text !== undefined)
		return {
			id: piece.id,
			body: `{"columns":${JSON.stringify(piece.columns)},"values":[${piece.text}]}`
		};
	if ('values' in piece && 'keys' in piece && !('columns' in piece)) {
		const runs = runsOf(piece.values);
		if (runs) return { id: piece.id, body: JSON.stringify({ runs, keys: piece.keys }) };
	}
	const { id, ...content } = piece;
	return { id, body: JSON.stringify(content) };
}

/**
 * An index piece's values are sorted, so a value many rows share (a grant's indicator, a client's
 * grants and payments, a grant's events) comes as a run: stored as [value, count, value, count,
 * …] when that is shorter, which it is where at most four values in five begin a run. The bench
 * set's indexes held 975,000 repeated uuids, 38 MB a first sync wrote (docs/decisions.md §24f).
 */
function runsOf(values: readonly Key[]): Key[] | null {
	const runs: Key[] = [];
	for (let i = 0; i < values.length;) {
		const value = values[i] as Key;
		let end = i + 1;
		while (end < values.length && values[end] === value) end++;
		runs.push(value, end - i);
		i = end;
	}
	return runs.length / 2 <= values.length * 0.8 ? runs : null;
}

function valuesOfRuns(runs: readonly Key[]): Key[] {
	const values: Key[] = [];
	for (let i = 0; i < runs.length; i += 2) {
		const value = runs[i] as Key;
		for (let n = runs[i + 1] as number; n > 0; n--) values.push(value);
	}
	return values;
}

export function decodePiece<P extends Piece | StagedBatch>(stored: StoredPiece): P {
	const content = JSON.parse(stored.body) as Record<string, unknown>;
	if (Array.isArray(content.columns))
		return { id: stored.id, rows: rowsOfTable(content as unknown as WireTable) } as unknown as P;
	if (Array.isArray(content.runs)) {
		const piece: IndexPiece = {
			id: stored.id,
			values: valuesOfRuns(content.runs as Key[]),
			keys: content.keys as Key[]
		};
		return piece as unknown as P;
	}
	return { id: stored.id, ...content } as unknown as P;
}
