import type { Db } from "@curator/db/client.js";

export interface SeededTrack {
  id: number;
  title: string;
  artist: string;
  album: string;
}

/** A small catalogue: `artists` artists with one album each and `perAlbum` tracks per album. */
export async function seedCatalog(db: Db, artists = 3, perAlbum = 4): Promise<SeededTrack[]> {
  const out: SeededTrack[] = [];
  for (let a = 0; a < artists; a++) {
    const artist = await db.artist.create({ data: { name: `Composer ${a}` } });
    const album = await db.album.create({ data: { title: `Soundtrack ${a}`, source: `test:${a}`, licence: "GPL-2+" } });
    for (let t = 0; t < perAlbum; t++) {
      const title = `Theme ${a}.${t}`;
      const track = await db.track.create({
        data: {
          externalId: `test/${a}/${t}`,
          title,
          artistId: artist.id,
          albumId: album.id,
          position: t + 1,
          durationSec: t === 0 ? 20 : 120 + t,
          isShort: t === 0,
          audioPath: `/nonexistent/${a}/${t}.ogg`,
          contentHash: `hash-${a}-${t}`,
          channels: 2,
          sampleRate: 44100,
          codec: "vorbis",
        },
      });
      out.push({ id: track.id, title, artist: artist.name, album: album.title });
    }
  }
  return out;
}
