import { omittedNote, type ExportEntry } from "./export-entry.js";

/**
 * Extended M3U in UTF-8 (.m3u8): `#EXTINF:<seconds>,<artist> - <title>` before each location, which is a URL or a
 * local path as given (players read paths as they are; no URI escaping). The format is line-based, so line breaks
 * in names become spaces; otherwise a title could add entries of its own. What the listener hears goes in a
 * `# Audio:` comment above each entry. Entries whose file is missing are left out, and a comment line says how many.
 */
export function toM3u(name: string, entries: readonly ExportEntry[], omitted = 0): string {
  const lines = ["#EXTM3U", `#PLAYLIST:${oneLine(name)}`];
  if (omitted > 0) lines.push(`# ${omittedNote(omitted)}`);
  for (const e of entries) {
    // A plain comment line (players skip it), before #EXTINF so that the location still follows its #EXTINF.
    if (e.heard) lines.push(`# Audio: ${oneLine(e.heard)}`);
    lines.push(`#EXTINF:${Math.round(e.durationSec)},${oneLine(e.artist)} - ${oneLine(e.title)}`, oneLine(e.location));
  }
  return `${lines.join("\n")}\n`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ");
}
