import type { Db } from "@curator/db/client.js";
import type { BadItem } from "../types.js";

export interface ListenInput {
  user: string;
  track: string;
  plays: number;
  heldOut?: boolean;
  /** Source row, for error messages. */
  row?: number;
}

export interface StoreListensResult {
  stored: number;
  users: number;
  bad: BadItem[];
  /** Listens dropped because `replace` was asked for and the import named their user (0 when appending). */
  replaced: number;
}

/** Rows per INSERT statement. */
const INSERT_ROWS = 5000;
/** Names per lookup statement: SQLite binds at most 999 values. */
const LOOKUP = 900;

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Stores listens for known tracks (by external id), creating users as needed. Listens for unknown tracks are
 * reported with their row and skipped. The whole import is one transaction: a failed import changes nothing. By
 * default an import appends (a stored pair's plays grow by the new ones); with `replace` the listens of every user
 * it names are dropped first, so a re-import of the same data leaves the same rows.
 */
export function storeListens(db: Db, listens: readonly ListenInput[], source: string, opts: Pick<ChunkStoreOptions, "replace"> = {}): Promise<StoreListensResult> {
  return storeListenChunks(db, [listens], source, opts);
}

export interface RepeatedPair extends ListenInput {
  /** The pair's plays stored by this import so far, this chunk's included. */
  stored: number;
}

export interface ChunkStoreOptions {
  /**
   * Called with the listens of a chunk whose (user, track) pair an earlier chunk of this import stored (their plays
   * are added to it). Without it the store does not look.
   */
  onRepeated?: (repeats: readonly RepeatedPair[]) => void;
  /**
   * Called inside the transaction once every chunk is stored; the plays it returns are taken back from their stored
   * pairs (listens a chunk counted that an earlier chunk had), so the import commits corrected or not at all.
   */
  takeBack?: () => Promise<readonly ListenInput[]>;
  /** Drop the stored listens of each user the import names before storing theirs (default: append to them). */
  replace?: boolean;
}

/**
 * storeListens over chunks that arrive one at a time (a 100M-listen file), still in one transaction: with `replace`,
 * a user's earlier listens are dropped when the import first names the user; a (user, track) pair named again in a
 * later chunk adds its plays, so the result is the same as one call with the whole file. A listen of a held-out
 * track (one whose stored listens are held out: the cold-start set) is stored held out too.
 */
export async function storeListenChunks(
  db: Db,
  chunks: Iterable<readonly ListenInput[]> | AsyncIterable<readonly ListenInput[]>,
  source: string,
  opts: ChunkStoreOptions = {},
): Promise<StoreListensResult> {
  const tracks = await db.track.findMany({ select: { id: true, externalId: true } });
  const trackIds = new Map(tracks.map((t) => [t.externalId, t.id]));
  const heldOut = new Set((await db.listen.findMany({ where: { heldOut: true }, distinct: ["trackId"], select: { trackId: true } })).map((l) => l.trackId));
  const bad: BadItem[] = [];
  let stored = 0;
  const dropped = { listens: 0 };
  const userIds = new Map<string, number>();
  const ids = (l: ListenInput) => [userIds.get(l.user)!, trackIds.get(l.track)!] as const;
  const held = (l: ListenInput) => l.heldOut === true || heldOut.has(trackIds.get(l.track)!);
  await db.$transaction(
    async (tx) => {
      for await (const listens of chunks) {
        const known = listens.filter((l) => {
          if (trackIds.has(l.track)) return true;
          bad.push({ item: `${source}${l.row !== undefined ? ` row ${l.row}` : ""}`, reason: `unknown track id "${l.track}"` });
          return false;
        });
        // Only a user an earlier chunk named can have a listen of this import stored already (a user new to the
        // import had its old listens dropped), so only those inserts say what they added to.
        const watched = opts.onRepeated ? known.filter((l) => userIds.has(l.user)) : [];
        const unwatched = watched.length > 0 ? known.filter((l) => !userIds.has(l.user)) : known;
        await addUsers(tx, [...new Set(known.map((l) => l.user))].filter((name) => !userIds.has(name)), userIds, opts.replace ? dropped : undefined);
        for (let i = 0; i < unwatched.length; i += INSERT_ROWS) {
          await tx.$executeRawUnsafe(upsert(unwatched.slice(i, i + INSERT_ROWS), ids, held));
        }
        const repeats: RepeatedPair[] = [];
        for (let i = 0; i < watched.length; i += INSERT_ROWS) {
          const part = watched.slice(i, i + INSERT_ROWS);
          const rows = await tx.$queryRawUnsafe<{ userId: number | bigint; trackId: number | bigint; plays: number | bigint }[]>(
            `${upsert(part, ids, held)} RETURNING "userId", "trackId", "plays"`,
          );
          // A pair's rows are distinct within a chunk, and stored plays are at least 1: more plays than this row's
          // means the row added to an earlier chunk's.
          const total = new Map(rows.map((r) => [`${Number(r.userId)},${Number(r.trackId)}`, Number(r.plays)]));
          for (const l of part) {
            const plays = total.get(ids(l).join(","))!;
            if (plays > Math.trunc(l.plays)) repeats.push({ ...l, stored: plays });
          }
        }
        if (repeats.length > 0) opts.onRepeated!(repeats);
        stored += known.length;
      }
      const back = (await opts.takeBack?.()) ?? [];
      for (let i = 0; i < back.length; i += INSERT_ROWS) {
        await tx.$executeRawUnsafe(subtract(back.slice(i, i + INSERT_ROWS), ids));
      }
    },
    // A 100M-listen import is one transaction of many minutes.
    { timeout: 24 * 3600_000, maxWait: 60_000 },
  );
  return { stored, users: userIds.size, bad, replaced: dropped.listens };
}

/**
 * One INSERT of listens that adds a stored pair's plays to the new ones and keeps a held-out pair held out
 * (integers inlined: no bound-parameter cap).
 */
function upsert(listens: readonly ListenInput[], ids: (l: ListenInput) => readonly [number, number], held: (l: ListenInput) => boolean): string {
  const values = listens.map((l) => `(${ids(l).join(",")},${Math.trunc(l.plays)},${held(l) ? "TRUE" : "FALSE"})`);
  return (
    `INSERT INTO "Listen" ("userId", "trackId", "plays", "heldOut") VALUES ${values.join(",")} ` +
    `ON CONFLICT ("userId", "trackId") DO UPDATE SET "plays" = "Listen"."plays" + excluded."plays", "heldOut" = "Listen"."heldOut" OR excluded."heldOut"`
  );
}

/** One UPDATE that takes plays back from stored pairs (a VALUES list's columns are column1… on both backends). */
function subtract(listens: readonly ListenInput[], ids: (l: ListenInput) => readonly [number, number]): string {
  const values = listens.map((l) => `(${ids(l).join(",")},${Math.trunc(l.plays)})`);
  return (
    `UPDATE "Listen" SET "plays" = "Listen"."plays" - v.column3 FROM (VALUES ${values.join(",")}) AS v ` +
    `WHERE "Listen"."userId" = v.column1 AND "Listen"."trackId" = v.column2`
  );
}

/** Looks up or creates the named users (new to this import); with `dropped`, drops and counts their stored listens. */
async function addUsers(tx: Tx, names: readonly string[], userIds: Map<string, number>, dropped?: { listens: number }): Promise<void> {
  for (let i = 0; i < names.length; i += LOOKUP) {
    const part = names.slice(i, i + LOOKUP);
    const existing = await tx.user.findMany({ where: { externalId: { in: part } }, select: { id: true, externalId: true } });
    if (dropped && existing.length > 0) dropped.listens += (await tx.listen.deleteMany({ where: { userId: { in: existing.map((u) => u.id) } } })).count;
    const found = new Set(existing.map((u) => u.externalId));
    const missing = part.filter((name) => !found.has(name));
    if (missing.length > 0) {
      await tx.user.createMany({ data: missing.map((externalId) => ({ externalId })) });
      existing.push(...(await tx.user.findMany({ where: { externalId: { in: missing } }, select: { id: true, externalId: true } })));
    }
    for (const u of existing) userIds.set(u.externalId, u.id);
  }
}
