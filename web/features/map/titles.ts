import { graphql, tracksById } from "@/lib/gql";
import { runQuery } from "@/lib/graphql";

export interface TrackLabel {
  id: number;
  title: string;
  artist: string;
  /** Where a hover preview starts: the analysed middle, which says more about a track than its intro. */
  excerptStartSec: number;
  /** From the API, never built here: with keys required it is a signed, expiring URL. */
  audioUrl: string;
  /** What a preview plays, e.g. "MP3 (rendition of the IT module)". */
  audioCodec: string;
}

/** Map points carry no titles (100k of them would triple the payload), so labels are fetched as needed, once. */
const cache = new Map<number, TrackLabel>();

/** At most this many tracks per request: aliases are cheap, but one request per lasso must stay small. */
const BATCH = 100;

const LabelFields = graphql(`
  fragment LabelFields on Track { id title artist { name } excerptStartSec audioUrl audioCodec }
`);

export function cachedLabel(id: number): TrackLabel | undefined {
  return cache.get(id);
}

export async function fetchLabels(ids: readonly number[]): Promise<Map<number, TrackLabel>> {
  const missing = [...new Set(ids)].filter((id) => !cache.has(id));
  for (let start = 0; start < missing.length; start += BATCH) {
    const batch = missing.slice(start, start + BATCH);
    const result = await runQuery(tracksById("Labels", batch, LabelFields), {});
    if (!result.ok) throw new Error(result.message);
    for (const track of Object.values(result.data)) {
      if (track) {
        const { id, title, artist, excerptStartSec, audioUrl, audioCodec } = track;
        cache.set(id, { id, title, artist: artist.name, excerptStartSec, audioUrl, audioCodec });
      }
    }
  }
  return new Map(ids.flatMap((id) => (cache.has(id) ? [[id, cache.get(id)!] as const] : [])));
}
