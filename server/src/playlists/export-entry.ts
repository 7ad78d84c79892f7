import { audioMediaPath } from "../media/playable.js";

/** One track as an exported playlist lists it. */
export interface ExportEntry {
  location: string;
  title: string;
  artist: string;
  album: string | null;
  durationSec: number;
}

/**
 * Where a player fetches a track's audio: the API's media route (as `mediaUrl` gives it out: signed when keys are
 * required), under the client's base URL if given.
 */
export function audioLocation(track: { id: number; audioPath: string; codec: string }, baseUrl: string | null, mediaUrl: (path: string) => string): string {
  return `${baseUrl ? baseUrl.replace(/\/+$/, "") : ""}${mediaUrl(audioMediaPath(track))}`;
}
