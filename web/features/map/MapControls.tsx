import type { ReactNode } from "react";
import { ChoiceSelect } from "@/components/ChoiceSelect";
import { MAP_KINDS, type MapKind } from "./queries";
import type { ColourBy } from "./encode";
import styles from "./Map.module.css";

interface Props {
  kind: MapKind;
  /** The spaces that have a map with points; null while unknown (all are listed). */
  kinds: readonly MapKind[] | null;
  onKind(kind: MapKind): void;
  colourBy: ColourBy;
  onColourBy(by: ColourBy): void;
  /** Further controls for the same row. */
  children?: ReactNode;
}


const COLOURINGS: readonly { by: ColourBy; label: string }[] = [
  { by: "artist", label: "Artist" },
  { by: "album", label: "Album" },
  { by: "cold", label: "Cold start" },
  { by: "flagged", label: "Flagged" },
];

export function MapControls({ kind, kinds, onKind, colourBy, onColourBy, children }: Props) {
  const choices = MAP_KINDS.filter((k) => kinds === null || kinds.includes(k.kind) || k.kind === kind).map(({ kind: value, label }) => ({ value, label }));
  return (
    <div className={styles.controls}>
      <ChoiceSelect label="Space" value={kind} choices={choices} onChange={onKind} />
      <fieldset className={styles.colourBy}>
        <legend>Colour by</legend>
        {COLOURINGS.map(({ by, label }) => (
          <label key={by}>
            <input type="radio" name="colour-by" value={by} checked={colourBy === by} onChange={() => onColourBy(by)} /> {label}
          </label>
        ))}
      </fieldset>
      {children}
    </div>
  );
}
