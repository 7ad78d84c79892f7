import DataLoader from "dataloader";
import { MAX_BATCH_KEYS } from "./batch.js";

/** The items of one parent (a playlist, a filter) ranked from + 1 to from + count in its dense 1-based order. */
export interface WindowKey {
  parentId: number;
  from: number;
  count: number;
}

/**
 * Batches "items ranked from+1..from+count of parent P" over many parents into one query per distinct window.
 * Rankings are dense (1..n), so a window is a rank range that one `parentId IN (…)` query covers for every
 * parent, where a LIMIT per parent would need one query each. `fetch` returns rows in rank order.
 */
export function rankedWindowLoader<R>(
  fetch: (parentIds: number[], from: number, count: number) => Promise<R[]>,
  parentOf: (row: R) => number,
): DataLoader<WindowKey, R[], string> {
  return new DataLoader(
    async (keys) => {
      const windows = new Map<string, { from: number; count: number; parents: Set<number> }>();
      for (const { parentId, from, count } of keys) {
        const id = `${from}:${count}`;
        const window = windows.get(id) ?? { from, count, parents: new Set<number>() };
        window.parents.add(parentId);
        windows.set(id, window);
      }
      const found = new Map<string, R[]>();
      await Promise.all(
        [...windows.values()].map(async ({ from, count, parents }) => {
          for (const row of await fetch([...parents], from, count)) {
            const key = cacheKey({ parentId: parentOf(row), from, count });
            const list = found.get(key);
            if (list) list.push(row);
            else found.set(key, [row]);
          }
        }),
      );
      return keys.map((k) => found.get(cacheKey(k)) ?? []);
    },
    { cacheKeyFn: cacheKey, maxBatchSize: MAX_BATCH_KEYS },
  );
}

function cacheKey(k: WindowKey): string {
  return `${k.parentId}:${k.from}:${k.count}`;
}
