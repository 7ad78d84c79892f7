"use client";

import { useEffect, useMemo, useState } from "react";
import { graphql, tracksById } from "@/lib/gql";
import { runQuery } from "@/lib/graphql";
import { PALETTE, paletteFor, type ColourBy } from "./encode";
import type { MapPoint } from "./queries";
import styles from "./Map.module.css";

const LegendNameFields = graphql(`
  fragment LegendNameFields on Track { artist { name } album { title } }
`);

/** Categories named in the legend; the rest are counted (their colours repeat, see encode.ts). */
const NAMED = 8;

interface Entry {
  colour: string;
  label: string;
  count: number;
}

/**
 * What each colour means on the artist, album and cold-start colourings (flags have FlagLegend): the largest
 * artists or albums by name with their dot counts, then how many more share the palette's colours.
 */
export function ColourLegend({ colourBy, points, colours }: { colourBy: Exclude<ColourBy, "flagged">; points: readonly MapPoint[]; colours: Float32Array }) {
  const groups = useMemo(() => groupsOf(colourBy, points, colours), [colourBy, points, colours]);
  const [names, setNames] = useState<Map<number, string>>(new Map());

  useEffect(() => {
    if (colourBy === "cold" || groups.length === 0) return;
    let current = true;
    const named = groups.slice(0, NAMED);
    void runQuery(tracksById("LegendNames", named.map((g) => g.sample), LegendNameFields), {}).then((result) => {
      if (!current || !result.ok) return;
      setNames(new Map(named.map((g) => {
        const track = result.data[`t${g.sample}`];
        return [g.sample, (colourBy === "artist" ? track?.artist.name : track?.album?.title) ?? "no album"] as const;
      })));
    });
    return () => {
      current = false;
    };
  }, [colourBy, groups]);

  let entries: Entry[];
  let more = 0;
  if (colourBy === "cold") {
    const palette = paletteFor("cold");
    const cold = points.filter((p) => p.cold).length;
    entries = [
      { colour: palette[0]!, label: "has listening data", count: points.length - cold },
      { colour: palette[1]!, label: "cold start (placed by audio alone)", count: cold },
    ];
  } else {
    entries = groups.slice(0, NAMED).map((g) => ({ colour: PALETTE[g.colour]!, label: names.get(g.sample) ?? "…", count: g.count }));
    more = groups.length - entries.length;
  }
  return (
    <ul className={styles.legend} aria-label="Legend">
      {entries.map((entry, i) => (
        <li key={i}>
          <span className={styles.swatch} style={{ background: entry.colour }} /> {entry.label} <span className={styles.muted}>({entry.count})</span>
        </li>
      ))}
      {more > 0 && (
        <li className={styles.muted}>
          + {more} more {colourBy === "artist" ? "artists" : "albums"}; {PALETTE.length} colours repeat
        </li>
      )}
    </ul>
  );
}

/** Artists or albums by size, each with its colour and one of its tracks (to fetch the name by). */
function groupsOf(by: ColourBy, points: readonly MapPoint[], colours: Float32Array): { sample: number; colour: number; count: number }[] {
  if (by === "cold" || by === "flagged") return [];
  const groups = new Map<number | null, { sample: number; colour: number; count: number }>();
  points.forEach((p, i) => {
    const key = by === "artist" ? p.artistId : p.albumId;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { sample: p.id, colour: colours[i]!, count: 1 });
  });
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
