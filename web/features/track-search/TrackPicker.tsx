"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { runQuery } from "@/lib/graphql";
import { SUGGESTIONS, TrackSearch, optionLabel, type TrackOption } from "./queries";
import styles from "./TrackPicker.module.css";

const DEBOUNCE_MS = 200;

interface Props {
  label: string;
  /** The picked track; null until one is picked, and again once the text is edited. */
  value: TrackOption | null;
  onChange(track: TrackOption | null): void;
}

type Suggestions = { state: "closed" } | { state: "open"; options: TrackOption[]; active: number };

/**
 * Search-as-you-type over the catalogue's text filter, as an ARIA combobox: arrows move through the suggestions,
 * Enter picks, Escape closes (then clears). Only the answer to the latest text is shown, so a slow answer for an
 * earlier prefix never replaces a newer one.
 */
export function TrackPicker({ label, value, onChange }: Props) {
  const id = useId();
  const [text, setText] = useState(value ? optionLabel(value) : "");
  const [suggestions, setSuggestions] = useState<Suggestions>({ state: "closed" });
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    if (value) setText(optionLabel(value));
  }, [value]);

  useEffect(() => () => clearTimeout(timer.current), []);

  async function search(query: string, request: number): Promise<void> {
    const result = await runQuery(TrackSearch, { text: query, first: SUGGESTIONS });
    if (request !== latest.current) return;
    setError(result.ok ? null : result.message);
    const options = result.ok ? result.data.tracks.edges.map((edge) => edge.node) : [];
    setSuggestions({ state: "open", options, active: options.length > 0 ? 0 : -1 });
  }

  function onType(next: string): void {
    setText(next);
    if (value) onChange(null);
    clearTimeout(timer.current);
    const request = ++latest.current;
    const query = next.trim();
    if (!query) return setSuggestions({ state: "closed" });
    timer.current = setTimeout(() => void search(query, request), DEBOUNCE_MS);
  }

  function pick(track: TrackOption): void {
    latest.current++;
    setSuggestions({ state: "closed" });
    setText(optionLabel(track));
    onChange(track);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    const open = suggestions.state === "open" ? suggestions : null;
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (step !== 0 && open && open.options.length > 0) {
      event.preventDefault();
      setSuggestions({ ...open, active: (open.active + step + open.options.length) % open.options.length });
    } else if (event.key === "Enter" && open && open.active >= 0) {
      event.preventDefault();
      pick(open.options[open.active]!);
    } else if (event.key === "Escape" && (open || text)) {
      event.preventDefault();
      if (open) setSuggestions({ state: "closed" });
      else onType("");
    }
  }

  const open = suggestions.state === "open" ? suggestions : null;
  const listId = `${id}-options`;
  const optionId = (i: number) => `${id}-option-${i}`;
  return (
    <div className={styles.root}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open !== null && open.options.length > 0}
        aria-controls={listId}
        aria-activedescendant={open && open.active >= 0 ? optionId(open.active) : undefined}
        autoComplete="off"
        placeholder="Type a title, artist or album"
        value={text}
        onChange={(event) => onType(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => setSuggestions({ state: "closed" })}
      />
      <ul id={listId} role="listbox" aria-label={`${label}: suggestions`} className={styles.options} hidden={!open || open.options.length === 0}>
        {open?.options.map((track, i) => (
          <li
            key={track.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === open.active}
            className={styles.option}
            // mousedown, not click: the input's blur would close the list before a click lands.
            onMouseDown={(event) => {
              event.preventDefault();
              pick(track);
            }}
          >
            {track.title} <span className={styles.artist}>· {track.artist.name}</span>
          </li>
        ))}
      </ul>
      <span className={styles.status} aria-live="polite">
        {error ?? (open && open.options.length === 0 ? "No tracks match." : "")}
      </span>
    </div>
  );
}
