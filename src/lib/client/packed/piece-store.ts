import type { DBCoreTable, DBCoreTransaction } from 'dexie';
import { decodePiece, type StoredPiece } from './piece-codec';
import { sliceFirst, sliceRange, type DataPiece, type DataRef, type Piece } from './pieces';

/** Decoded pieces by id. Pieces never change (a new base has new ids), so they are safe to keep. */
class PieceCache {
	private readonly pieces = new Map<string, Piece>();
	private size = 0;
	constructor(private readonly limit: number) {}

	has(id: string): boolean {
		return this.pieces.has(id);
	}

	get(id: string): Piece | undefined {
		const piece = this.pieces.get(id);
		if (piece) {
			this.pieces.delete(id);
			this.pieces.set(id, piece);
		}
		return piece;
	}

	set(piece: Piece): void {
		this.pieces.set(piece.id, piece);
		this.size += weight(piece);
		for (const [id, old] of this.pieces) {
			if (this.size <= this.limit || id === piece.id) break;
			this.pieces.delete(id);
			this.size -= weight(old);
		}
	}
}

const weight = (piece: Piece) =>
	'rows' in piece
		? piece.rows.length
		: 'values' in piece
			? piece.values.length / 2
			: piece.keys.length / 4;

/**
 * Reads the stored pieces of packed bases inside the caller's transaction, decoded once and kept
 * (`cacheSize` rows or index entries). A sliced data piece (pieces.ts, `DataRef`) is read whole as
 * its slices in one request, or a slice at a time by key through `slicesOf`.
 */
export class PieceStore {
	private readonly cache: PieceCache;
	/** Each sliced piece's slices by first key, in order; they never change, like the pieces. */
	private readonly sliceStarts = new Map<string, string[]>();

	/** `pieces` is a function: the table exists only in databases that have bases. */
	constructor(
		private readonly pieces: () => DBCoreTable,
		cacheSize: number
	) {
		this.cache = new PieceCache(cacheSize);
	}

	/** Whether this piece is decoded in memory. */
	holds(id: string): boolean {
		return this.cache.has(id);
	}

	/** One stored record (a key, index or unsliced data piece, or a slice). */
	async piece<P extends Piece>(trans: DBCoreTransaction, id: string): Promise<P> {
		const hit = this.cache.get(id);
		if (hit) return hit as P;
		const stored = (await this.pieces().get({ trans, key: id })) as StoredPiece | undefined;
		if (!stored) throw new Error(`packed base: piece ${id} is missing`);
		const read = decodePiece<P>(stored);
		this.cache.set(read);
		return read;
	}

	/** A data piece's rows: one record, or every slice of a sliced piece in one request. */
	async dataPiece(trans: DBCoreTransaction, ref: DataRef): Promise<DataPiece> {
		if (!ref.sliced) return this.piece<DataPiece>(trans, ref.id);
		const hit = this.cache.get(ref.id);
		if (hit) return hit as DataPiece;
		const { result } = await this.slices(trans, ref.id, true);
		const rows = (result as StoredPiece[]).flatMap((stored) => decodePiece<DataPiece>(stored).rows);
		const read: DataPiece = { id: ref.id, rows };
		this.cache.set(read);
		return read;
	}

	/** The first keys of a sliced piece's slices, in order (a keys-only request the first time). */
	async slicesOf(trans: DBCoreTransaction, id: string): Promise<string[]> {
		let starts = this.sliceStarts.get(id);
		if (!starts) {
			const { result } = await this.slices(trans, id, false);
			starts = (result as string[]).map((slice) => sliceFirst(id, slice));
			this.sliceStarts.set(id, starts);
		}
		return starts;
	}

	/** Forgets what is kept of a dropped base's slices. */
	forget(refs: readonly DataRef[]): void {
		for (const ref of refs) this.sliceStarts.delete(ref.id);
	}

	private slices(trans: DBCoreTransaction, id: string, values: boolean) {
		const pieces = this.pieces();
		const range = { type: 2, ...sliceRange(id), lowerOpen: false, upperOpen: false };
		return pieces.query({ trans, values, query: { index: pieces.schema.primaryKey, range } });
	}
}
