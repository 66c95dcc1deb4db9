/**
 * The `shared` test project runs many files in one module graph per worker (vite.config.ts).
 * Dexie captures `indexedDB` once, when its module first loads: a file that loads Dexie without
 * installing fake-indexeddb first (one that only uses `cmp` or `RangeSet`) left Dexie without
 * IndexedDB for every later file in that worker, and which files failed depended on the order
 * (27 tests in one CI run on 2026-12-07). Installed here, before any test module, it is there
 * whatever the order.
 */
import 'fake-indexeddb/auto';
