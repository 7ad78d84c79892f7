// MapLayout + MapPoint rows: written while the layout is BUILDING (no reader uses it), then switched READY in one
// transaction that retires the kind's previous layout, so the UI never shows a partial map.
import type { Db, FactorKind } from "@curator/db/client.js";

const INSERT_BATCH = 500;

export interface NewLayout {
  factorSetId: number;
  kind: FactorKind;
  method: string;
  params: Record<string, unknown>;
  trackIds: ArrayLike<number>;
  /** trackIds.length × 2 coordinates, row-major. */
  xy: Float32Array;
}

export async function writeLayout(db: Db, layout: NewLayout, onProgress?: (done: number, total: number) => Promise<void>): Promise<number> {
  const n = layout.trackIds.length;
  if (layout.xy.length !== 2 * n) throw new RangeError(`map layout: ${layout.xy.length} coordinates for ${n} tracks`);
  const created = await db.mapLayout.create({ data: { factorSetId: layout.factorSetId, method: layout.method, params: JSON.stringify(layout.params) } });
  try {
    for (let start = 0; start < n; start += INSERT_BATCH) {
      const end = Math.min(n, start + INSERT_BATCH);
      const data = [];
      for (let i = start; i < end; i++) data.push({ layoutId: created.id, trackId: layout.trackIds[i]!, x: layout.xy[2 * i]!, y: layout.xy[2 * i + 1]! });
      await db.mapPoint.createMany({ data });
      await onProgress?.(end, n);
    }
    await db.$transaction([
      db.mapLayout.updateMany({ where: { status: "READY", factorSet: { kind: layout.kind } }, data: { status: "RETIRED" } }),
      db.mapLayout.update({ where: { id: created.id }, data: { status: "READY" } }),
    ]);
  } catch (err) {
    await db.mapLayout.update({ where: { id: created.id }, data: { status: "FAILED" } }).catch(() => undefined);
    throw err;
  }
  return created.id;
}
