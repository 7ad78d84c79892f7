import { gql } from "@urql/core";
import { FLAG_FIELDS, type Flag } from "@/features/flags/queries";

export type Space = "CF" | "AUDIO" | "HYBRID";
export const SPACES: readonly { space: Space; label: string; hint: string }[] = [
  { space: "CF", label: "Listeners (CF)", hint: "who listens to what" },
  { space: "AUDIO", label: "Audio", hint: "factors the convnet predicts from the sound" },
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

export interface Neighbour {
  score: number;
  track: { id: number; title: string; artist: { name: string } };
}

/** One query per space, so a space without factors (no audio model yet) fails alone. The API answers k + 1 rows: the track itself first. */
export const SimilarQuery = gql<{ track: { similar: Neighbour[] } | null }, { id: number; space: Space; k: number }>`
  query Similar($id: Int!, $space: Space!, $k: Int!) {
    track(id: $id) { similar(k: $k, space: $space) { score track { id title artist { name } } } }
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
