import { extname } from "node:path";
import type { CatalogRow, TrackOrigin } from "../types.js";
import type { AudioFacts } from "../probe.js";
import type { CorpusPackage } from "../corpus/packages.js";
import { TRACKER_EXTENSIONS } from "../corpus/audio-files.js";
import { artistFromTag, composerFromTrackerMessage, titleFromFileName, type Credit } from "../corpus/credits.js";
import { audioColumns, type UnplacedRow } from "./rows.js";

export interface CorpusTrackInput {
  pkg: CorpusPackage;
  /** Path inside data/corpus/<package>/. */
  relPath: string;
  audioPath: string;
  facts: AudioFacts;
  credit: Credit | undefined;
  licence: string;
  /** Holder named by a copyright paragraph for exactly this file, or for the whole of a music-only package. */
  copyrightHolder: string | undefined;
}

/**
 * Artist: the package's own credits, then the file's tags, then a tracker module's signed message, then a
 * copyright paragraph naming this very file; only then the "<package> soundtrack" placeholder.
 */
export function corpusRow(input: CorpusTrackInput): UnplacedRow {
  const { pkg, relPath, facts, credit } = input;
  const ext = extname(relPath).toLowerCase();
  const tracker = TRACKER_EXTENSIONS.has(ext);
  const artist =
    credit?.artist ??
    artistFromTag(facts.tags.artist) ??
    artistFromTag(facts.tags.composer) ??
    (tracker && facts.tags.comment ? composerFromTrackerMessage(facts.tags.comment) : undefined) ??
    input.copyrightHolder ??
    `${pkg.name} soundtrack`;
  const origin: TrackOrigin = pkg.stems ? "stem-mix" : tracker ? "tracker-render" : "recording";
  const stem = relPath.split("/").at(pkg.stems ? -2 : -1)!.replace(/\.[^.]+$/, "");
  const row: Omit<CatalogRow, "position"> = {
    externalId: `${pkg.name}/${relPath}`,
    title: credit?.title ?? facts.tags.title ?? titleFromFileName(stem),
    artist,
    album: credit?.album ?? pkg.album,
    albumSource: `debian:${pkg.name}`,
    licence: input.licence,
    ...audioColumns(facts),
    audioPath: input.audioPath,
    origin,
  };
  return { row, order: credit?.order, sortKey: relPath };
}
