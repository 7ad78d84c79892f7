import { locationUri, omittedNote, type ExportEntry, type LocationKind } from "./export-entry.js";

/**
 * XSPF 1 (https://xspf.org/spec): one <track> per entry, in order; locations are URIs (a local path as a file://
 * URL); trackNum is the track's number on its album (the spec's "ordinal position on a larger collection"), left
 * out where untagged; a MusicBrainz recording id becomes an identifier; durations in milliseconds; what the
 * listener hears is the annotation ("Audio: MP3 (rendition of the IT module)"). Entries whose file is missing are
 * left out, and the playlist's annotation says how many.
 */
export function toXspf(name: string, entries: readonly ExportEntry[], kind: LocationKind = "url", omitted = 0): string {
  const tracks = entries.map((e) =>
    [
      "    <track>",
      `      <location>${xml(locationUri(e.location, kind))}</location>`,
      ...(e.recordingMbid ? [`      <identifier>${xml(`https://musicbrainz.org/recording/${e.recordingMbid}`)}</identifier>`] : []),
      `      <title>${xml(e.title)}</title>`,
      `      <creator>${xml(e.artist)}</creator>`,
      ...(e.heard ? [`      <annotation>${xml(`Audio: ${e.heard}`)}</annotation>`] : []),
      ...(e.album !== null ? [`      <album>${xml(e.album)}</album>`] : []),
      ...(e.trackNumber !== null ? [`      <trackNum>${e.trackNumber}</trackNum>`] : []),
      `      <duration>${Math.round(e.durationSec * 1000)}</duration>`,
      "    </track>",
    ].join("\n"),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<playlist version="1" xmlns="http://xspf.org/ns/0/">',
    `  <title>${xml(name)}</title>`,
    ...(omitted > 0 ? [`  <annotation>${xml(omittedNote(omitted))}</annotation>`] : []),
    "  <trackList>",
    ...tracks,
    "  </trackList>",
    "</playlist>",
    "",
  ].join("\n");
}

/** Escapes markup and drops the characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates). */
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
