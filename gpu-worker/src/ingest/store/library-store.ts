import type { Db } from "@curator/db/client.js";
import type { LibraryFile } from "../library/describe.js";
import { fingerprintBytes } from "../library/fingerprint.js";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** What a library scan may do to a file's track, as recorded in TrackFileEvent.kind. */
export type FileEventKind = "added" | "changed" | "moved" | "missing" | "returned";

/**
 * Album.source of a scanned folder's albums: the MusicBrainz release when tagged (two releases with one title stay
 * apart; one release's tracks stay together whatever their album-artist tags say), else one album per album artist
 * and title.
 */
export const librarySource = (f: Pick<LibraryFile, "releaseMbid" | "albumArtist" | "artist">): string =>
  f.releaseMbid ? `musicbrainz:release:${f.releaseMbid}` : `library:${f.albumArtist ?? f.artist}`;

/** The Track columns a described file sets (identity columns are the caller's). */
function trackData(f: LibraryFile) {
  return {
    title: f.title,
    position: f.trackNumber,
    durationSec: f.durationSec,
    audioPath: f.path,
    contentHash: f.contentHash,
    channels: f.channels,
    sampleRate: f.sampleRate,
    codec: f.codec,
    isShort: f.isShort,
    isSilent: f.isSilent,
    recordingMbid: f.recordingMbid,
    releaseMbid: f.releaseMbid,
    artistMbid: f.artistMbid,
    isrc: f.isrc,
    albumArtist: f.albumArtist,
    trackNumber: f.trackNumber,
    discNumber: f.discNumber,
    year: f.year,
    genre: f.genre,
    audioHash: f.audioHash,
    fingerprint: f.fingerprint ? fingerprintBytes(f.fingerprint) : null,
    fileStamp: f.stamp,
    missingSince: null,
  };
}

async function artistAndAlbum(tx: Tx, f: LibraryFile): Promise<{ artistId: number; albumId: number }> {
  const artist = await tx.artist.upsert({ where: { name: f.artist }, create: { name: f.artist }, update: {} });
  const source = librarySource(f);
  // A release is one album whatever title its tracks carry (a tag fixed on some files only): the first one names it.
  const album =
    (f.releaseMbid ? await tx.album.findFirst({ where: { source }, orderBy: { id: "asc" } }) : null) ??
    (await tx.album.upsert({
      where: { source_title: { source, title: f.album } },
      create: { source, title: f.album, licence: "user's own" },
      update: {},
    }));
  return { artistId: artist.id, albumId: album.id };
}

/** A new library track, its id the recording MBID when tagged (and free), else its audio hash; one transaction. */
export async function addLibraryTrack(db: Db, f: LibraryFile): Promise<number> {
  return db.$transaction(async (tx) => {
    const mbidTaken = f.recordingMbid !== null && (await tx.track.count({ where: { externalId: f.recordingMbid } })) > 0;
    const externalId = f.recordingMbid !== null && !mbidTaken ? f.recordingMbid : `sha256:${f.audioHash}`;
    const track = await tx.track.create({ data: { externalId, origin: "library", ...(await artistAndAlbum(tx, f)), ...trackData(f) } });
    await tx.trackFileEvent.create({ data: { trackId: track.id, kind: "added", path: f.path } });
    return track.id;
  });
}

/**
 * Re-describes a stored track from its (changed or moved) file, keeping its id, listens, factors and playlist
 * entries. New audio drops its cached features, so the features stage computes them again.
 */
export async function updateLibraryTrack(db: Db, trackId: number, f: LibraryFile, kind: FileEventKind, audioChanged: boolean): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.track.update({ where: { id: trackId }, data: { ...(await artistAndAlbum(tx, f)), ...trackData(f) } });
    if (audioChanged) {
      await tx.featureCache.deleteMany({ where: { trackId } });
      await tx.trackEmbedding.deleteMany({ where: { trackId } });
    }
    await tx.trackFileEvent.create({ data: { trackId, kind, path: f.path } });
  });
}

/** Marks tracks whose files are gone (or back at their stored path, unchanged), with one event each. */
export async function markLibraryTracks(db: Db, tracks: readonly { id: number; audioPath: string }[], kind: "missing" | "returned", at = new Date()): Promise<void> {
  if (tracks.length === 0) return;
  await db.$transaction(async (tx) => {
    // SQLite binds at most 999 values per statement.
    for (let i = 0; i < tracks.length; i += 500) {
      const part = tracks.slice(i, i + 500);
      await tx.track.updateMany({ where: { id: { in: part.map((t) => t.id) } }, data: { missingSince: kind === "missing" ? at : null } });
      await tx.trackFileEvent.createMany({ data: part.map((t) => ({ trackId: t.id, kind, path: t.audioPath, at })) });
    }
  });
}
