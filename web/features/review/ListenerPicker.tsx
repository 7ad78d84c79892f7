"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { runQuery } from "@/lib/graphql";
import styles from "@/features/track-search/TrackPicker.module.css";
import { LISTENER_SUGGESTIONS, ListenerSearch, type Listener } from "./queries";

const DEBOUNCE_MS = 200;

type Suggestions = { state: "closed" } | { state: "open"; text: string; options: Listener[]; active: number };

const label = (l: Listener) => `${l.externalId} (#${l.id})`;

/**
 * Picks a listener by name or id, as an ARIA combobox (the same keys as the track picker): focusing it lists the
 * most active listeners, typing searches; text that matches nobody says so instead of doing nothing.
 */
export function ListenerPicker({ value, onPick }: { value: Listener | null; onPick(listener: Listener): void }) {
  const id = useId();
  const [text, setText] = useState(value ? label(value) : "");
  const [suggestions, setSuggestions] = useState<Suggestions>({ state: "closed" });
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    if (value) setText(label(value));
  }, [value]);
  useEffect(() => () => clearTimeout(timer.current), []);

  /** `pickExact`: Enter before the suggestions arrived picks the listener whose id or name is exactly the text. */
  async function search(query: string, request: number, pickExact = false): Promise<void> {
    const result = await runQuery(ListenerSearch, { search: query || null, first: LISTENER_SUGGESTIONS });
    if (request !== latest.current) return;
    setError(result.ok ? null : result.message);
    const options = result.ok ? result.data.users : [];
    const exact = options.find((l) => String(l.id) === query || l.externalId === query);
    if (pickExact && exact) return pick(exact);
    setSuggestions({ state: "open", text: query, options, active: options.length > 0 ? 0 : -1 });
  }

  function lookUp(next: string, delay: number, pickExact = false): void {
    clearTimeout(timer.current);
    const request = ++latest.current;
    // A picked listener's label searches for nobody: show the most active listeners again.
    const query = value && next === label(value) ? "" : next.trim();
    timer.current = setTimeout(() => void search(query, request, pickExact), delay);
  }

  function pick(listener: Listener): void {
    latest.current++;
    setSuggestions({ state: "closed" });
    setText(label(listener));
    onPick(listener);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    const open = suggestions.state === "open" ? suggestions : null;
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (step !== 0 && open && open.options.length > 0) {
      event.preventDefault();
      setSuggestions({ ...open, active: (open.active + step + open.options.length) % open.options.length });
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (open && open.active >= 0) pick(open.options[open.active]!);
      else lookUp(text, 0, true);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setSuggestions({ state: "closed" });
    }
  }

  const open = suggestions.state === "open" ? suggestions : null;
  const listId = `${id}-options`;
  const optionId = (i: number) => `${id}-option-${i}`;
  return (
    <div className={styles.root}>
      <label htmlFor={id} className={styles.label}>
        Listener
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
        placeholder="Name or id; the most active first"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          lookUp(event.target.value, DEBOUNCE_MS);
        }}
        onFocus={() => lookUp(text, 0)}
        onKeyDown={onKeyDown}
        onBlur={() => setSuggestions({ state: "closed" })}
      />
      <ul id={listId} role="listbox" aria-label="Listeners" className={styles.options} hidden={!open || open.options.length === 0}>
        {open?.options.map((listener, i) => (
          <li
            key={listener.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === open.active}
            className={styles.option}
            // mousedown, not click: the input's blur would close the list before a click lands.
            onMouseDown={(event) => {
              event.preventDefault();
              pick(listener);
            }}
          >
            {listener.externalId} <span className={styles.artist}>· #{listener.id} · {listener.listens} played</span>
          </li>
        ))}
      </ul>
      <span className={styles.status} aria-live="polite">
        {error ?? (open && open.options.length === 0 ? `No listener matches “${open.text}”.` : "")}
      </span>
    </div>
  );
}
