import { Rng } from "@curator/worker/util/random.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@curator/db/client.js";
import { createApp } from "@curator/server/http/app.js";
import { IndexRegistry } from "@curator/server/index/registry.js";
import { listenOnLoopback, type RunningApi } from "./api.js";

export interface IndexedApi extends RunningApi {
  registry: IndexRegistry;
  /** What the registry logged ("built …" when it wrote an index file). */
  log: string[];
}

/** A temp folder for index files, removed by the returned function. */
export function tempIndexDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "curator-indexes-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The real API with its own index registry over `dir`, checking the active-set pointer on every request
 * (checkIntervalMs 0) so a test sees a switched set at once.
 */
export async function startIndexedApi(db: Db, dir: string): Promise<IndexedApi> {
  const log: string[] = [];
  const registry = new IndexRegistry(db, { dir, checkIntervalMs: 0, log: (line) => log.push(line) });
  const server = await createApp({ db, production: true, indexes: registry });
  const url = await listenOnLoopback(server);
  return {
    url,
    registry,
    log,
    async query(query, variables) {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: (await res.json()) as never };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** n × d Gaussian values from a seed: synthetic factors with no zero rows. */
export function gaussianRows(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * d }, () => rng.gaussian());
}
