import type { Db } from "@curator/db/client.js";

/**
 * The model run whose filters and activations the workbench shows: the one behind the active predicted factor set
 * (what the similarity answers come from), else the latest finished run.
 */
export async function activeModelRunId(db: Db): Promise<number | undefined> {
  const active = await db.activeFactorSet.findMany({
    where: { kind: { in: ["PREDICTED_MIDDLE", "PREDICTED_WHOLE"] } },
    orderBy: { kind: "asc" },
    select: { factorSet: { select: { modelRunId: true } } },
  });
  const fromActive = active.map((a) => a.factorSet.modelRunId).find((id) => id !== null);
  if (fromActive != null) return fromActive;
  const latest = await db.modelRun.findFirst({ where: { status: "READY" }, orderBy: { id: "desc" }, select: { id: true } });
  return latest?.id;
}
