// Playlist edits. Positions stay dense (1..n) after every edit, so "the item at position p" and windows of items
// are plain range queries. Each edit runs in one transaction that first touches the playlist row: on PostgreSQL
// that row lock queues concurrent edits of the same playlist (SQLite serialises all writers anyway), so two
// reorders never interleave their position shifts.
import type { Db } from "@curator/db/client.js";
import { badUserInput, notFound } from "../errors.js";
import { MAX_PLAYLIST_LENGTH } from "../schema/playlist.js";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface PlaylistRow {
  id: number;
  name: string;
  source: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Locks the playlist for the rest of the transaction (and marks it changed); NOT_FOUND if it does not exist. */
async function lockPlaylist(tx: Tx, id: number): Promise<PlaylistRow> {
  const [row] = await tx.playlist.updateManyAndReturn({ where: { id }, data: { updatedAt: new Date() } });
  if (!row) throw notFound(`playlist ${id} not found`);
  return row;
}

export async function createPlaylist(db: Db, name: string, source: string, trackIds: number[] = []): Promise<PlaylistRow> {
  return db.$transaction(async (tx) => {
    const playlist = await tx.playlist.create({ data: { name, source } });
    await insertItems(tx, playlist.id, trackIds, 1, 0);
    return playlist;
  });
}

export async function renamePlaylist(db: Db, id: number, name: string): Promise<PlaylistRow> {
  const [row] = await db.playlist.updateManyAndReturn({ where: { id }, data: { name } });
  if (!row) throw notFound(`playlist ${id} not found`);
  return row;
}

export async function deletePlaylist(db: Db, id: number): Promise<void> {
  const { count } = await db.playlist.deleteMany({ where: { id } });
  if (count === 0) throw notFound(`playlist ${id} not found`);
}

/** Inserts tracks (in the given order) before `position` (default: at the end); later items move down. */
export async function addTracks(db: Db, playlistId: number, trackIds: number[], position: number | null | undefined): Promise<PlaylistRow> {
  return db.$transaction(async (tx) => {
    const playlist = await lockPlaylist(tx, playlistId);
    const length = await tx.playlistItem.count({ where: { playlistId } });
    const at = position ?? length + 1;
    if (!Number.isInteger(at) || at < 1 || at > length + 1) throw badUserInput(`position must be between 1 and ${length + 1}, got ${at}`);
    await insertItems(tx, playlistId, trackIds, at, length);
    return playlist;
  });
}

async function insertItems(tx: Tx, playlistId: number, trackIds: number[], at: number, length: number): Promise<void> {
  if (trackIds.length === 0) return;
  if (length + trackIds.length > MAX_PLAYLIST_LENGTH) {
    throw badUserInput(`a playlist holds at most ${MAX_PLAYLIST_LENGTH} tracks; this one has ${length}, adding ${trackIds.length}`);
  }
  const distinct = [...new Set(trackIds)];
  const found = new Set((await tx.track.findMany({ where: { id: { in: distinct } }, select: { id: true } })).map((t) => t.id));
  const missing = distinct.filter((id) => !found.has(id));
  if (missing.length) throw notFound(`tracks not found: ${missing.join(", ")}`);
  await tx.playlistItem.updateMany({ where: { playlistId, position: { gte: at } }, data: { position: { increment: trackIds.length } } });
  await tx.playlistItem.createMany({ data: trackIds.map((trackId, i) => ({ playlistId, trackId, position: at + i })) });
}

/** Removes one entry; the items after it move up, keeping positions dense. */
export async function removeItem(db: Db, itemId: number): Promise<PlaylistRow> {
  return db.$transaction(async (tx) => {
    const item = await findItem(tx, itemId);
    const playlist = await lockPlaylist(tx, item.playlistId);
    // Re-read under the lock: a concurrent edit may have moved or removed it meanwhile.
    const current = await findItem(tx, itemId);
    await tx.playlistItem.delete({ where: { id: itemId } });
    await tx.playlistItem.updateMany({ where: { playlistId: current.playlistId, position: { gt: current.position } }, data: { position: { decrement: 1 } } });
    return playlist;
  });
}

/** Moves one entry to `toPosition` (1..n); the items between its old and new place shift by one. */
export async function moveItem(db: Db, itemId: number, toPosition: number): Promise<PlaylistRow> {
  return db.$transaction(async (tx) => {
    const { playlistId } = await findItem(tx, itemId);
    const playlist = await lockPlaylist(tx, playlistId);
    const { position: from } = await findItem(tx, itemId);
    const length = await tx.playlistItem.count({ where: { playlistId } });
    if (!Number.isInteger(toPosition) || toPosition < 1 || toPosition > length) {
      throw badUserInput(`toPosition must be between 1 and ${length}, got ${toPosition}`);
    }
    if (toPosition < from) {
      await tx.playlistItem.updateMany({ where: { playlistId, position: { gte: toPosition, lt: from } }, data: { position: { increment: 1 } } });
    } else if (toPosition > from) {
      await tx.playlistItem.updateMany({ where: { playlistId, position: { gt: from, lte: toPosition } }, data: { position: { decrement: 1 } } });
    }
    await tx.playlistItem.update({ where: { id: itemId }, data: { position: toPosition } });
    return playlist;
  });
}

async function findItem(tx: Tx, itemId: number): Promise<{ playlistId: number; position: number }> {
  const item = await tx.playlistItem.findUnique({ where: { id: itemId }, select: { playlistId: true, position: true } });
  if (!item) throw notFound(`playlist item ${itemId} not found`);
  return item;
}
