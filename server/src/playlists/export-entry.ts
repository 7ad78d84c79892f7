import { pathToFileURL } from "node:url";
import { audioMediaPath } from "../media/playable.js";

/** One track as an exported playlist lists it. */
export interface ExportEntry {
  /** A URL (the API's media route) or, for local players, the file's path. */
  location: string;
  title: string;
  artist: string;
  album: string | null;
  durationSec: number;
  /** The track's number on its album, where tagged. */
  trackNumber: number | null;
  recordingMbid: string | null;
  /** What the listener hears at location, e.g. "MP3 (rendition of the IT module)"; exported as a comment. */
  heard?: string;
}

/** The note an export carries when it leaves out entries whose file a library rescan found gone. */
export function omittedNote(omitted: number): string {
  return `${omitted} ${omitted === 1 ? "track" : "tracks"} left out: ${omitted === 1 ? "its file is" : "their files are"} missing from the library`;
}

/** Where exported entries point: the API's audio URLs, or the audio files' own paths (desktop players, music servers). */
export type LocationKind = "url" | "path";

/**
 * Where a player fetches a track's audio: the API's media route (as `mediaUrl` gives it out: signed when keys are
 * required), under the client's base URL if given.
 */
export function audioLocation(track: { id: number; audioPath: string; codec: string }, baseUrl: string | null, mediaUrl: (path: string) => string): string {
  return `${baseUrl ? baseUrl.replace(/\/+$/, "") : ""}${mediaUrl(audioMediaPath(track))}`;
}

/** A location as a URI, for the formats whose locations are URIs (XSPF, JSPF): a path becomes a file:// URL. */
export function locationUri(location: string, kind: LocationKind): string {
  return kind === "path" ? pathToFileURL(location).href : location;
}
