// Labels for training and evaluation, from what the catalogue says about a track and from editors' verdicts.
import { join } from "node:path";
import { repoRoot } from "@curator/db/config.js";
import type { OutlierKind } from "@curator/db/client.js";

/** Editors' intro / outro / interlude labels for catalogue tracks, each with its evidence (parseCuratedLabels). */
export const CURATED_LABELS_PATH = join(repoRoot, "gpu-worker", "src", "outliers", "labels", "curated.csv");

/** The kinds the model learns; ATYPICAL has no labelled examples (its evidence, atypicality, feeds every kind). */
export const MODEL_KINDS = ["INTRO", "OUTRO", "INTERLUDE", "COVER", "REMIX"] as const satisfies readonly OutlierKind[];
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Origins of the tracks the evaluation set derives from real ones with ffmpeg (see derive.ts). */
export const DERIVED_ORIGINS = { REMIX: "derived-remix", COVER: "derived-cover", INTRO: "derived-intro", OUTRO: "derived-outro" } as const;

/** Kinds an editor may give a catalogue track in the curated label file (labels/curated.csv). */
export const CURATED_KINDS = ["INTRO", "OUTRO", "INTERLUDE"] as const satisfies readonly ModelKind[];
export type CuratedKind = (typeof CURATED_KINDS)[number];

export interface CuratedLabel {
  kind: CuratedKind;
  /** The evidence, in one line: what the game's files or the audio show. */
  reason: string;
}

export interface LabelFacts {
  id: number;
  origin: string;
  derivedFromId: number | null;
  isShort: boolean;
  isSilent: boolean;
  /** First / last on its album (albumPlace). */
  first: boolean;
  last: boolean;
}

export interface Verdict {
  kind: OutlierKind;
  status: "CONFIRMED" | "REJECTED";
}

/**
 * The catalogue's own answer: a derived track is what it was made as; a catalogue track an editor labelled in the
 * curated file has that label; any other short track (an ingest stinger, under 45 s) is an INTRO when it opens its
 * album, an OUTRO when it closes it and an INTERLUDE between.
 * Every other track is a negative for every kind. Silent tracks say nothing about audio and get no label.
 */
export function catalogueLabels(t: LabelFacts, curated?: CuratedLabel): Set<ModelKind> | undefined {
  if (t.isSilent) return undefined;
  for (const [kind, origin] of Object.entries(DERIVED_ORIGINS)) if (t.origin === origin) return new Set([kind as ModelKind]);
  if (curated) return new Set([curated.kind]);
  if (t.isShort) return new Set([t.first ? "INTRO" : t.last ? "OUTRO" : "INTERLUDE"]);
  return new Set();
}

/**
 * The curated label file: `externalId,KIND,reason` per line (the reason may hold commas), `#` comments and blank
 * lines ignored. A line with an unknown kind, no reason or an id seen before is an error naming the line.
 */
export function parseCuratedLabels(text: string, source = "curated labels"): Map<string, CuratedLabel> {
  const out = new Map<string, CuratedLabel>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `${source}:${i + 1}`;
    const [id, kind, ...rest] = line.split(",");
    const reason = rest.join(",").trim();
    if (!id?.trim() || !kind || !(CURATED_KINDS as readonly string[]).includes(kind.trim())) {
      throw new Error(`${where}: expected externalId,${CURATED_KINDS.join("|")},reason, got ${JSON.stringify(line)}`);
    }
    if (reason === "") throw new Error(`${where}: ${id.trim()} has no reason`);
    if (out.has(id.trim())) throw new Error(`${where}: ${id.trim()} is labelled twice`);
    out.set(id.trim(), { kind: kind.trim() as CuratedKind, reason });
  });
  return out;
}

/** Editors outrank the catalogue: CONFIRMED adds the kind, REJECTED removes it. */
export function applyVerdicts(labels: Set<ModelKind> | undefined, verdicts: readonly Verdict[]): Set<ModelKind> | undefined {
  const kinds = verdicts.filter((v): v is Verdict & { kind: ModelKind } => (MODEL_KINDS as readonly string[]).includes(v.kind));
  if (kinds.length === 0) return labels;
  const out = new Set(labels ?? []);
  for (const v of kinds) {
    if (v.status === "CONFIRMED") out.add(v.kind);
    else out.delete(v.kind);
  }
  return out;
}

/** Tracks made from one source share a group: a source and its derivatives never straddle a split. */
export function groupOf(t: { id: number; derivedFromId: number | null }): number {
  return t.derivedFromId ?? t.id;
}
