import { globToRegExp } from "./glob.js";

/** One `Files:` paragraph of a machine-readable (DEP-5) Debian copyright file. */
export interface CopyrightParagraph {
  files: string[];
  copyright: string;
  license: string;
}

export function parseDep5(text: string): CopyrightParagraph[] {
  const paragraphs: CopyrightParagraph[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields = parseFields(block);
    const files = fields.get("files");
    if (files === undefined) continue;
    paragraphs.push({
      files: files.split(/\s+/).filter(Boolean),
      copyright: fields.get("copyright") ?? "",
      // Only the licence's first line is its short name; the rest is the licence text.
      license: (fields.get("license") ?? "").split("\n")[0]!.trim(),
    });
  }
  return paragraphs;
}

function parseFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  let key: string | undefined;
  for (const line of block.split("\n")) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m?.[1] && !/^\s/.test(line)) {
      key = m[1].toLowerCase();
      fields.set(key, m[2]!.trim());
    } else if (key && /^\s/.test(line)) {
      fields.set(key, `${fields.get(key)}\n${line.trim()}`.trim());
    }
  }
  return fields;
}

export interface CopyrightMatch {
  paragraph: CopyrightParagraph;
  /** The pattern names this file exactly (no wildcard), so its Copyright line credits this very file. */
  exact: boolean;
}

/**
 * The most specific paragraph for an installed file. DEP-5 patterns name upstream source paths ("data/music/*")
 * while the file sits at an installed path (usr/share/games/supertux2/music/x.ogg), so a pattern matches when some
 * tail of it matches some tail of the path; the longest matching tail wins and `Files: *` is the fallback.
 */
export function copyrightFor(paragraphs: readonly CopyrightParagraph[], installedPath: string): CopyrightMatch | undefined {
  const pathParts = installedPath.split("/");
  let best: { match: CopyrightMatch; score: number } | undefined;
  for (const paragraph of paragraphs) {
    for (const pattern of paragraph.files) {
      if (pattern.startsWith("debian/")) continue;
      const score = tailScore(pattern, pathParts);
      if (score >= 0 && (!best || score > best.score)) best = { match: { paragraph, exact: !/[*?]/.test(pattern) && score > 0 }, score };
    }
  }
  return best?.match;
}

function tailScore(pattern: string, pathParts: readonly string[]): number {
  if (pattern === "*") return 0;
  const patParts = pattern.split("/");
  for (let k = patParts.length; k >= 1; k--) {
    const tail = patParts.slice(patParts.length - k);
    // A tail of bare wildcards ("*" from "data/fonts/*") would match every file: it says nothing about this one.
    if (tail.every((part) => /^[*?]*$/.test(part))) break;
    const re = globToRegExp(tail.join("/"));
    for (let j = 1; j <= pathParts.length; j++) {
      if (re.test(pathParts.slice(pathParts.length - j).join("/"))) return tail.join("").replace(/[*?]/g, "").length + 1;
    }
  }
  return -1;
}

/** Short licence names as free-form (non-DEP-5) copyright files write them; `$v` takes a version if one follows. */
const FREEFORM_LICENCES: [RegExp, string][] = [
  [/Permission is hereby granted, free of charge/i, "Expat"],
  [/GNU General Public License[^.]*version 3|GPL-?3/i, "GPL-3+"],
  [/GNU General Public License[^.]*version 2|GPL-?2/i, "GPL-2+"],
  [/(?:Creative Commons Attribution[- ]Share[- ]?Alike|CC-BY-SA)(?:\D{0,20}(\d\.\d))?/i, "CC-BY-SA$v"],
  [/(?:Creative Commons Attribution|CC-BY)(?:\D{0,20}(\d\.\d))?/i, "CC-BY$v"],
  [/public domain/i, "public-domain"],
];

/** Licence of a file: its best DEP-5 paragraph, else the first licence a free-form copyright file names. */
export function licenceFor(match: CopyrightMatch | undefined, copyrightText: string): string {
  if (match?.paragraph.license) return match.paragraph.license;
  // Free-form files wrap lines anywhere, even inside a licence name.
  const text = copyrightText.replace(/\s+/g, " ");
  for (const [re, name] of FREEFORM_LICENCES) {
    const m = re.exec(text);
    if (m) return name.replace("$v", m[1] ? `-${m[1]}` : "");
  }
  return "unknown (see debian/copyright)";
}

/** A person's name from a Copyright line: years, e-mail addresses and "(c)" markers removed. */
export function holderName(copyright: string): string | undefined {
  const first = copyright.split("\n").find((l) => l.trim() !== "");
  const name = first
    ?.replace(/<[^>]*>/g, "")
    .replace(/\(c\)|©|copyright/gi, "")
    .replace(/\b\d{4}(\s*[-,]\s*\d{4})*\b,?/g, "")
    .trim();
  return name ? name : undefined;
}
