// /healthz: the process answers (a liveness probe restarts it when not). /readyz: it can serve queries: the
// database answers and every active factor set's index is in memory (a readiness probe holds traffic until then).
import type { Db } from "@curator/db/client.js";
import type { IndexRegistry } from "../index/registry.js";

export interface Readiness {
  ready: boolean;
  database: "ok" | string;
  /** One entry per kind with an active set; `loadedSetId` differs while a newer set loads (the older one serves). */
  indexes: { kind: string; activeSetId: number; loadedSetId: number | null; vectors: number | null }[];
}

export async function readiness(db: Db, indexes: IndexRegistry): Promise<Readiness> {
  let pointers: { kind: string; factorSetId: number }[];
  try {
    pointers = await db.activeFactorSet.findMany({ select: { kind: true, factorSetId: true }, orderBy: { kind: "asc" } });
  } catch (err) {
    return { ready: false, database: `unreachable: ${(err as Error).message.split("\n")[0]}`, indexes: [] };
  }
  const loaded = new Map(indexes.loadedIndexes().map((l) => [l.kind as string, l]));
  const rows = pointers.map((p) => {
    const index = loaded.get(p.kind);
    return { kind: p.kind, activeSetId: p.factorSetId, loadedSetId: index?.setId ?? null, vectors: index?.vectors ?? null };
  });
  return { ready: rows.every((r) => r.loadedSetId !== null), database: "ok", indexes: rows };
}
