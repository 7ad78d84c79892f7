import type { Db } from "@curator/db/client.js";
import { readVectorCsv } from "./import-csv.js";
import { removeAbandonedSets, writeFactorSet } from "../storage/factor-sets.js";

export interface ImportFactorsOptions {
  items: string;
  users?: string;
}

/**
 * Loads CF factors computed elsewhere (a cluster ALS such as Spark MLlib's) as a new active CF factor set. Ids are
 * the catalogue's track ids and the listening data's user ids; an id the database does not know refuses the
 * import, naming it, and tracks missing from the file get zero factors (cold), as after `curator factorize`.
 */
export async function importFactors(db: Db, options: ImportFactorsOptions, jobId?: number): Promise<{ factorSetId: number; tracks: number; missing: number; users: number }> {
  const items = await readVectorCsv(options.items);
  const tracks = await db.track.findMany({ select: { id: true, externalId: true }, orderBy: { id: "asc" } });
  const trackRow = new Map(tracks.map((t, i) => [t.externalId, i]));
  const unknown = items.ids.filter((id) => !trackRow.has(id));
  if (unknown.length > 0) throw new Error(`${options.items}: ${unknown.length} unknown track id(s): ${unknown.slice(0, 10).join(", ")}`);
  const raw = new Float32Array(tracks.length * items.dims);
  items.ids.forEach((id, i) => raw.set(items.vectors.subarray(i * items.dims, (i + 1) * items.dims), trackRow.get(id)! * items.dims));

  let users: { userIds: number[]; raw: Float32Array } | undefined;
  if (options.users) {
    const u = await readVectorCsv(options.users);
    if (u.dims !== items.dims) throw new Error(`${options.users}: ${u.dims} dimensions, but item factors have ${items.dims}`);
    const known = await db.user.findMany({ where: { externalId: { in: u.ids } }, select: { id: true, externalId: true } });
    const userId = new Map(known.map((k) => [k.externalId, k.id]));
    const missingUsers = u.ids.filter((id) => !userId.has(id));
    if (missingUsers.length > 0) throw new Error(`${options.users}: ${missingUsers.length} unknown user id(s): ${missingUsers.slice(0, 10).join(", ")}`);
    users = { userIds: u.ids.map((id) => userId.get(id)!), raw: u.vectors };
  }
  await removeAbandonedSets(db, "CF");
  const factorSetId = await writeFactorSet(db, {
    kind: "CF",
    dims: items.dims,
    params: { imported: options },
    jobId,
    trackIds: tracks.map((t) => t.id),
    raw,
    users,
  });
  return { factorSetId, tracks: items.ids.length, missing: tracks.length - items.ids.length, users: users?.userIds.length ?? 0 };
}
