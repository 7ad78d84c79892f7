// Labels for training and evaluation, from what the catalogue says about a track and from editors' verdicts.
import type { OutlierKind } from "@curator/db/client.js";

/** The kinds the model learns; ATYPICAL has no labelled examples (its evidence, atypicality, feeds every kind). */
export const MODEL_KINDS = ["INTRO", "OUTRO", "INTERLUDE", "COVER", "REMIX"] as const satisfies readonly OutlierKind[];
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Origins of the tracks the evaluation set derives from real ones with ffmpeg (see derive.ts). */
export const DERIVED_ORIGINS = { REMIX: "derived-remix", COVER: "derived-cover" } as const;

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
 * The catalogue's own answer: a short track (an ingest stinger, under 45 s) is an INTRO when it opens its album,
 * an OUTRO when it closes it and an INTERLUDE between; a derived remix or synthetic cover is what it was made as.
 * Every other track is a negative for every kind. Silent tracks say nothing about audio and get no label.
 */
export function catalogueLabels(t: LabelFacts): Set<ModelKind> | undefined {
  if (t.isSilent) return undefined;
  if (t.origin === DERIVED_ORIGINS.REMIX) return new Set(["REMIX"]);
  if (t.origin === DERIVED_ORIGINS.COVER) return new Set(["COVER"]);
  if (t.isShort) return new Set([t.first ? "INTRO" : t.last ? "OUTRO" : "INTERLUDE"]);
  return new Set();
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
