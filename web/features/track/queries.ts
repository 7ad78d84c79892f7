import { gql } from "@urql/core";
import { FLAG_FIELDS, type Flag } from "@/features/flags/queries";

export type Space = "CF" | "AUDIO" | "HYBRID";
export const SPACES: readonly { space: Space; label: string; hint: string }[] = [
  { space: "CF", label: "Listeners (CF)", hint: "who listens to what" },
  { space: "AUDIO", label: "Audio", hint: "factors predicted from the sound (the convnet or the MFCC baseline, see the note above)" },
  { space: "HYBRID", label: "Hybrid", hint: "both, cold tracks on audio alone" },
];
export const SIMILAR_K = 10;

export interface TrackDetail {
  id: number;
  externalId: string;
  title: string;
  durationSec: number;
  position: number | null;
  isShort: boolean;
  isSilent: boolean;
  origin: string;
  codec: string;
  sampleRate: number;
  channels: number;
  artist: { id: number; name: string };
  album: { id: number; title: string; source: string; licence: string | null } | null;
  mapPosition: { x: number; y: number } | null;
  confidence: number | null;
  outlierFlags: Flag[];
  audioUrl: string;
  audioCodec: string;
  fileFormat: string;
  spectrogramUrl: string | null;
  excerptStartSec: number;
  excerptLengthSec: number;
  activations: TopFilter[];
}

export interface TopFilter {
  value: number;
  filter: { id: number; index: number; name: string | null };
}

/** First-layer filters shown on the track page: enough to hint at its timbre without crowding the page. */
export const TOP_FILTERS = 5;

export const TrackQuery = gql<{ track: TrackDetail | null }, { id: number }>`
  query Track($id: Int!) {
    track(id: $id) {
      id externalId title durationSec position isShort isSilent origin codec sampleRate channels
      artist { id name }
      album { id title source licence }
      mapPosition(kind: CF) { x y }
      confidence
      outlierFlags { ${FLAG_FIELDS} }
      audioUrl audioCodec fileFormat spectrogramUrl excerptStartSec excerptLengthSec
      activations(layer: CONV1, mode: MAX, top: ${String(TOP_FILTERS)}) { value filter { id index name } }
    }
  }
`;

export const TrackTitleQuery = gql<{ track: { title: string; artist: { name: string } } | null }, { id: number }>`
  query TrackTitle($id: Int!) { track(id: $id) { title artist { name } } }
`;

export interface Neighbour {
  score: number;
  /** Album and position tell apart the titles that repeat across albums. */
  track: { id: number; title: string; position: number | null; durationSec: number; artist: { name: string }; album: { title: string } | null };
}

/** What the similar-track lists leave out; the track page keeps them in its URL (?otherAlbums=1&minSec=45). */
export interface SimilarOptions {
  excludeSameAlbum: boolean;
  minDurationSec: number | null;
}

export function similarOptionsFrom(params: Record<string, string | string[] | undefined>): SimilarOptions {
  const min = typeof params.minSec === "string" ? Number(params.minSec) : NaN;
  return { excludeSameAlbum: params.otherAlbums === "1", minDurationSec: Number.isFinite(min) && min > 0 ? min : null };
}

/** One query per space, so a space without factors (no audio model yet) fails alone. The API answers k + 1 rows: the track itself first. */
export const SimilarQuery = gql<{ track: { similar: Neighbour[] } | null }, { id: number; space: Space; k: number; excludeSameAlbum: boolean; minDurationSec: number | null }>`
  query Similar($id: Int!, $space: Space!, $k: Int!, $excludeSameAlbum: Boolean!, $minDurationSec: Float) {
    track(id: $id) {
      similar(k: $k, space: $space, excludeSameAlbum: $excludeSameAlbum, minDurationSec: $minDurationSec) {
        score
        track { id title position durationSec artist { name } album { title } }
      }
    }
  }
`;

export interface SharedUnit {
  name: string;
  share: number;
  filter: { id: number };
}

export const WhySimilarQuery = gql<{ track: { whySimilar: SharedUnit[] } | null }, { id: number; to: number; top: number }>`
  query WhySimilar($id: Int!, $to: Int!, $top: Int!) {
    track(id: $id) { whySimilar(to: $to, top: $top) { name share filter { id } } }
  }
`;
