/** What each export format's file is called and served as. */
export const EXPORT_FILES = {
  M3U: { extension: "m3u8", mediaType: "audio/x-mpegurl" },
  XSPF: { extension: "xspf", mediaType: "application/xspf+xml" },
  JSPF: { extension: "jspf", mediaType: "application/jspf+json" },
} as const;

/**
 * A playlist's name as a file name that every common file system takes, changed no more than that: "/", "\" and
 * the characters Windows forbids (: * ? " < > |) become the nearest allowed text, control characters and trailing
 * dots/spaces go; letters, accents, arrows and punctuation stay ("Path: Frontiers → Metal madness" is
 * "Path - Frontiers → Metal madness.m3u8", not "Path_ Frontiers _ Metal madness.m3u").
 */
export function playlistFileName(name: string, format: keyof typeof EXPORT_FILES): string {
  const safe = name
    .replace(/[\u0000-\u001F\u007F]/g, " ")
    .replace(/\s*:\s*/g, " - ")
    .replace(/[/\\|]/g, "-")
    .replace(/[*?]/g, "")
    .replace(/"/g, "'")
    .replace(/</g, "(")
    .replace(/>/g, ")")
    .replace(/\s+/g, " ")
    .replace(/^[. ]+|[. ]+$/g, "")
    .trim()
    .slice(0, 200);
  return `${safe || "playlist"}.${EXPORT_FILES[format].extension}`;
}
