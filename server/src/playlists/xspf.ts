import type { ExportEntry } from "./export-entry.js";

/** XSPF 1 (https://xspf.org/spec): durations in milliseconds, one <track> per entry, in order. */
export function toXspf(name: string, entries: readonly ExportEntry[]): string {
  const tracks = entries.map((e, i) =>
    [
      "    <track>",
      `      <location>${xml(e.location)}</location>`,
      `      <title>${xml(e.title)}</title>`,
      `      <creator>${xml(e.artist)}</creator>`,
      ...(e.album !== null ? [`      <album>${xml(e.album)}</album>`] : []),
      `      <trackNum>${i + 1}</trackNum>`,
      `      <duration>${Math.round(e.durationSec * 1000)}</duration>`,
      "    </track>",
    ].join("\n"),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<playlist version="1" xmlns="http://xspf.org/ns/0/">',
    `  <title>${xml(name)}</title>`,
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
