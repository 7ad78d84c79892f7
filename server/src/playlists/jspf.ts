import { locationUri, omittedNote, type ExportEntry, type LocationKind } from "./export-entry.js";

/**
 * JSPF (XSPF as JSON, https://xspf.org/jspf), as ListenBrainz reads and writes it: identifiers are MusicBrainz
 * recording URLs where the track has one (how ListenBrainz resolves a track), locations URIs, trackNum the album
 * track number, durations in milliseconds, what the listener hears the annotation. Entries whose file is missing are
 * left out, and the playlist's annotation says how many.
 */
export function toJspf(name: string, entries: readonly ExportEntry[], kind: LocationKind = "url", date = new Date(), omitted = 0): string {
  return `${JSON.stringify(
    {
      playlist: {
        title: name,
        creator: "Curator Workbench",
        date: date.toISOString(),
        ...(omitted > 0 ? { annotation: omittedNote(omitted) } : {}),
        track: entries.map((e) => ({
          title: e.title,
          creator: e.artist,
          ...(e.heard ? { annotation: `Audio: ${e.heard}` } : {}),
          ...(e.album !== null ? { album: e.album } : {}),
          ...(e.trackNumber !== null ? { trackNum: e.trackNumber } : {}),
          duration: Math.round(e.durationSec * 1000),
          location: [locationUri(e.location, kind)],
          ...(e.recordingMbid ? { identifier: [`https://musicbrainz.org/recording/${e.recordingMbid}`] } : {}),
        })),
      },
    },
    null,
    2,
  )}\n`;
}
