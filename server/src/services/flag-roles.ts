import { readFile } from "node:fs/promises";
import { CURATED_LABELS_PATH, parseCuratedLabels, type CuratedLabel } from "@curator/worker/outliers/labels.js";
import { albumPlace } from "@curator/worker/outliers/metadata-signals.js";

const ROLES = new Set(["INTRO", "OUTRO", "INTERLUDE"]);

let curated: Promise<Map<string, CuratedLabel>> | undefined;

/** The curated label file, read once per process; a missing or broken file means no curated evidence, said once. */
export function curatedLabels(path = CURATED_LABELS_PATH): Promise<Map<string, CuratedLabel>> {
  curated ??= readFile(path, "utf8").then(
    (text) => parseCuratedLabels(text, path),
    (err: unknown) => {
      console.error(`api: curated labels not read (${err instanceof Error ? err.message : String(err)}); flags show no curated evidence`);
      return new Map<string, CuratedLabel>();
    },
  );
  return curated;
}

export interface RoleFacts {
  kind: string;
  position: number | null;
  albumPositions: readonly number[];
  isShort: boolean;
  curated: CuratedLabel | undefined;
}

/**
 * Why an album-role flag (intro, outro, interlude) has its kind, in the editor's words: where the track sits on its
 * album, the curated label's evidence when an editor labelled it, and, where the kind and the place seem to
 * disagree (a short first track flagged INTERLUDE, not INTRO), why: album order in this corpus is the package's
 * file order, so first or last alone is no evidence of an opening or closing role (labels/curated.csv). Null for
 * the other kinds.
 *
 * Example: `roleEvidence({ kind: "INTERLUDE", position: 1, albumPositions: [1, 2, 3], isShort: true, curated: undefined })`
 * → "first of 3 on its album (file order). Flagged INTERLUDE, not INTRO: …".
 */
export function roleEvidence(f: RoleFacts): string | null {
  if (!ROLES.has(f.kind)) return null;
  const place = albumPlace(f.position, f.albumPositions);
  const count = f.albumPositions.length;
  const where =
    f.position === null || count < 2
      ? "no position on an album"
      : place.first
        ? `first of ${count} on its album`
        : place.last
          ? `last of ${count} on its album`
          : `#${f.position} of ${count} on its album, neither first nor last`;
  const parts = [`${where[0]!.toUpperCase()}${where.slice(1)}.`];
  if (f.curated) parts.push(`Curated label ${f.curated.kind}: ${f.curated.reason}.`);
  const expected = place.first ? "INTRO" : place.last ? "OUTRO" : null;
  if (f.kind === "INTERLUDE" && expected) {
    parts.push(
      `Flagged INTERLUDE, not ${expected}: album order here is the package's file order, so being ${place.first ? "first" : "last"} is no evidence of ${place.first ? "an opening" : "a closing"} role; in-game stingers and jingles are interludes wherever the files put them.`,
    );
  } else if ((f.kind === "INTRO" && !place.first) || (f.kind === "OUTRO" && !place.last)) {
    parts.push(`Flagged ${f.kind} although not ${f.kind === "INTRO" ? "first" : "last"}: its sound, length or title outweigh its place.`);
  }
  if (!f.isShort && f.kind === "INTERLUDE") parts.push("Not short (45 s or more).");
  return parts.join(" ");
}
