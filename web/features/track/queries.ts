import { FlagFields } from "@/features/flags/queries";
import { graphql, type Enum, type ResultOf } from "@/lib/gql";

export type Space = Enum<"Space">;
export const SPACES: readonly { space: Space; label: string; hint: string }[] = [
  { space: "CF", label: "Listeners (CF)", hint: "who listens to what" },
  { space: "AUDIO", label: "Audio", hint: "factors predicted from the sound (the convnet or the MFCC baseline, see the note above)" },
  { space: "HYBRID", label: "Hybrid", hint: "both, cold tracks on audio alone" },
];
export const SIMILAR_K = 10;

/** The track page: activations are the first-layer filters shown, enough (5) to hint at its timbre without crowding it. */
export const TrackQuery = graphql(
  `
  query Track($id: Int!) {
    track(id: $id) {
      id externalId title durationSec position isShort isSilent origin codec sampleRate channels
      artist { id name }
      album { id title source licence }
      mapPosition(kind: CF) { x y }
      confidence
      outlierFlags { ...FlagFields }
      audioUrl audioCodec fileFormat spectrogramUrl excerptStartSec excerptLengthSec
      activations(layer: CONV1, mode: MAX, top: 5) { value filter { id index name } }
    }
  }
`,
  [FlagFields],
);

export type TrackDetail = NonNullable<ResultOf<typeof TrackQuery>["track"]>;
export type TopFilter = TrackDetail["activations"][number];

export const TrackTitleQuery = graphql(`
  query TrackTitle($id: Int!) { track(id: $id) { title artist { name } } }
`);

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
export const SimilarQuery = graphql(`
  query Similar($id: Int!, $space: Space!, $k: Int!, $excludeSameAlbum: Boolean!, $minDurationSec: Float) {
    track(id: $id) {
      similar(k: $k, space: $space, excludeSameAlbum: $excludeSameAlbum, minDurationSec: $minDurationSec) {
        score
        track { id title position durationSec artist { name } album { title } }
      }
    }
  }
`);

/** Album and position tell apart the titles that repeat across albums. */
export type Neighbour = NonNullable<ResultOf<typeof SimilarQuery>["track"]>["similar"][number];

export const WhySimilarQuery = graphql(`
  query WhySimilar($id: Int!, $to: Int!, $top: Int!) {
    track(id: $id) { whySimilar(to: $to, top: $top) { name share filter { id } } }
  }
`);

export type SharedUnit = NonNullable<ResultOf<typeof WhySimilarQuery>["track"]>["whySimilar"][number];
