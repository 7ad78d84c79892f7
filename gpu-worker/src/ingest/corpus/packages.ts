/**
 * The fixed list of Debian packages the corpus is drawn from, with where each keeps its music. Paths were found by
 * listing each .deb (`dpkg-deb -c`) in Debian 12 (bookworm); a package missing from the archive is reported by the
 * fetch and skipped.
 */

/** A style known a priori from the game's genre, never from the audio (an assumption the simulator relies on). */
export type Style = "orchestral" | "electronic" | "chiptune" | "rock" | "ambient" | "pop";

/** Where a package states its composers, beyond Vorbis/ID3 tags and the Debian copyright file. */
export type CreditsSource = "warzone-album-json" | "stk-music-xml" | "etr-readme" | "openclonk-authors" | "fof-song-ini";

export interface CorpusPackage {
  name: string;
  /** Album title for the package's soundtrack (warzone2100-music's album.json names its own albums). */
  album: string;
  style: Style;
  /** tar member globs (as `dpkg-deb -c` prints them) for the music and what describes it. */
  members: string[];
  credits?: CreditsSource;
  /** Music shipped inside a zip (.pk3) member: unpacked next to it, then the archive is removed. */
  zipArchive?: string;
  /** Songs shipped as stems (Frets on Fire): each song folder is mixed to one track, then the stems are removed. */
  stems?: boolean;
  /**
   * The package holds nothing but music, so the copyright file's catch-all holder is the composer (asc-music:
   * "Files: * / Copyright: 2002 Michael Kievernagel").
   */
  musicOnly?: boolean;
  /** Part of the small CI/demo subset: small downloads that still cover several artists, albums and stingers. */
  inDefaultSubset?: boolean;
}

const doc = (pkg: string): string => `./usr/share/doc/${pkg}/copyright`;

const PACKAGES: CorpusPackage[] = [
  { name: "warzone2100-music", album: "Warzone 2100 soundtrack", style: "electronic", credits: "warzone-album-json",
    members: ["./usr/share/games/warzone2100/music/*"] },
  { name: "widelands-data", album: "Widelands soundtrack", style: "orchestral", members: ["./usr/share/games/widelands/data/music/*"] },
  { name: "drascula-music", album: "Drascula: The Vampire Strikes Back soundtrack", style: "orchestral",
    members: ["./usr/share/scummvm/drascula/audio/*", "./usr/share/doc/drascula-music/readme_audio.txt"] },
  { name: "freedroidrpg-data", album: "FreedroidRPG soundtrack", style: "electronic", members: ["./usr/share/freedroidrpg/data/sound/music/*"] },
  { name: "megaglest-data", album: "MegaGlest soundtrack", style: "orchestral",
    members: ["./usr/share/games/megaglest/data/core/menu/music/*", "./usr/share/games/megaglest/techs/megapack/factions/*/music/*"] },
  { name: "flare-game", album: "Flare soundtrack", style: "orchestral", members: ["./usr/share/games/flare/mods/fantasycore/music/*"] },
  { name: "fillets-ng-data", album: "Fish Fillets NG soundtrack", style: "ambient", members: ["./usr/share/games/fillets-ng/music/*.ogg"] },
  { name: "openclonk-data", album: "OpenClonk soundtrack", style: "ambient", credits: "openclonk-authors",
    members: ["./usr/share/games/openclonk/Music.ocg/*"] },
  { name: "fretsonfire-songs-sectoid", album: "Songs by Sectoid", style: "rock", credits: "fof-song-ini", stems: true, inDefaultSubset: true,
    members: ["./usr/share/games/fretsonfire/data/songs/sectoid/*"] },
  { name: "fretsonfire-songs-muldjord", album: "Songs by Muldjord", style: "rock", credits: "fof-song-ini", stems: true,
    members: ["./usr/share/games/fretsonfire/data/songs/muldjord/*"] },
  { name: "nexuiz-music", album: "Nexuiz soundtrack", style: "electronic", zipArchive: "usr/share/games/nexuiz/data/music.pk3",
    members: ["./usr/share/games/nexuiz/data/music.pk3"] },
  { name: "colobot-common-sounds", album: "Colobot soundtrack", style: "electronic", members: ["./usr/share/games/colobot/music/*"] },
  { name: "supertux-data", album: "SuperTux soundtrack", style: "pop", members: ["./usr/share/games/supertux2/music/*"] },
  { name: "supertuxkart-data", album: "SuperTuxKart soundtrack", style: "pop", credits: "stk-music-xml",
    members: ["./usr/share/games/supertuxkart/data/music/*"] },
  { name: "xmoto-data", album: "X-Moto soundtrack", style: "pop", members: ["./usr/share/games/xmoto/Textures/Musics/*"] },
  { name: "extremetuxracer-data", album: "Extreme Tux Racer soundtrack", style: "pop", credits: "etr-readme", inDefaultSubset: true,
    members: ["./usr/share/games/etr/music/*"] },
  { name: "asc-music", album: "Advanced Strategic Command soundtrack", style: "orchestral", inDefaultSubset: true, musicOnly: true,
    members: ["./usr/share/games/asc/music/*"] },
  { name: "tecnoballz-data", album: "TecnoballZ soundtrack", style: "chiptune", inDefaultSubset: true,
    members: ["./usr/share/games/tecnoballz/musics/*"] },
  { name: "pingus-data", album: "Pingus soundtrack", style: "chiptune", inDefaultSubset: true,
    members: ["./usr/share/games/pingus/data/music/*"] },
];

/** Every package also gives its Debian copyright file, the licence source for its rows. */
export const CORPUS_PACKAGES: readonly CorpusPackage[] = PACKAGES.map((p) => ({ ...p, members: [...p.members, doc(p.name)] }));

export type Subset = "default" | "full";

export function packagesFor(subset: Subset): CorpusPackage[] {
  return CORPUS_PACKAGES.filter((p) => subset === "full" || p.inDefaultSubset === true);
}

export function parseSubset(value: string): Subset {
  if (value === "default" || value === "full") return value;
  throw new Error(`unknown corpus subset "${value}" (expected "default" or "full")`);
}

/** The package's style, for catalogue rows whose albumSource is "debian:<package>". */
export function styleOfAlbumSource(albumSource: string): Style | undefined {
  const name = albumSource.startsWith("debian:") ? albumSource.slice("debian:".length) : undefined;
  return CORPUS_PACKAGES.find((p) => p.name === name)?.style;
}
