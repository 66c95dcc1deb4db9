// Which clients changed, from Dexie's `storagemutated` event (pure, so it is tested alone).
//
// Dexie reports each committed write as "mutated parts": per table and index, an interval tree of
// the keys touched (`{ from, to, l, r, d }` nodes; after crossing tabs over BroadcastChannel it is a
// plain object). For the primary key part, puts and deletes of known rows add single keys; a
// `clear()` or a range delete adds a range.

interface TreeNode {
	from: unknown;
	to: unknown;
	l?: TreeNode | null;
	r?: TreeNode | null;
	d: number;
}

function isNode(value: unknown): value is TreeNode {
	return typeof value === 'object' && value !== null && 'from' in value && 'to' in value;
}

/**
 * The primary keys in a mutated-parts interval tree, or null when they cannot be listed: a range
 * (a clear or a range delete), a key that is not a string, or more than `limit` keys. Null means
 * "reload everything".
 */
export function changedKeys(tree: unknown, limit: number): string[] | null {
	const keys: string[] = [];
	const stack: unknown[] = [tree];
	while (stack.length > 0) {
		const node = stack.pop();
		if (!isNode(node)) {
			// An empty tree is `{ d: 0 }`; anything else unexpected means "unknown".
			if (typeof node === 'object' && node !== null && (node as { d?: unknown }).d === 0) continue;
			if (node === null || node === undefined) continue;
			return null;
		}
		if (typeof node.from !== 'string' || node.from !== node.to) return null;
		keys.push(node.from);
		if (keys.length > limit) return null;
		if (node.l) stack.push(node.l);
		if (node.r) stack.push(node.r);
	}
	return keys;
}

/** The part name Dexie uses for a table's primary keys. */
export function primaryKeyPart(dbName: string, table: string): string {
	return `idb://${dbName}/${table}/`;
}
